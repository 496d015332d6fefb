/**
 * The background work of one app process: the mail transport the configuration chose, a worker
 * running every job kind's handler (mail here; the rest as the features registered them), and the
 * ticks that queue scheduled work. Started by server.ts after migrations; `stop` finishes the jobs
 * in hand (so an orderly restart sends nothing twice) and closes the transport.
 */
import type { Db } from './db/connect.js';
import type { Host } from './host/index.js';
import { startWorker } from './jobs/worker.js';
import { type Config, DEFAULT_QUEUE } from './kernel/config.js';
import type { Logger } from './kernel/log.js';
import { beforeSending, mailJobHandler } from './mail/send.js';
import { createTransport, describeTransport } from './mail/transport.js';

export interface BackgroundJobs {
  stop(): Promise<void>;
}

export function startBackgroundJobs(deps: {
  config: Config;
  db: Db;
  log: Logger;
  host: Host;
}): BackgroundJobs {
  const { config, db, log, host } = deps;
  const transport = createTransport(config, db);
  const queue = config.queue ?? DEFAULT_QUEUE;
  const worker = startWorker({
    db,
    log,
    handlers: {
      ...host.jobs,
      'mail.send': mailJobHandler(transport, beforeSending(host), db),
    },
    concurrency: queue.concurrency,
    pollMs: queue.pollMs,
  });
  const stopSchedules = host.schedules.start(db, log);
  log.info('email transport', { transport: describeTransport(config), worker: worker.id });
  if (transport.kind === 'outbox' && config.env === 'production')
    log.warn(
      'no email transport configured: emails are kept in the Outbox, not sent; set RESEND_API_KEY or SMTP_URL',
    );
  return {
    async stop() {
      stopSchedules();
      await worker.stop();
      await transport.close();
    },
  };
}
