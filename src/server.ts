/**
 * The process entry: configuration from the environment, migrations, the first-run setup link,
 * the background jobs (email), listening, and a graceful stop on SIGTERM/SIGINT (in-flight requests
 * and jobs finish, the database closes).
 */
import { serve } from '@hono/node-server';
import { assemble, createApp } from './app.js';
import { startBackgroundJobs } from './background.js';
import { dialectOf, openDatabase } from './db/connect.js';
import { migrateToLatest } from './db/migrate.js';
import { ConfigError, loadConfig } from './kernel/config.js';
import { createLogger } from './kernel/log.js';
import { resolveSecretKey } from './kernel/secret-key.js';
import { loadPlugins, migratePlugin, pluginsFrom } from './plugins/index.js';
import { issueSetupToken } from './setup/index.js';

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  config = { ...config, secretKey: await resolveSecretKey(config) };
  const log = createLogger(config.logLevel);
  const db = openDatabase(config.databaseUrl);
  const applied = await migrateToLatest(db);
  if (applied.length) log.info('migrations applied', { migrations: applied });
  const loaded = await loadPlugins(config.plugins ?? [], process.env);
  for (const { definition } of loaded) {
    const ran = await migratePlugin(db, definition);
    if (ran.length) log.info('plugin migrations applied', { plugin: definition.id, migrations: ran });
  }

  const setupToken = await issueSetupToken(db);
  if (setupToken) {
    // Printed outside the structured log on purpose: it is the one secret meant for the operator's eyes.
    process.stdout.write(
      `\n  Portico is not set up yet. To create your firm and its first Admin, open:\n\n    ${config.baseUrl}/setup?token=${setupToken}\n\n`,
    );
  }

  const assembly = assemble({ config, db, log }, pluginsFrom(loaded, db));
  if (loaded.length)
    log.info('plugins enabled', { plugins: loaded.map((p) => `${p.definition.id}@${p.definition.version}`) });
  const jobs = startBackgroundJobs({ config, db, log, host: assembly.host });
  const app = createApp({ config, db, log }, assembly);
  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    log.info('listening', {
      address: info.address,
      port: info.port,
      baseUrl: config.baseUrl,
      dialect: dialectOf(config.databaseUrl),
    });
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    // Claims no more jobs now; those in hand finish before the database closes.
    const jobsStopped = jobs.stop();
    const force = setTimeout(() => {
      log.warn('forcing stop: requests still open after 10 s');
      process.exit(1);
    }, 10_000);
    force.unref();
    server.close(async () => {
      await jobsStopped;
      await db.destroy();
      log.info('stopped');
      process.exit(0);
    });
    // Keep-alive connections become idle as their last request finishes; close each as it does.
    if ('closeIdleConnections' in server) setInterval(() => server.closeIdleConnections(), 50).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `Portico could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
