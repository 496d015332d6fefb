/**
 * Runs a plugin's own migrations, recorded in its own tables (`<prefix>migrations`), each given a
 * handle that reaches only the plugin's tables. Run at start, after the core migrations.
 */
import { type Migration, Migrator, sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { isPostgres } from '../db/migration-helpers.js';
import type { PluginDefinition } from './define.js';
import { PluginStartError } from './settings.js';
import { guardedDb, tablePrefix } from './table-guard.js';

export async function migratePlugin(db: Db, plugin: PluginDefinition<unknown>): Promise<string[]> {
  const entries = Object.entries(plugin.migrations ?? {});
  if (entries.length === 0) return [];
  const migrations: Record<string, Migration> = Object.fromEntries(
    entries.map(([name, m]) => [
      name,
      {
        up: (trx) => m.up(guardedDb(trx, plugin.id)),
        ...(m.down ? { down: (trx) => m.down!(guardedDb(trx, plugin.id)) } : {}),
      },
    ]),
  );
  const prefix = tablePrefix(plugin.id);
  // As for the core migrations: on PostgreSQL, look for the migration tables in this schema only.
  const schema = isPostgres(db)
    ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
    : undefined;
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: `${prefix}migrations`,
    migrationLockTableName: `${prefix}migrations_lock`,
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error)
    throw new PluginStartError(
      `plugin ${plugin.id}: a migration failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
