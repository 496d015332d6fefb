/**
 * The queue-throughput benchmark's worker process: configuration from the environment exactly as
 * the server reads it (DATABASE_URL, SMTP_URL, MAIL_FROM, QUEUE_CONCURRENCY, QUEUE_POLL_MS), the
 * transport the server would choose and the same worker, with one difference: the lease comes from
 * BENCH_LEASE_MS, so jobs a killed worker held come back in seconds rather than five minutes.
 * SIGTERM stops it the way the server stops (jobs in hand finish); SIGKILL is the crash.
 */

import { openDatabase } from '../src/db/connect.js';
import { startWorker } from '../src/jobs/worker.js';
import { loadConfig } from '../src/kernel/config.js';
import { createLogger } from '../src/kernel/log.js';
import { mailJobHandler } from '../src/mail/send.js';
import { createTransport } from '../src/mail/transport.js';

const config = loadConfig(process.env);
const log = createLogger(config.logLevel);
const db = openDatabase(config.databaseUrl);
const transport = createTransport(config, db);
const worker = startWorker({
  db,
  log,
  handlers: { 'mail.send': mailJobHandler(transport) },
  concurrency: config.queue?.concurrency,
  pollMs: config.queue?.pollMs,
  leaseMs: Number(process.env.BENCH_LEASE_MS ?? 300_000),
});
process.stdout.write(`worker ${worker.id} started\n`);

process.once('SIGTERM', async () => {
  await worker.stop();
  await transport.close();
  await db.destroy();
  process.exit(0);
});
