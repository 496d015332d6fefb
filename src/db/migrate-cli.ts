/** `npm run migrate`: apply pending migrations to the configured database and exit. */
import { ConfigError, loadConfig } from '../kernel/config.js';
import { openDatabase } from './connect.js';
import { migrateToLatest } from './migrate.js';

try {
  const config = loadConfig(process.env);
  const db = openDatabase(config.databaseUrl);
  const applied = await migrateToLatest(db);
  process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'The database is up to date.\n');
  await db.destroy();
} catch (error) {
  process.stderr.write(
    `${error instanceof ConfigError ? error.message : `Migration failed: ${String(error)}`}\n`,
  );
  process.exit(1);
}
