/** Runs the core migrations; the app calls it on start and `npm run migrate` calls it alone. */
import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import { coreMigrations } from '../../migrations/index.js';
import type { Db } from './connect.js';

const provider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return coreMigrations;
  },
};

/**
 * `schema` (PostgreSQL only) names the schema the migration bookkeeping tables live in. Without it
 * Kysely looks for them in every schema of the database, so a database holding another copy of
 * Portico in another schema (the tests make one schema per test) would be taken as migrated.
 */
export async function migrateToLatest(db: Db, options: { schema?: string } = {}): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider,
    ...(options.schema ? { migrationTableSchema: options.schema } : {}),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
