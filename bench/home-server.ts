/**
 * The staff home page with its panels filled or empty, for `npm run bench`'s comparison: the app
 * as server.js assembles it (the core features and the plugins PLUGINS names, over the database
 * DATABASE_URL or DATA_DIR names, already migrated), except that with EMPTY_PANELS=1 nothing
 * fills the slot 'home.panels'. The same data and the same code otherwise, so the difference is
 * what the panels cost.
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
const host = createHost(
  { config, db, log, organization },
  process.env.EMPTY_PANELS === '1' ? features.map(withoutPanels) : features,
);
const app = createApp({ config, db, log }, { host, organization, plugins });
const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host });
process.on('SIGTERM', () => server.close(() => process.exit(0)));
