/**
 * The development outbox: the transport used until Resend or SMTP is configured. It keeps each
 * email in the database (read by Admins at Outbox) and, outside production, prints the lines of
 * its text that carry a link to the console, so whoever runs Portico can follow a sign-in link
 * without any mail server. That print is this feature's whole point and the one place an email's
 * link reaches the console; it is never a log line, and never happens in production. In production
 * (a real install whose email is not set up yet) the copy kept has its sign-in and set-password
 * links' tokens hidden: an Admin reading the Outbox, or anyone holding a backup, must not be able
 * to sign in as a client or choose a staff member's password.
 */

import type { Db } from '../db/connect.js';
import type { MailAddress } from '../kernel/config.js';
import { DAY } from '../kernel/durations.js';
import { generateId } from '../kernel/tokens.js';
import { formatAddress, type Mail, senderOf, type Transport } from './mail.js';

export interface OutboxOptions {
  /**
   * Development and test: print link-bearing lines and keep links working. Production: print
   * nothing and keep sign-in and set-password links with their tokens hidden.
   */
  print: boolean;
  write?: (text: string) => void;
}

/** Every link's token hidden: what a production Outbox keeps for people to read. */
function hideSecrets(text: string, secrets: readonly string[] = []): string {
  return secrets.reduce((kept, secret) => (secret ? kept.replaceAll(secret, 'hidden') : kept), text);
}

/** The lines of a plain-text body that hold a link. */
export function linkLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /https?:\/\//.test(line));
}

export function outboxTransport(db: Db, from: MailAddress, options: OutboxOptions): Transport {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  return {
    kind: 'outbox',
    async send(mail: Mail) {
      const id = mail.key ?? generateId();
      // A retried job stores its message once.
      await db
        .insertInto('outbox_messages')
        .values({
          id,
          to_address: mail.to,
          from_address: formatAddress(senderOf(mail, from)),
          reply_to: mail.replyTo ?? null,
          subject: mail.subject,
          text_body: options.print ? mail.text : hideSecrets(mail.text, mail.secrets),
          html_body: options.print ? mail.html : hideSecrets(mail.html, mail.secrets),
          kind: mail.kind,
          created_at: Date.now(),
        })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      if (options.print) {
        const links = linkLines(mail.text).map((line) => `    ${line}\n`);
        write(`\n  Email to ${mail.to}: ${mail.subject}\n${links.join('')}\n`);
      }
      return { id };
    },
    async close() {},
  };
}

/** Forgets the development outbox's messages after 30 days. */
export async function forgetOldOutboxMessages(db: Db, now = Date.now()): Promise<void> {
  await db
    .deleteFrom('outbox_messages')
    .where('created_at', '<=', now - 30 * DAY)
    .execute();
}
