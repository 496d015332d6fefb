/**
 * The database-backed job queue's front door: `enqueue` writes one row, in whatever transaction
 * the caller is in, so a job exists exactly when the change that asked for it commits. It never
 * runs anything and never waits on a provider: src/jobs/worker.ts does that, in the background.
 */

import type { Db } from '../db/connect.js';
import { generateId } from '../kernel/tokens.js';

/**
 * Every job kind and its JSON payload. The feature that handles a kind declares it beside its
 * handler, by declaration merging:
 * @example declare module '../jobs/queue.js' { interface JobKinds { 'mail.send': Mail } }
 */
// biome-ignore lint/suspicious/noEmptyInterface: filled by the features' declarations
export interface JobKinds {}
export type JobKind = keyof JobKinds;

/** Attempts before a job that keeps failing is marked failed: about three hours of backoff. */
export const DEFAULT_MAX_ATTEMPTS = 10;

export interface EnqueueOptions {
  /**
   * The job's id, when it must be queued once however often this is called (a schedule's run for
   * one period, an event's delivery to one listener): a second enqueue with the same key does nothing.
   */
  key?: string;
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
  const id = options.key ?? generateId();
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
    .$if(options.key !== undefined, (q) => q.onConflict((oc) => oc.column('id').doNothing()))
    .execute();
  return id;
}
