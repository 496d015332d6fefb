/**
 * The job queue: a job exists only if its transaction commits, runs once, is retried with backoff
 * and then kept as failed, is taken over when its worker dies, and survives a restart; two workers
 * over one database never run the same job twice.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Db, openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { enqueue } from '../../src/jobs/queue.js';
import {
  claimJobs,
  type JobHandlers,
  retryDelay,
  runClaimed,
  startWorker,
  type Worker,
} from '../../src/jobs/worker.js';
import { silentLogger } from '../../src/kernel/log.js';
import type { Mail } from '../../src/mail/mail.js';
import { DIALECTS, freshDatabase, type TestDb } from '../helpers/db.js';

const mail = (n: number): Mail => ({
  to: `client${n}@example.com`,
  subject: `Message ${n}`,
  text: `Hello ${n}`,
  html: `<p>Hello ${n}</p>`,
  kind: 'test',
});

const jobRow = (db: Db, id: string) =>
  db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

async function until(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const doneCount = async (db: Db) =>
  Number(
    (
      await db
        .selectFrom('jobs')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('status', '=', 'done')
        .executeTakeFirstOrThrow()
    ).n,
  );

describe.each(DIALECTS)('the job queue (%s)', (dialect) => {
  let t: TestDb;
  const workers: Worker[] = [];
  beforeEach(async () => {
    t = await freshDatabase(dialect);
  });
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((w) => w.stop()));
    await t.close();
  });

  /** Runs every due job once, as one worker would, at time `now`. */
  const runDue = async (handlers: JobHandlers, now: number, workerId = 'w1', leaseMs = 60_000) => {
    const jobs = await claimJobs(t.db, workerId, Object.keys(handlers), 100, now, leaseMs);
    const ctx = { db: t.db, log: silentLogger, handlers, workerId, backoff: retryDelay, now: () => now };
    return Promise.all(jobs.map((job) => runClaimed(ctx, job)));
  };

  it('a job queued in a transaction that rolls back never runs', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await enqueue(trx, 'mail.send', mail(1));
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const ran: string[] = [];
    await runDue({ 'mail.send': { run: async (m) => void ran.push(m.to) } }, Date.now() + 1000);
    expect(ran).toEqual([]);
    expect(await t.db.selectFrom('jobs').selectAll().execute()).toEqual([]);
  });

  it('a job queued in a committed transaction runs once, and keeps only what its handler keeps', async () => {
    const id = await t.db.transaction().execute((trx) => enqueue(trx, 'mail.send', mail(1)));
    const ran: string[] = [];
    const handlers: JobHandlers = {
      'mail.send': { run: async (m) => void ran.push(m.to), keep: (m) => ({ to: m.to }) },
    };
    expect(await runDue(handlers, Date.now() + 1000)).toEqual(['done']);
    expect(await runDue(handlers, Date.now() + 2000)).toEqual([]);
    expect(ran).toEqual(['client1@example.com']);
    const row = await jobRow(t.db, id);
    expect([row.status, row.attempts, row.locked_by, JSON.parse(row.payload)]).toEqual([
      'done',
      1,
      null,
      { to: 'client1@example.com' },
    ]);
    expect(row.done_at).toBeGreaterThan(0);
  });

  it('a failing job is retried after a growing, jittered delay, then kept as failed with its last error', async () => {
    const id = await enqueue(t.db, 'mail.send', mail(1), { maxAttempts: 3 });
    const failing: JobHandlers = {
      'mail.send': {
        run: async () => {
          throw new Error('connect ECONNREFUSED 127.0.0.1:587');
        },
      },
    };
    let now = Date.now() + 1000;
    expect(await runDue(failing, now)).toEqual(['retry']);
    let row = await jobRow(t.db, id);
    expect(row.status).toBe('queued');
    expect(row.last_error).toBe('connect ECONNREFUSED 127.0.0.1:587');
    // First retry: 15–30 s later; nothing runs before then.
    expect(row.run_at - now).toBeGreaterThanOrEqual(15_000);
    expect(row.run_at - now).toBeLessThanOrEqual(30_000);
    expect(await runDue(failing, row.run_at - 1)).toEqual([]);
    now = row.run_at;
    expect(await runDue(failing, now)).toEqual(['retry']);
    row = await jobRow(t.db, id);
    expect(row.run_at - now).toBeGreaterThanOrEqual(30_000);
    expect(row.run_at - now).toBeLessThanOrEqual(60_000);
    expect(await runDue(failing, row.run_at)).toEqual(['failed']);
    row = await jobRow(t.db, id);
    expect([row.status, row.attempts, row.last_error]).toEqual([
      'failed',
      3,
      'connect ECONNREFUSED 127.0.0.1:587',
    ]);
    expect(await runDue(failing, row.run_at + 3_600_000)).toEqual([]);
  });

  it('the backoff doubles up to an hour, jittered between half and all of it', () => {
    expect([1, 2, 3, 8, 20].map((a) => retryDelay(a, () => 1))).toEqual([
      30_000, 60_000, 120_000, 3_600_000, 3_600_000,
    ]);
    expect(retryDelay(1, () => 0)).toBe(15_000);
  });

  it('an error no retry can fix fails the job at once', async () => {
    const id = await enqueue(t.db, 'mail.send', mail(1));
    const refusing: JobHandlers = {
      'mail.send': {
        run: async () => {
          throw Object.assign(new Error('550 no such mailbox'), { retryable: false });
        },
      },
    };
    expect(await runDue(refusing, Date.now() + 1000)).toEqual(['failed']);
    const row = await jobRow(t.db, id);
    expect([row.status, row.attempts, row.last_error]).toEqual(['failed', 1, '550 no such mailbox']);
  });

  it('a job whose worker died is taken over once its lease passes, and the dead worker cannot overwrite it', async () => {
    const id = await enqueue(t.db, 'mail.send', mail(1));
    const at = Date.now() + 1000;
    const [claimed] = await claimJobs(t.db, 'dead', ['mail.send'], 10, at, 60_000);
    expect(claimed?.id).toBe(id);
    const ran: string[] = [];
    const handlers: JobHandlers = { 'mail.send': { run: async (m) => void ran.push(m.to) } };
    expect(await runDue(handlers, at + 59_999, 'alive')).toEqual([]);
    expect(await runDue(handlers, at + 60_000, 'alive')).toEqual(['done']);
    expect(ran).toEqual(['client1@example.com']);
    const row = await jobRow(t.db, id);
    expect([row.status, row.attempts]).toEqual(['done', 2]);
    // The "dead" worker wakes up late and reports a failure: the row is not touched.
    const late = {
      db: t.db,
      log: silentLogger,
      workerId: 'dead',
      backoff: retryDelay,
      now: () => at + 61_000,
      handlers: {
        'mail.send': {
          run: async () => {
            throw new Error('late');
          },
        },
      },
    };
    await runClaimed(late, claimed!);
    expect((await jobRow(t.db, id)).status).toBe('done');
  });

  it('a worker runs every queued job; stopped halfway and started again, it loses none and repeats none', async () => {
    const ids = await Promise.all(Array.from({ length: 60 }, (_, i) => enqueue(t.db, 'mail.send', mail(i))));
    const ran: string[] = [];
    const handlers: JobHandlers = {
      'mail.send': {
        run: async (m) => {
          await new Promise((r) => setTimeout(r, 5));
          ran.push(m.to);
        },
      },
    };
    const first = startWorker({ db: t.db, log: silentLogger, handlers, concurrency: 4, pollMs: 20 });
    await until(async () => ran.length >= 20);
    await first.stop();
    const afterStop = ran.length;
    expect(afterStop).toBeLessThan(60);
    await new Promise((r) => setTimeout(r, 50));
    expect(ran.length, 'nothing runs once stopped').toBe(afterStop);
    workers.push(startWorker({ db: t.db, log: silentLogger, handlers, concurrency: 4, pollMs: 20 }));
    await until(async () => (await doneCount(t.db)) === 60);
    expect(ran.sort()).toEqual(ids.map((_, i) => `client${i}@example.com`).sort());
  });

  it('jobs claimed by a worker that was killed are run by the next one once their lease passes', async () => {
    await Promise.all(Array.from({ length: 10 }, (_, i) => enqueue(t.db, 'mail.send', mail(i))));
    // "Killed": claimed, never finished.
    expect(await claimJobs(t.db, 'killed', ['mail.send'], 4, Date.now(), 300)).toHaveLength(4);
    const ran: string[] = [];
    const handlers: JobHandlers = { 'mail.send': { run: async (m) => void ran.push(m.to) } };
    workers.push(startWorker({ db: t.db, log: silentLogger, handlers, pollMs: 50 }));
    await until(async () => ran.length >= 6);
    await new Promise((r) => setTimeout(r, 100));
    expect(ran, 'locked jobs wait for their lease').toHaveLength(6);
    await until(async () => (await doneCount(t.db)) === 10);
    expect(new Set(ran).size).toBe(10);
  });
});

describe.each(DIALECTS)('two workers over one database (%s)', (dialect) => {
  let t: TestDb;
  let second: Db;
  let dir: string | undefined;

  beforeEach(async () => {
    if (dialect === 'postgres') {
      t = await freshDatabase('postgres');
      const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(t.db);
      second = openDatabase(process.env.TEST_DATABASE_URL!, { searchPath: rows[0]!.schema, poolSize: 4 });
    } else {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-jobs-'));
      const file = `sqlite:${path.join(dir, 'jobs.db')}`;
      const db = openDatabase(file);
      await migrateToLatest(db);
      t = { db, dialect, close: () => db.destroy() };
      second = openDatabase(file);
    }
  });
  afterEach(async () => {
    await second.destroy();
    await t.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('never run the same job twice', async () => {
    const count = 300;
    for (let i = 0; i < count; i += 50)
      await t.db.transaction().execute(async (trx) => {
        for (let j = i; j < i + 50; j++) await enqueue(trx, 'mail.send', mail(j));
      });
    const runs: { worker: string; to: string }[] = [];
    const handlerFor = (worker: string): JobHandlers => ({
      'mail.send': {
        run: async (m) => {
          runs.push({ worker, to: m.to });
          await new Promise((r) => setTimeout(r, 1));
        },
      },
    });
    const a = startWorker({
      db: t.db,
      log: silentLogger,
      handlers: handlerFor('a'),
      concurrency: 8,
      pollMs: 10,
    });
    const b = startWorker({
      db: second,
      log: silentLogger,
      handlers: handlerFor('b'),
      concurrency: 8,
      pollMs: 10,
    });
    try {
      await until(async () => (await doneCount(t.db)) === count, 30_000);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
    expect(runs).toHaveLength(count);
    expect(new Set(runs.map((r) => r.to)).size).toBe(count);
    // Both took part (otherwise this proves nothing about claiming).
    expect(runs.some((r) => r.worker === 'a') && runs.some((r) => r.worker === 'b')).toBe(true);
  });
});
