/** Runs queued jobs as a worker would, one pass at a time, so a test sees each step. */
import type { Db } from '../../src/db/connect.js';
import type { Host } from '../../src/host/index.js';
import { claimJobs, type JobHandlers, retryDelay, runClaimed } from '../../src/jobs/worker.js';
import { silentLogger } from '../../src/kernel/log.js';

/** Runs every due job of the kinds `handlers` knows, once, at `now`; returns `kind:outcome` for each. */
export async function runDue(db: Db, handlers: JobHandlers, now = Date.now() + 1000): Promise<string[]> {
  const jobs = await claimJobs(db, 'w', Object.keys(handlers), 100, now, 60_000);
  const ctx = { db, log: silentLogger, handlers, workerId: 'w', backoff: retryDelay, now: () => now };
  const outcomes: string[] = [];
  for (const job of jobs) outcomes.push(`${job.kind}:${await runClaimed(ctx, job)}`);
  return outcomes;
}

/** Runs passes until no job is due (an event's dispatch, then its deliveries, then what they queued). */
export async function runUntilIdle(
  db: Db,
  handlers: JobHandlers,
  now = Date.now() + 1000,
): Promise<string[]> {
  const all: string[] = [];
  for (let pass = 0; pass < 10; pass++) {
    const ran = await runDue(db, handlers, now);
    if (ran.length === 0) return all;
    all.push(...ran);
  }
  throw new Error(`jobs still due after 10 passes: ${all.join(', ')}`);
}

/** Runs every schedule the host has once, through the queue, as the app's tick and worker would. */
export async function runSchedules(db: Db, host: Host, now = Date.now()): Promise<string[]> {
  await host.schedules.tick(db, now);
  return runUntilIdle(db, host.jobs, now + 1000);
}

export interface QueuedMail {
  to: string;
  subject: string;
  kind: string;
  text: string;
}

/** The emails of `kind` waiting in the queue (mail.send jobs), as the worker would send them. */
export async function queuedMails(db: Db, kind: string): Promise<QueuedMail[]> {
  const jobs = await db.selectFrom('jobs').select('payload').where('kind', '=', 'mail.send').execute();
  return jobs.map((j) => JSON.parse(j.payload) as QueuedMail).filter((m) => m.kind === kind);
}
