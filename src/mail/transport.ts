/**
 * Picks the transport the configuration asks for: Resend when RESEND_API_KEY is set, else SMTP
 * when SMTP_URL is, else the development outbox. Also the one description of that choice shown to
 * people (start-up log, Outbox page), which never includes a credential.
 */

import type { Db } from '../db/connect.js';
import { type Config, defaultSender, type MailConfig } from '../kernel/config.js';
import type { Transport } from './mail.js';
import { outboxTransport } from './outbox.js';
import { resendTransport } from './resend.js';
import { describeSmtp, smtpTransport } from './smtp.js';

/** The mail configuration, or for a hand-built Config without one, the development outbox. */
export function mailConfigOf(config: Config): MailConfig {
  return config.mail ?? { transport: { kind: 'outbox' }, from: defaultSender(config.baseUrl) };
}

export function createTransport(config: Config, db: Db): Transport {
  const { transport, from } = mailConfigOf(config);
  switch (transport.kind) {
    case 'resend':
      return resendTransport(transport.apiKey, from);
    case 'smtp':
      return smtpTransport(transport.url, from, { maxConnections: config.queue?.concurrency });
    case 'outbox':
      return outboxTransport(db, from, { print: config.env !== 'production' });
  }
}

/** E.g. "Resend", "SMTP server mail.example.com:587, STARTTLS", "the development outbox". */
export function describeTransport(config: Config): string {
  const { transport } = mailConfigOf(config);
  switch (transport.kind) {
    case 'resend':
      return 'Resend';
    case 'smtp':
      return `SMTP server ${describeSmtp(transport.url)}`;
    case 'outbox':
      return 'the development outbox';
  }
}

/**
 * How staff are told an email went to someone: "emailed to Ann", or, when no transport is set (the
 * development outbox), "kept in the Outbox for Ann", so nobody waits for an email that never leaves.
 * Use it after "was"/"were" ("An invitation was …"), or capitalised on its own.
 */
export function sentTo(config: Config, who: string): string {
  return mailConfigOf(config).transport.kind === 'outbox'
    ? `kept in the Outbox for ${who}`
    : `emailed to ${who}`;
}
