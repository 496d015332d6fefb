/**
 * A fresh, migrated database per test: SQLite in memory always, and PostgreSQL (one schema per
 * test, dropped afterwards) when TEST_DATABASE_URL is set, so every rule is proven on both.
 */
import { sql } from 'kysely';
import pg from 'pg';
import { type Db, type Dialect, openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';

const PG_URL = process.env.TEST_DATABASE_URL;

export const DIALECTS: Dialect[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/** The PostgreSQL schema each test database lives in (the database is shared with other runs). */
const schemaOf = new WeakMap<Db, string>();

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
  schemaOf.set(db, schema);
  const close = async () => {
    await db.destroy();
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`drop schema ${schema} cascade`);
    await c.end();
  };
  try {
    await migrateWhileOthersDrop(db, schema);
  } catch (error) {
    // The test never gets this database to close: drop it here, or its schema is left behind.
    await close();
    throw error;
  }
  return { db, dialect, close };
}

/**
 * Kysely's migrator reads the catalogue of every schema, and PostgreSQL fails that read when
 * another run drops its own schema at that moment ("schema t_… does not exist", 3F000). Another
 * run's schema is no concern of this one: try again.
 */
async function migrateWhileOthersDrop(db: Db, schema: string, attempts = 5): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrateToLatest(db, { schema });
      return;
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const ours = String((error as Error).message).includes(schema);
      if (code !== '3F000' || ours || attempt >= attempts) throw error;
    }
  }
}

/** Every row of every table, in a stable order: compare two snapshots to prove nothing changed. */
export async function snapshot(db: Db): Promise<Record<string, string[]>> {
  // Only this test's own schema (other runs' schemas in the same database hold other tables), read
  // without Kysely's introspection, which fails when another run drops its schema meanwhile.
  const schema = schemaOf.get(db);
  const { rows } = await (schema === undefined
    ? sql<{ name: string }>`select name from sqlite_master where type = 'table'`
    : sql<{ name: string }>`select table_name as name from information_schema.tables
        where table_schema = ${schema} and table_type = 'BASE TABLE'`
  ).execute(db);
  const tables = rows.map((t) => t.name).filter((n) => !n.startsWith('kysely_') && !n.startsWith('sqlite_'));
  const out: Record<string, string[]> = {};
  for (const name of tables.sort()) {
    // biome-ignore lint/suspicious/noExplicitAny: walking every table generically, for comparison only
    const rows = await (db as any).selectFrom(name).selectAll().execute();
    out[name] = rows.map((r: unknown) => JSON.stringify(r)).sort();
  }
  return out;
}
