/**
 * `npm run bench:mail`: the email queue's throughput and what a restart costs.
 *
 * Each run seeds a fresh SQLite DATA_DIR with 10,000 queued emails (rendered by the app's own
 * template, each carrying a reference number in its body), starts an SMTP server on loopback in
 * this process (smtp-server, plain SMTP: the queue is measured, not TLS) and a worker child
 * process (bench/mail-worker.ts: the server's configuration, transport and worker), and counts
 * what arrives by Message-ID (the job's id, the same on every retry) and by reference number.
 *   1. throughput: one worker delivers everything; messages/s from its start to the last message.
 *   2. crash: the worker is SIGKILLed halfway and a new one started; every message must arrive,
 *      and duplicates (accepted by the server just before the kill, not yet marked sent) are counted.
 *   3. orderly restart: the same with SIGTERM, which lets jobs in hand finish: no duplicates.
 * Fails (exit 1) if any message is missing. Writes bench/results/mail.json.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';
import { openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { queueMail } from '../src/mail/send.js';
import { renderEmail } from '../src/mail/template.js';
import { type Child, PINNED, pinSelf, repoRoot, round, spawnNode, stop } from './lib.js';

const COUNT = Number(process.argv.find((a) => a.startsWith('--count='))?.slice(8) ?? 10_000);
const CONCURRENCY = 8;
const LEASE_MS = 5_000;
const WORKER = path.join(repoRoot, 'dist/bench/mail-worker.js');

interface Inbox {
  port: number;
  /** Messages accepted, in order. */
  accepted: number;
  byMessageId: Map<string, number>;
  byReference: Map<string, number>;
  firstAt: number;
  lastAt: number;
  close(): Promise<void>;
}

async function startInbox(): Promise<Inbox> {
  const inbox = {
    accepted: 0,
    byMessageId: new Map<string, number>(),
    byReference: new Map<string, number>(),
    firstAt: 0,
    lastAt: 0,
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    // A pooled connection sends many messages; the default limit is far below 10,000.
    maxClients: 100,
    onData(stream, _session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        raw += chunk;
      });
      stream.on('end', () => {
        const id = raw.match(/^Message-ID:\s*(\S+)/im)?.[1] ?? '';
        const ref = raw.match(/ref-(\d+)/)?.[1] ?? '';
        inbox.byMessageId.set(id, (inbox.byMessageId.get(id) ?? 0) + 1);
        inbox.byReference.set(ref, (inbox.byReference.get(ref) ?? 0) + 1);
        inbox.accepted += 1;
        const now = performance.now();
        if (!inbox.firstAt) inbox.firstAt = now;
        inbox.lastAt = now;
        callback();
      });
    },
  });
  // A killed worker resets its connections: expected here, not a failure.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return Object.assign(inbox, {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}

/** A fresh DATA_DIR with COUNT queued emails; returns its database URL. */
async function seed(dir: string): Promise<string> {
  const url = `sqlite:${path.join(dir, 'portico.db')}`;
  const db = openDatabase(url);
  await migrateToLatest(db);
  const started = performance.now();
  for (let i = 0; i < COUNT; i += 1000) {
    await db.transaction().execute(async (trx) => {
      for (let n = i; n < Math.min(COUNT, i + 1000); n++) {
        const ref = String(n).padStart(6, '0');
        const email = await renderEmail({
          firmName: 'Clearwater Accounting',
          baseUrl: 'https://portal.clearwater.example',
          subject: 'Your statement is ready',
          greeting: `Hello client ${n},`,
          paragraphs: [`Your statement (ref-${ref}) is in your portal.`],
          action: { label: 'Go to Client Portal', path: `/portal/statements/${ref}` },
        });
        await queueMail(trx, { to: `client${n}@example.com`, kind: 'statement', ...email });
      }
    });
  }
  process.stdout.write(`  queued ${COUNT} emails in ${round((performance.now() - started) / 1000, 1)} s\n`);
  await db.destroy();
  return url;
}

function spawnWorker(databaseUrl: string, inbox: Inbox): Child {
  return spawnNode(WORKER, {
    PATH: process.env.PATH ?? '',
    NODE_ENV: 'production',
    SECRET_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'error',
    BASE_URL: 'https://portal.clearwater.example',
    DATABASE_URL: databaseUrl,
    SMTP_URL: `smtp://127.0.0.1:${inbox.port}?ignoreTLS=true`,
    MAIL_FROM: 'Clearwater Accounting <portal@clearwater.example>',
    QUEUE_CONCURRENCY: String(CONCURRENCY),
    QUEUE_POLL_MS: '50',
    BENCH_LEASE_MS: String(LEASE_MS),
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  child: () => Child,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    const c = child();
    if (c.process.exitCode !== null)
      throw new Error(`the worker exited while waiting for ${what}:\n${c.output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${c.output()}`);
    await sleep(10);
  }
}

async function jobCounts(databaseUrl: string): Promise<Record<string, number>> {
  const db = openDatabase(databaseUrl);
  try {
    const rows = await db
      .selectFrom('jobs')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
  } finally {
    await db.destroy();
  }
}

interface RunResult {
  run: string;
  delivered: number;
  unique: number;
  missing: number;
  duplicates: number;
  seconds: number;
  messagesPerSecond: number;
  /** From the first message to the last: without the worker's start-up. */
  steadyMessagesPerSecond: number;
  jobs: Record<string, number>;
  killedAfter?: number;
}

async function run(name: string, interrupt: 'none' | 'SIGKILL' | 'SIGTERM'): Promise<RunResult> {
  process.stdout.write(`\n${name}\n`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-bench-mail-'));
  const inbox = await startInbox();
  let worker: Child | undefined;
  try {
    const databaseUrl = await seed(dir);
    const started = performance.now();
    worker = spawnWorker(databaseUrl, inbox);
    const current = () => worker!;
    let killedAfter: number | undefined;
    if (interrupt !== 'none') {
      await until('half the messages', () => inbox.accepted >= COUNT / 2, current, 120_000);
      if (interrupt === 'SIGKILL') {
        worker.process.kill('SIGKILL');
        await worker.exited;
      } else {
        await stop(worker);
      }
      killedAfter = inbox.accepted;
      process.stdout.write(`  ${interrupt} after ${killedAfter} messages; starting a new worker\n`);
      worker = spawnWorker(databaseUrl, inbox);
    }
    const uniqueNow = () => inbox.byMessageId.size;
    await until('every message', () => uniqueNow() >= COUNT, current, 300_000);
    const seconds = (inbox.lastAt - started) / 1000;
    // Anything still to come (a duplicate in flight) arrives before the worker stops.
    await stop(worker);
    const jobs = await jobCounts(databaseUrl);
    const unique = inbox.byMessageId.size;
    const references = [...inbox.byReference.keys()].filter((r) => r !== '').length;
    const result: RunResult = {
      run: name,
      delivered: inbox.accepted,
      unique,
      missing: COUNT - Math.min(unique, references),
      duplicates: inbox.accepted - unique,
      seconds: round(seconds, 2),
      messagesPerSecond: round(COUNT / seconds, 0),
      steadyMessagesPerSecond: round(((inbox.accepted - 1) * 1000) / (inbox.lastAt - inbox.firstAt), 0),
      jobs,
      ...(killedAfter === undefined ? {} : { killedAfter }),
    };
    process.stdout.write(
      `  ${result.delivered} delivered, ${result.unique} distinct, ${result.missing} missing, ${result.duplicates} duplicates; ` +
        `${result.seconds} s from the worker's start: ${result.messagesPerSecond} messages/s ` +
        `(${result.steadyMessagesPerSecond}/s from the first message to the last); jobs ${JSON.stringify(jobs)}\n`,
    );
    return result;
  } finally {
    if (worker) await stop(worker);
    await inbox.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  pinSelf();
  process.stdout.write(
    `Email queue: ${COUNT} emails, SQLite, worker concurrency ${CONCURRENCY}, lease ${LEASE_MS / 1000} s, loopback SMTP${PINNED ? ', worker on CPU 1, SMTP server on CPU 0' : ''}\n`,
  );
  const results = [
    await run('1. throughput', 'none'),
    await run('2. worker killed (SIGKILL) halfway, a new one started', 'SIGKILL'),
    await run('3. worker stopped (SIGTERM) halfway, a new one started', 'SIGTERM'),
  ];
  const dir = path.join(repoRoot, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'mail.json'),
    `${JSON.stringify({ at: new Date().toISOString(), count: COUNT, concurrency: CONCURRENCY, pinned: PINNED, results }, null, 2)}\n`,
  );
  process.stdout.write('\nwritten: bench/results/mail.json\n');
  if (results.some((r) => r.missing > 0 || (r.jobs.done ?? 0) !== COUNT)) {
    process.stderr.write('FAILED: a message was lost or a job is not done\n');
    process.exit(1);
  }
  process.exit(0);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
