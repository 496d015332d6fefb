/**
 * Runs queued jobs in the background, safely beside other processes doing the same.
 *
 * Claiming is one UPDATE of up to n due rows (status 'queued', run_at passed, no live lock) that
 * sets locked_by, locked_until (now + lease) and counts the attempt; on PostgreSQL the rows are
 * picked `for update skip locked`, so two workers never claim the same row; SQLite has one writer,
 * so the UPDATE alone is enough. A job whose process died keeps its lock until locked_until
 * passes, then any worker claims it again. Finishing is guarded by (locked_by, attempts), so a
 * worker that outlived its lease cannot overwrite a newer attempt.
 *
 * A failed attempt is retried after an exponential backoff with jitter, until max_attempts; an
 * error marked `retryable: false` fails the job at once. Failed jobs are kept, with their error.
 * Delivery is at least once: a process killed between a handler's success and its row being
 * marked done runs that job again. Handlers must finish well within the lease (mail transports
 * time out in a minute; the lease is five).
 */
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { isPostgres } from '../db/migration-helpers.js';
import type { Logger } from '../kernel/log.js';
import { generateId } from '../kernel/tokens.js';
import type { JobKind, JobKinds } from './queue.js';

export interface JobInfo {
  id: string;
  kind: JobKind;
  /** 1 for the first try. */
  attempt: number;
  maxAttempts: number;
}

export interface JobHandler<P> {
  run(payload: P, job: JobInfo): Promise<void>;
  /** What the row keeps once the job is done or failed (e.g. an email without its links). */
  keep?(payload: P): unknown;
}

export type JobHandlers = { [K in JobKind]?: JobHandler<JobKinds[K]> };

export interface WorkerOptions {
  db: Db;
  log: Logger;
  handlers: JobHandlers;
  /** Jobs run at once by this worker. */
  concurrency?: number;
  /** How often an idle worker looks for due jobs. */
  pollMs?: number;
  /** How long a claim lasts before another worker may take the job over. */
  leaseMs?: number;
  /** Delay before retry number `attempt` (1 after the first failure). */
  backoff?: (attempt: number) => number;
  /** Names this worker in locked_by; random by default. */
  id?: string;
  now?: () => number;
}

export interface Worker {
  readonly id: string;
  /** Look for due jobs now rather than at the next poll. */
  wake(): void;
  /** Stops claiming and waits for the jobs in hand to finish. */
  stop(): Promise<void>;
}

const MINUTE = 60_000;
export const DEFAULT_LEASE_MS = 5 * MINUTE;
const BACKOFF_BASE_MS = 30_000;
const BACKOFF_CAP_MS = 60 * MINUTE;
const ERROR_MAX_CHARS = 500;

/**
 * 30 s, 1 min, 2 min, … doubling up to an hour, each drawn between half and all of that ("equal
 * jitter"), so many jobs failing together do not all come back at the same moment.
 */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const full = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(full / 2 + (random() * full) / 2);
}

export interface ClaimedJob {
  id: string;
  kind: string;
  payload: string;
  attempts: number;
  max_attempts: number;
}

/** Claims up to `limit` due jobs of the given kinds for `workerId`, counting the attempt. */
export async function claimJobs(
  db: Db,
  workerId: string,
  kinds: readonly string[],
  limit: number,
  now: number,
  leaseMs: number,
): Promise<ClaimedJob[]> {
  if (limit <= 0 || kinds.length === 0) return [];
  let due = db
    .selectFrom('jobs')
    .select('id')
    .where('status', '=', 'queued')
    .where('run_at', '<=', now)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
    .where('kind', 'in', kinds)
    .orderBy('run_at')
    .limit(limit);
  if (isPostgres(db)) due = due.forUpdate().skipLocked();
  return db
    .updateTable('jobs')
    .set({ locked_by: workerId, locked_until: now + leaseMs, attempts: sql<number>`attempts + 1` })
    .where('id', 'in', due)
    .returning(['id', 'kind', 'payload', 'attempts', 'max_attempts'])
    .execute();
}

/** An error's message, shortened, for last_error (transports keep secrets out of their messages). */
function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/\s+/g, ' ').slice(0, ERROR_MAX_CHARS);
}

/** An error a retry cannot fix (a rejected address, a refused message). */
export function isPermanent(error: unknown): boolean {
  return (
    typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === false
  );
}

interface RunContext {
  db: Db;
  log: Logger;
  handlers: JobHandlers;
  workerId: string;
  backoff: (attempt: number) => number;
  now: () => number;
}

/** Runs one claimed job and records the outcome. Never throws. */
export async function runClaimed(ctx: RunContext, job: ClaimedJob): Promise<'done' | 'retry' | 'failed'> {
  const { db, log } = ctx;
  const kind = job.kind as JobKind;
  const handler = ctx.handlers[kind] as JobHandler<unknown> | undefined;
  let payload: unknown;
  let outcome: 'done' | 'retry' | 'failed';
  let error: unknown;
  try {
    if (!handler) throw Object.assign(new Error(`no handler for ${job.kind}`), { retryable: false });
    payload = JSON.parse(job.payload);
    await handler.run(payload, { id: job.id, kind, attempt: job.attempts, maxAttempts: job.max_attempts });
    outcome = 'done';
  } catch (e) {
    error = e;
    outcome = isPermanent(e) || job.attempts >= job.max_attempts ? 'failed' : 'retry';
  }
  const now = ctx.now();
  const kept =
    outcome !== 'retry' && handler?.keep && payload !== undefined
      ? { payload: JSON.stringify(handler.keep(payload)) }
      : {};
  const changes =
    outcome === 'retry'
      ? { run_at: now + ctx.backoff(job.attempts), last_error: describe(error) }
      : { status: outcome, done_at: now, last_error: outcome === 'failed' ? describe(error) : null };
  try {
    const result = await db
      .updateTable('jobs')
      .set({ ...changes, ...kept, locked_by: null, locked_until: null })
      .where('id', '=', job.id)
      .where('locked_by', '=', ctx.workerId)
      .where('attempts', '=', job.attempts)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0)
      log.warn('job finished after its lease passed; another attempt owns it', { job: job.id });
  } catch (e) {
    // The lock expires and the job runs again: at least once.
    log.error('could not record a job outcome', { job: job.id, kind: job.kind, outcome, error: e });
  }
  if (outcome === 'retry')
    log.warn('job failed, will retry', {
      job: job.id,
      kind: job.kind,
      attempt: job.attempts,
      error: describe(error),
    });
  if (outcome === 'failed')
    log.error('job failed for good', {
      job: job.id,
      kind: job.kind,
      attempts: job.attempts,
      error: describe(error),
    });
  return outcome;
}

/** Starts a worker that claims and runs due jobs until stopped. */
export function startWorker(options: WorkerOptions): Worker {
  const { db, log, handlers } = options;
  const concurrency = options.concurrency ?? 4;
  const pollMs = options.pollMs ?? 1000;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const now = options.now ?? Date.now;
  const workerId = options.id ?? `w-${generateId().slice(0, 10)}`;
  const ctx: RunContext = {
    db,
    log,
    handlers,
    workerId,
    backoff: options.backoff ?? ((attempt) => retryDelay(attempt)),
    now,
  };
  const kinds = Object.keys(handlers);
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;
  let claiming: Promise<void> | null = null;
  let again = false;
  let timer: NodeJS.Timeout | undefined;

  const schedule = () => {
    clearTimeout(timer);
    if (!stopped) timer = setTimeout(tick, pollMs);
  };

  async function claimLoop(): Promise<void> {
    do {
      again = false;
      while (!stopped && inFlight.size < concurrency) {
        let jobs: ClaimedJob[];
        try {
          jobs = await claimJobs(db, workerId, kinds, concurrency - inFlight.size, now(), leaseMs);
        } catch (error) {
          log.error('could not claim jobs', { error });
          return;
        }
        for (const job of jobs) {
          const running: Promise<unknown> = runClaimed(ctx, job).finally(() => {
            inFlight.delete(running);
            tick();
          });
          inFlight.add(running);
        }
        if (jobs.length === 0) break;
      }
    } while (again && !stopped);
  }

  function tick(): void {
    if (stopped) return;
    if (claiming) {
      again = true;
      return;
    }
    claiming = claimLoop().finally(() => {
      claiming = null;
      schedule();
    });
  }

  tick();
  return {
    id: workerId,
    wake: tick,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await claiming;
      await Promise.allSettled([...inFlight]);
    },
  };
}
