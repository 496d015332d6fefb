/**
 * The background work of one app process: the mail transport the configuration chose and a worker
 * running every job kind's handler. Started by server.ts after migrations; `stop` finishes
 * the jobs in hand (so an orderly restart sends nothing twice) and closes the transport.
 */
import { passwordResetRequestHandler, signInRequestHandler } from './auth/index.js';
import type { Db } from './db/connect.js';
import { startWorker } from './jobs/worker.js';
import { type Config, DEFAULT_LINKS, DEFAULT_QUEUE } from './kernel/config.js';
import type { Logger } from './kernel/log.js';
import { mailJobHandler } from './mail/send.js';
import { createTransport, describeTransport } from './mail/transport.js';

export interface BackgroundJobs {
  stop(): Promise<void>;
}

export function startBackgroundJobs(deps: { config: Config; db: Db; log: Logger }): BackgroundJobs {
  const { config, db, log } = deps;
  const transport = createTransport(config, db);
  const queue = config.queue ?? DEFAULT_QUEUE;
  const worker = startWorker({
    db,
    log,
    handlers: {
      'mail.send': mailJobHandler(transport),
      'signin.request': signInRequestHandler(db, config.baseUrl, (config.links ?? DEFAULT_LINKS).signInMs),
      'password.reset_request': passwordResetRequestHandler(db, config.baseUrl),
    },
    concurrency: queue.concurrency,
    pollMs: queue.pollMs,
  });
  log.info('email transport', { transport: describeTransport(config), worker: worker.id });
  if (transport.kind === 'outbox' && config.env === 'production')
    log.warn(
      'no email transport configured: emails are kept in the Outbox, not sent; set RESEND_API_KEY or SMTP_URL',
    );
  return {
    async stop() {
      await worker.stop();
      await transport.close();
    },
  };
}
