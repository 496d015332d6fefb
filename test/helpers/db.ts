/**
 * A fresh, migrated database per test: SQLite in memory always, and PostgreSQL (one schema per
 * test, dropped afterwards) when TEST_DATABASE_URL is set, so every rule is proven on both.
 */
import { type KyselyPlugin, sql } from 'kysely';
import pg from 'pg';
import { type Db, type Dialect, openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { isPostgres } from '../../src/db/migration-helpers.js';

const PG_URL = process.env.TEST_DATABASE_URL;

// In CI the PostgreSQL half of every test must run: a missing URL fails the run, never skips it.
if (process.env.CI && !PG_URL) {
  throw new Error('CI is set but TEST_DATABASE_URL is not: the PostgreSQL tests would silently not run.');
}

export const DIALECTS: Dialect[] = PG_URL ? ['sqlite', 'postgres'] : ['sqlite'];

export interface TestDb {
  db: Db;
  dialect: Dialect;
  close(): Promise<void>;
}

/**
 * Kysely's migrator reads the catalog of every schema, and PostgreSQL fails that read when another
 * test drops its schema at the same moment. So migrations hold this advisory lock shared, and
 * drops hold it alone: tests still migrate in parallel, and never beside a drop.
 */
const SCHEMA_LOCK = 7_340_021;

async function withPg<T>(run: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** Schemas are named t_<creation time in ms>_<random>, so ones a killed run left behind can be found. */
const STALE_AFTER_MS = 60 * 60 * 1000;
let staleDropped: Promise<void> | undefined;

function dropStaleSchemas(): Promise<void> {
  staleDropped ??= withPg(async (c) => {
    await c.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
    const { rows } = await c.query<{ name: string }>(
      "select nspname as name from pg_namespace where nspname ~ '^t_[0-9]+_'",
    );
    for (const { name } of rows) {
      if (Date.now() - Number(name.split('_')[1]) > STALE_AFTER_MS)
        await c.query(`drop schema if exists ${name} cascade`);
    }
  });
  return staleDropped;
}

export async function freshDatabase(dialect: Dialect): Promise<TestDb> {
  if (dialect === 'sqlite') {
    const db = openDatabase('sqlite::memory:');
    await migrateToLatest(db);
    return { db, dialect, close: () => db.destroy() };
  }
  if (!PG_URL) throw new Error('TEST_DATABASE_URL is not set');
  await dropStaleSchemas();
  const schema = `t_${Date.now()}_${crypto.randomUUID().replaceAll('-', '')}`;
  const db = openDatabase(PG_URL, { searchPath: schema, poolSize: 4 });
  await withPg(async (c) => {
    await c.query('select pg_advisory_lock_shared($1)', [SCHEMA_LOCK]);
    await c.query(`create schema ${schema}`);
    await migrateToLatest(db);
  });
  return {
    db,
    dialect,
    async close() {
      await db.destroy();
      await withPg(async (c) => {
        await c.query('select pg_advisory_lock($1)', [SCHEMA_LOCK]);
        await c.query(`drop schema ${schema} cascade`);
      });
    },
  };
}

/**
 * This database's tables. Not Kysely's introspection: on PostgreSQL it reads every schema, and a
 * parallel test dropping its schema mid-read makes it fail.
 */
async function ownTables(db: Db): Promise<string[]> {
  const query = isPostgres(db)
    ? sql<{ name: string }>`select table_name as name from information_schema.tables
        where table_schema = current_schema() and table_type = 'BASE TABLE'`
    : sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`;
  return (await query.execute(db)).rows.map((r) => r.name);
}

/** Every row of every table, in a stable order: compare two snapshots to prove nothing changed. */
export async function snapshot(db: Db): Promise<Record<string, string[]>> {
  const tables = (await ownTables(db)).filter((n) => !n.startsWith('kysely_'));
  const out: Record<string, string[]> = {};
  for (const name of tables.sort()) {
    // biome-ignore lint/suspicious/noExplicitAny: walking every table generically, for comparison only
    const rows = await (db as any).selectFrom(name).selectAll().execute();
    out[name] = rows.map((r: unknown) => JSON.stringify(r)).sort();
  }
  return out;
}

/** The same database, counting the queries sent through it (to show that an answer cost none). */
export function counted(db: Db): { db: Db; queries: () => number } {
  let sent = 0;
  const counter: KyselyPlugin = {
    transformQuery(args) {
      sent++;
      return args.node;
    },
    transformResult: async (args) => args.result,
  };
  return { db: db.withPlugin(counter), queries: () => sent };
}
