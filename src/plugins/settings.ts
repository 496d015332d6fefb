/**
 * Plugins' settings: secrets read from the environment once at start (a bad one stops start-up),
 * and what the Admin saves on each plugin's page, kept as JSON and re-read at most every
 * FRESH_MS, so every app process sees a save within moments.
 */
import * as v from 'valibot';
import type { Db } from '../db/connect.js';
import type { PluginDefinition, PluginSecret } from './define.js';

const FRESH_MS = 2000;

export class PluginStartError extends Error {}

/** The plugin's secrets from `env`; throws naming the plugin and the variable when one is missing or wrong. */
export function readSecrets(
  plugin: PluginDefinition<unknown>,
  env: NodeJS.ProcessEnv,
): Record<string, string | undefined> {
  const secrets: Record<string, string | undefined> = {};
  const declared = plugin.settings?.secrets;
  let specs: Record<string, PluginSecret>;
  try {
    specs = typeof declared === 'function' ? declared(env) : (declared ?? {});
  } catch (error) {
    if (error instanceof PluginStartError)
      throw new PluginStartError(`plugin ${plugin.id}: ${error.message}`);
    throw error;
  }
  for (const [name, secret] of Object.entries(specs)) {
    const value = env[secret.env];
    if (value === undefined || value === '') {
      if (!secret.optional) throw new PluginStartError(`plugin ${plugin.id}: ${secret.env} is not set`);
      secrets[name] = undefined;
      continue;
    }
    const checked = secret.schema ? v.safeParse(secret.schema, value) : null;
    // The value itself is never shown: it is a secret.
    if (checked && !checked.success)
      throw new PluginStartError(`plugin ${plugin.id}: ${secret.env} ${checked.issues[0].message}`);
    secrets[name] = value;
  }
  return secrets;
}

export type SettingsState = { configured: true; values: Record<string, unknown> } | { configured: false };

export class PluginSettingsStore {
  readonly #cache = new Map<string, { state: SettingsState; at: number }>();

  constructor(private readonly db: Db) {}

  /** A plugin without settings fields is always configured; one with them, once a valid save exists. */
  async state(plugin: PluginDefinition<unknown>, now = Date.now()): Promise<SettingsState> {
    const fields = plugin.settings?.fields;
    if (!fields) return { configured: true, values: {} };
    const hit = this.#cache.get(plugin.id);
    if (hit && now - hit.at < FRESH_MS) return hit.state;
    const row = await this.db
      .selectFrom('plugin_settings')
      .select('values_json')
      .where('plugin_id', '=', plugin.id)
      .executeTakeFirst();
    // Nothing saved: a plugin whose every field may be empty runs with its defaults.
    const parsed = v.safeParse(fields, row ? JSON.parse(row.values_json) : {});
    // Saved values the plugin's schema no longer accepts (a new version) leave it unconfigured.
    const state: SettingsState = parsed?.success
      ? { configured: true, values: parsed.output }
      : { configured: false };
    this.#cache.set(plugin.id, { state, at: now });
    return state;
  }

  /** The last known state without a database read (for synchronous checks); refreshed by `state`. */
  known(plugin: PluginDefinition<unknown>): SettingsState {
    if (!plugin.settings?.fields) return { configured: true, values: {} };
    return this.#cache.get(plugin.id)?.state ?? { configured: false };
  }

  /** The saved form's values, valid or not, to show on the settings page. */
  async saved(pluginId: string): Promise<Record<string, unknown>> {
    const row = await this.db
      .selectFrom('plugin_settings')
      .select('values_json')
      .where('plugin_id', '=', pluginId)
      .executeTakeFirst();
    return row ? (JSON.parse(row.values_json) as Record<string, unknown>) : {};
  }

  /** Saves values that passed the plugin's schema, in `trx`. */
  async save(trx: Db, pluginId: string, values: Record<string, unknown>, now = Date.now()): Promise<void> {
    const values_json = JSON.stringify(values);
    await trx
      .insertInto('plugin_settings')
      .values({ plugin_id: pluginId, values_json, updated_at: now })
      .onConflict((oc) => oc.column('plugin_id').doUpdateSet({ values_json, updated_at: now }))
      .execute();
    this.#cache.delete(pluginId);
  }
}
