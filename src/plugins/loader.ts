/**
 * Loads the plugins PLUGINS names: a folder under plugins/ (built with the app) or an installed npm
 * package. Anything wrong (no such plugin, a malformed id, an API range this host does not meet,
 * a required plugin missing, a bad secret) stops start-up with one line naming the plugin.
 */
import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import semver from 'semver';
import { HOST_API_VERSION, type PluginDefinition } from './define.js';
import { PluginStartError, readSecrets } from './settings.js';

export interface LoadedPlugin {
  definition: PluginDefinition<unknown>;
  /** 'plugins/example' or the package name. */
  source: string;
  secrets: Record<string, string | undefined>;
}

const ID = /^[a-z](?:[a-z0-9]|-(?=[a-z0-9]))*$/;

/** Where a folder plugin's entry is, from src/plugins (tests) and dist/src/plugins (built) alike. */
function folderEntry(name: string): URL | null {
  if (!/^[a-z0-9][a-z0-9._-]*$/.test(name)) return null;
  for (const ext of ['js', 'ts', 'tsx']) {
    const url = new URL(`../../plugins/${name}/index.${ext}`, import.meta.url);
    if (fs.existsSync(fileURLToPath(url))) return url;
  }
  return null;
}

function isDefinition(value: unknown): value is PluginDefinition<unknown> {
  const d = value as Partial<PluginDefinition<unknown>> | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    typeof d.id === 'string' &&
    typeof d.version === 'string' &&
    typeof d.host === 'string' &&
    typeof d.register === 'function'
  );
}

/** Checks one plugin's definition on its own; returns the reason it cannot run, or null. */
export function definitionProblem(d: PluginDefinition<unknown>): string | null {
  if (!ID.test(d.id))
    return 'its id must be lowercase letters, digits and single hyphens, starting with a letter';
  if (!semver.validRange(d.host)) return `its host range "${d.host}" is not a semver range`;
  if (!semver.satisfies(HOST_API_VERSION, d.host))
    return `it needs plugin API ${d.host}; this Portico offers ${HOST_API_VERSION}`;
  return null;
}

/** Loads and checks `names`, in order. */
export async function loadPlugins(
  names: readonly string[],
  env: NodeJS.ProcessEnv,
  importer: (specifier: string) => Promise<unknown> = (s) => import(s),
): Promise<LoadedPlugin[]> {
  const loaded: LoadedPlugin[] = [];
  for (const name of names) {
    const entry = folderEntry(name);
    let module: unknown;
    try {
      module = await importer(entry ? entry.href : name);
    } catch (error) {
      const why = error instanceof Error ? error.message.split('\n')[0] : String(error);
      throw new PluginStartError(
        entry
          ? `plugin ${name}: could not be loaded: ${why}`
          : `plugin ${name}: no folder plugins/${name} and no installed package of that name`,
      );
    }
    const definition = (module as { default?: unknown }).default;
    if (!isDefinition(definition))
      throw new PluginStartError(
        `plugin ${name}: its default export is not definePlugin({ id, version, host, register })`,
      );
    const problem = definitionProblem(definition);
    if (problem) throw new PluginStartError(`plugin ${definition.id}: ${problem}`);
    if (loaded.some((p) => p.definition.id === definition.id))
      throw new PluginStartError(`plugin ${definition.id}: listed twice in PLUGINS`);
    loaded.push({
      definition,
      source: entry ? `plugins/${name}` : name,
      secrets: readSecrets(definition, env),
    });
  }
  const ids = new Set(loaded.map((p) => p.definition.id));
  for (const { definition } of loaded)
    for (const needed of definition.requires ?? [])
      if (!ids.has(needed))
        throw new PluginStartError(
          `plugin ${definition.id}: requires plugin ${needed}, which is not in PLUGINS`,
        );
  return loaded;
}
