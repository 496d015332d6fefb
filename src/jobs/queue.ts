/**
 * The database-backed job queue's front door: `enqueue` writes one row, in whatever transaction
 * the caller is in, so a job exists exactly when the change that asked for it commits. It never
 * runs anything and never waits on a provider: src/jobs/worker.ts does that, in the background.
 */
import { generateId } from '../auth/tokens.js';
import type { Db } from '../db/connect.js';
import type { Mail } from '../mail/mail.js';

/** Every job kind and its JSON payload. A new kind is added here (plugins: by declaration merging). */
export interface JobKinds {
  'mail.send': Mail;
  /** Someone asked for a sign-in link for this address: looked up and answered in the background. */
  'signin.request': { email: string; firmName: string };
  /** Someone asked for a password reset for this address ("Forgot your password?"): answered the same way. */
  'password.reset_request': { email: string; firmName: string };
}
export type JobKind = keyof JobKinds;

/** Attempts before a job that keeps failing is marked failed: about three hours of backoff. */
export const DEFAULT_MAX_ATTEMPTS = 10;

export interface EnqueueOptions {
  /** Not before this time (ms since the epoch); now by default. */
  runAt?: number;
  maxAttempts?: number;
}

/**
 * Queues a job and returns its id. Pass the request's transaction, so a rolled-back change
 * queues nothing.
 * @example await db.transaction().execute(async (trx) => { …; await enqueue(trx, 'mail.send', mail); });
 */
export async function enqueue<K extends JobKind>(
  db: Db,
  kind: K,
  payload: JobKinds[K],
  options: EnqueueOptions = {},
): Promise<string> {
  const id = generateId();
  const now = Date.now();
  await db
    .insertInto('jobs')
    .values({
      id,
      kind,
      payload: JSON.stringify(payload),
      status: 'queued',
      run_at: options.runAt ?? now,
      attempts: 0,
      max_attempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: now,
      done_at: null,
    })
    .execute();
  return id;
}
