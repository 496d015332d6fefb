/** Runs the core migrations; the app calls it on start and `npm run migrate` calls it alone. */
import { type Migration, type MigrationProvider, Migrator, sql } from 'kysely';
import { coreMigrations } from '../../migrations/index.js';
import type { Db } from './connect.js';
import { isPostgres } from './migration-helpers.js';

const provider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return coreMigrations;
  },
};

/**
 * On PostgreSQL, Kysely looks for its migration tables in every schema unless told which one;
 * another schema's tables (another app, or a parallel test) would then be taken for ours.
 */
async function currentSchema(db: Db): Promise<string | undefined> {
  if (!isPostgres(db)) return undefined;
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema;
}

export async function migrateToLatest(db: Db): Promise<string[]> {
  const schema = await currentSchema(db);
  const migrator = new Migrator({ db, provider, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
