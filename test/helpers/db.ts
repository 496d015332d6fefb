/**
 * A fresh, migrated database per test: SQLite in memory always, and PostgreSQL (one schema per
 * test, dropped afterwards) when TEST_DATABASE_URL is set, so every rule is proven on both.
 */
import pg from 'pg';
import { type Db, type Dialect, openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

const PG_URL = process.env.TEST_DATABASE_URL;

export const DIALECTS: Dialect[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDb {
  db: Db;
  dialect: Dialect;
  close(): Promise<void>;
}

export async function freshDatabase(dialect: Dialect): Promise<TestDb> {
  if (dialect === 'sqlite') {
    const db = openDatabase('sqlite::memory:');
    await migrateToLatest(db);
    return { db, dialect, close: () => db.destroy() };
  }
  if (!PG_URL) throw new Error('TEST_DATABASE_URL is not set');
  const schema = `t_${crypto.randomUUID().replaceAll('-', '')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = openDatabase(PG_URL, { searchPath: schema, poolSize: 4 });
  const close = async () => {
    await db.destroy();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`drop schema ${schema} cascade`);
    await c.end();
  };
  try {
    await migrateToLatest(db, { schema });
  } catch (error) {
    // The test never gets this database to close: drop it here, or its schema is left behind.
    await close();
    throw error;
  }
  return { db, dialect, close };
}

/** Every row of every table, in a stable order: compare two snapshots to prove nothing changed. */
export async function snapshot(db: Db): Promise<Record<string, string[]>> {
  const tables = (await db.introspection.getTables())
    .map((t) => t.name)
    .filter((n) => !n.startsWith('kysely_'));
  const out: Record<string, string[]> = {};
  for (const name of tables.sort()) {
    // biome-ignore lint/suspicious/noExplicitAny: walking every table generically, for comparison only
    const rows = await (db as any).selectFrom(name).selectAll().execute();
    out[name] = rows.map((r: unknown) => JSON.stringify(r)).sort();
  }
  return out;
}
