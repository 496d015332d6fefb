/**
 * The usual starting point of an integration test: a fresh database (per dialect) with the firm
 * set up, its first Admin, and the app over it, made before each test and dropped after it.
 * `plugins` loads plugins by name (as PLUGINS does) and runs their migrations, so a plugin's tests
 * use the same harness as the core's.
 */
import type { Hono } from 'hono';
import { afterEach, beforeEach } from 'vitest';
import { type Assembly, assemble, createApp } from '../../src/app.js';
import type { Db, Dialect } from '../../src/db/connect.js';
import type { User } from '../../src/db/schema.js';
import type { Feature } from '../../src/host/index.js';
import type { Config } from '../../src/kernel/config.js';
import { createLogger, silentLogger } from '../../src/kernel/log.js';
import { loadPlugins, migratePlugin, pluginsFrom } from '../../src/plugins/index.js';
import { testConfig } from './app.js';
import { freshDatabase, type TestDb } from './db.js';
import { buildOrganization, buildStaff, type buildUser } from './factories.js';

export interface Firm {
  t: TestDb;
  db: Db;
  app: Hono;
  admin: User;
  /** What the app runs: its host's job handlers are what a worker would run. */
  assembly: Assembly;
  /**
   * The same firm served by another app, as a second process on the same database would serve it
   * (with `config` beside the test's: another process's settings).
   */
  otherProcess(config?: Partial<Config>): Hono;
}

export function useFirm(
  dialect: Dialect,
  options: {
    admin?: Parameters<typeof buildUser>[1];
    features?: readonly Feature[];
    plugins?: readonly string[];
    /** The environment plugins read their secrets from; a function when it is known only once a test's servers start. */
    env?: NodeJS.ProcessEnv | (() => NodeJS.ProcessEnv);
    /** Configuration beside the tests' own; a function when it is known only once a test starts. */
    config?: Partial<Config> | (() => Partial<Config>);
  } = {},
): Firm {
  const firm = {} as Firm;
  beforeEach(async () => {
    const t = await freshDatabase(dialect);
    await buildOrganization(t.db);
    const admin = await buildStaff(t.db, ['admin'], options.admin);
    const env = typeof options.env === 'function' ? options.env() : (options.env ?? {});
    const loaded = await loadPlugins(options.plugins ?? [], env);
    for (const { definition } of loaded) await migratePlugin(t.db, definition);
    const configured = typeof options.config === 'function' ? options.config() : options.config;
    const deps = {
      config: testConfig(configured),
      db: t.db,
      log: process.env.DEBUG_LOG ? createLogger('error') : silentLogger,
    };
    const assembly = assemble(deps, pluginsFrom(loaded, t.db), options.features);
    const otherProcess = (config: Partial<Config> = {}) => {
      const other = { ...deps, config: testConfig({ ...configured, ...config }) };
      return createApp(other, assemble(other, pluginsFrom(loaded, t.db), options.features));
    };
    Object.assign(firm, { t, db: t.db, admin, assembly, app: createApp(deps, assembly), otherProcess });
  });
  afterEach(() => firm.t.close());
  return firm;
}
