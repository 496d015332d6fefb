/**
 * Email goes through the job queue: `queueMail` adds it to the caller's transaction (so it is sent
 * iff the change commits, and a slow provider never holds up a request), and `mailJobHandler`
 * sends it from the worker. Once sent (or failed for good) the job keeps only who it was to, its
 * subject and kind: the body, which may hold a sign-in link, is not kept in the queue.
 */
import type { Db } from '../db/connect.js';
import { type EnqueueOptions, enqueue } from '../jobs/queue.js';
import type { JobHandler } from '../jobs/worker.js';
import type { Mail, Transport } from './mail.js';

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

/** What a finished mail job keeps. */
export type MailSummary = Pick<Mail, 'to' | 'subject' | 'kind'>;

/**
 * Queues an email in the caller's transaction; returns the job's id.
 * @example await queueMail(trx, { to, kind: 'test', ...(await renderEmail({ … })) });
 */
export function queueMail(db: Db, mail: Mail, options?: EnqueueOptions): Promise<string> {
  return enqueue(db, 'mail.send', mail, options);
}

/** Sends queued email; `beforeSend` (the 'mail.outgoing' filter) may change each one first. */
export function mailJobHandler(
  transport: Transport,
  beforeSend: (mail: Mail) => Promise<Mail> = async (mail) => mail,
): JobHandler<Mail> {
  return {
    async run(queued, job) {
      const mail = await beforeSend(queued);
      // The recipient and the secrets hidden in a kept copy stay the queued email's own.
      await transport.send({ ...mail, to: queued.to, secrets: queued.secrets, key: job.id });
    },
    keep: (mail): MailSummary => ({ to: mail.to, subject: mail.subject, kind: mail.kind }),
  };
}
