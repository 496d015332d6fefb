/**
 * The plugin host: the plugin API (definePlugin and its ctx), the loader, the table guard, and the
 * Admin's Plugins page. See docs/plugins.md.
 */
import type { Db } from '../db/connect.js';
import { defineFeature, type Feature } from '../host/index.js';
import { can } from '../permissions/index.js';
import { pluginFeature } from './context.js';
import type { LoadedPlugin } from './loader.js';
import { pluginRoutes } from './routes.js';
import { PluginSettingsStore } from './settings.js';

export { markup } from '../../views/markup.js';
export { themeColourProblem } from '../http/theme.js';
export {
  definePlugin,
  HOST_API_VERSION,
  type PluginContext,
  type PluginDefinition,
  type PluginMigration,
  type PluginSecret,
} from './define.js';
export { type LoadedPlugin, loadPlugins } from './loader.js';
export { migratePlugin } from './migrate.js';
export { PluginStartError } from './settings.js';
export { guardedDb, TableRefused, tablePrefix } from './table-guard.js';

/** The enabled plugins of one process, as features, with what tells whether each is configured. */
export interface Plugins {
  loaded: readonly LoadedPlugin[];
  /** Each plugin as a feature, and the Plugins page. */
  features: readonly Feature[];
  /** Re-reads each plugin's settings state when it has gone stale (cheap: cached for moments). */
  refresh(): Promise<void>;
}

export function pluginsFrom(loaded: readonly LoadedPlugin[], db: Db): Plugins {
  const store = new PluginSettingsStore(db);
  const page = defineFeature({
    id: 'plugins',
    register(r, deps) {
      r.routes(pluginRoutes(deps, loaded, store));
      r.nav({
        href: '/plugins',
        label: 'Plugins',
        audience: 'staff',
        section: 'admin',
        visible: (actor) => can(actor, 'organization:R'),
        order: 95,
      });
    },
  });
  return {
    loaded,
    features: [...loaded.map((p) => pluginFeature(p, store)), page],
    async refresh() {
      for (const p of loaded) await store.state(p.definition);
    },
  };
}
