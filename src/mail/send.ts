/**
 * Email goes through the job queue: `queueMail` adds it to the caller's transaction (so it is sent
 * iff the change commits, and a slow provider never holds up a request), and `mailJobHandler`
 * sends it from the worker. Once sent (or failed for good) the job keeps only who it was to, its
 * subject and kind: the body, which may hold a sign-in link, is not kept in the queue.
 */
import type { Db } from '../db/connect.js';
import type { Host } from '../host/index.js';
import { type EnqueueOptions, enqueue } from '../jobs/queue.js';
import type { JobHandler } from '../jobs/worker.js';
import { recordSent } from './deliveries/index.js';
import type { Mail, Transport } from './mail.js';
import { withFooter } from './template.js';

declare module '../jobs/queue.js' {
  interface JobKinds {
    'mail.send': Mail;
  }
}

declare module '../host/filters.js' {
  interface Filters {
    /** An email just before it is sent (its sender's name, its words, its layout). */
    'mail.outgoing': { value: Mail; context: Record<string, never> };
  }
}

declare module '../host/slots.js' {
  interface Slots {
    /**
     * Lines at the foot of every email, under "Sent by …" (a firm's address, a confidentiality
     * notice): plain text, shown as it is in both parts. `kind` says what the email is ('sign-in-link', …).
     */
    'mail.footer': { props: { kind: string }; gives: string };
  }
}

/** What a finished mail job keeps. */
export type MailSummary = Pick<Mail, 'to' | 'subject' | 'kind'>;

/**
 * Queues an email in the caller's transaction; returns the job's id.
 * @example await queueMail(trx, { to, kind: 'test', ...(await renderEmail({ … })) });
 */
export function queueMail(db: Db, mail: Mail, options?: EnqueueOptions): Promise<string> {
  return enqueue(db, 'mail.send', mail, options);
}

/** What the worker does to each email just before sending it: the slot 'mail.footer', then the filter 'mail.outgoing'. */
export function beforeSending(host: Pick<Host, 'slots' | 'filters'>): (mail: Mail) => Promise<Mail> {
  return async (mail) => {
    const footer = await host.slots.fill('mail.footer', { kind: mail.kind });
    return host.filters.apply('mail.outgoing', await withFooter(mail, footer), {});
  };
}

/**
 * Sends queued email; `beforeSend` (`beforeSending(host)`) may change each one first. With `db`,
 * Resend's id for each email it accepts is kept beside its job, for its delivery webhooks to name.
 */
export function mailJobHandler(
  transport: Transport,
  beforeSend: (mail: Mail) => Promise<Mail> = async (mail) => mail,
  db?: Db,
): JobHandler<Mail> {
  return {
    async run(queued, job) {
      const mail = await beforeSend(queued);
      // The recipient and the secrets hidden in a kept copy stay the queued email's own.
      const sent = await transport.send({ ...mail, to: queued.to, secrets: queued.secrets, key: job.id });
      // Should this write fail, the job runs again and Resend, seeing the same idempotency key,
      // answers with the same id without sending twice.
      if (db && transport.kind === 'resend' && sent.id) await recordSent(db, job.id, sent.id);
    },
    keep: (mail): MailSummary => ({ to: mail.to, subject: mail.subject, kind: mail.kind }),
  };
}
