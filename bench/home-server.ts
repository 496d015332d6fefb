/**
 * The staff home page with its panels filled and empty, for `npm run bench`'s comparison: two apps
 * in one process, each as server.js assembles it (the core features and the plugins PLUGINS names,
 * over the database DATABASE_URL or DATA_DIR names, already migrated). The one on PORT is the app
 * as it is; the one on EMPTY_PORT leaves out everything registered for the slot 'home.panels'. The
 * same data, the same code and the same process otherwise, so the difference is what the panels
 * cost: two processes running the same code differed by ±15 µs a response, more than the panels.
 */
import { serve } from '@hono/node-server';
import { createApp } from '../src/app.js';
import { openDatabase } from '../src/db/connect.js';
import { organizationCache } from '../src/db/organization-cache.js';
import { FEATURES } from '../src/features.js';
import { createHost, type Feature } from '../src/host/index.js';
import { loadConfig } from '../src/kernel/config.js';
import { createLogger } from '../src/kernel/log.js';
import { loadPlugins, pluginsFrom } from '../src/plugins/index.js';

/** The feature, less what it puts in the home page's panels. */
const withoutPanels = (feature: Feature): Feature => ({
  ...feature,
  register: (r, deps) =>
    feature.register(
      {
        ...r,
        slot: (name, fill, order) => {
          if (name !== 'home.panels') r.slot(name, fill, order);
        },
      },
      deps,
    ),
});

const config = loadConfig(process.env);
const log = createLogger(config.logLevel);
const db = openDatabase(config.databaseUrl);
const plugins = pluginsFrom(await loadPlugins(config.plugins ?? [], process.env), db);
const features = [...FEATURES, ...plugins.features];
const organization = organizationCache(db);
const appWith = (list: Feature[]) =>
  createApp(
    { config, db, log },
    { host: createHost({ config, db, log, organization }, list), organization, plugins },
  );
const servers = [
  serve({ fetch: appWith(features).fetch, port: config.port, hostname: config.host }),
  serve({
    fetch: appWith(features.map(withoutPanels)).fetch,
    port: Number(process.env.EMPTY_PORT),
    hostname: config.host,
  }),
];
process.on('SIGTERM', () => {
  for (const server of servers) server.close();
  process.exit(0);
});
