/** Runs the core migrations; the app calls it on start and `npm run migrate` calls it alone. */
import { type Migration, type MigrationProvider, Migrator } from 'kysely';
import { coreMigrations } from '../../migrations/index.js';
import type { Db } from './connect.js';

const provider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return coreMigrations;
  },
};

export async function migrateToLatest(db: Db): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
