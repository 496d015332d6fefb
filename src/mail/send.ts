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

/** What a finished mail job keeps. */
export type MailSummary = Pick<Mail, 'to' | 'subject' | 'kind'>;

/**
 * Queues an email in the caller's transaction; returns the job's id.
 * @example await queueMail(trx, { to, kind: 'test', ...(await renderEmail({ … })) });
 */
export function queueMail(db: Db, mail: Mail, options?: EnqueueOptions): Promise<string> {
  return enqueue(db, 'mail.send', mail, options);
}

export function mailJobHandler(transport: Transport): JobHandler<Mail> {
  return {
    async run(mail, job) {
      await transport.send({ ...mail, key: job.id });
    },
    keep: (mail): MailSummary => ({ to: mail.to, subject: mail.subject, kind: mail.kind }),
  };
}
