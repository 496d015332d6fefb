/**
 * One Kysely instance per dialect: better-sqlite3 (WAL, foreign keys, busy timeout) by default,
 * PostgreSQL through `pg` when the URL says so. Nothing outside src/db knows which one it got.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely';
import type PgModule from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;
export type Dialect = 'sqlite' | 'postgres';

let pgModule: typeof PgModule | undefined;

/** `pg` is loaded only for PostgreSQL installs: it costs a SQLite install ~15 MB of memory for nothing. */
function loadPg(): typeof PgModule {
  if (!pgModule) {
    pgModule = createRequire(import.meta.url)('pg') as typeof PgModule;
    // bigint (int8) columns hold millisecond timestamps; they fit a JS number exactly.
    pgModule.types.setTypeParser(20, (value: string) => Number(value));
  }
  return pgModule;
}

export interface OpenOptions {
  /** PostgreSQL only: run every statement in this schema (tests use one schema per test). */
  searchPath?: string;
  poolSize?: number;
}

export function dialectOf(url: string): Dialect {
  return url.startsWith('postgres') ? 'postgres' : 'sqlite';
}

export function openDatabase(url: string, options: OpenOptions = {}): Db {
  if (dialectOf(url) === 'postgres') {
    const pool = new (loadPg().Pool)({
      connectionString: url,
      max: options.poolSize ?? 10,
      ...(options.searchPath ? { options: `-c search_path=${options.searchPath}` } : {}),
    });
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  const file = url.slice('sqlite:'.length);
  if (file !== ':memory:') fs.mkdirSync(path.dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  database.pragma('synchronous = NORMAL');
  planWithStatistics(database);
  const writes = { count: 0 };
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(database, writes) }),
  });
  const dataVersion = database.prepare('pragma data_version').pluck();
  changeTokens.set(db, () => `${writes.count} ${dataVersion.get() as number}`);
  return db;
}

const changeTokens = new WeakMap<Db, () => string>();

/**
 * A value that moves whenever the database may have changed: this connection ran anything but a
 * pure read (a write, a transaction's begin or end), or another connection committed (SQLite's
 * `data_version`: the command-line tools, another process). Read before rows are, it tells whether
 * those rows can still be used: while it stays, nothing they were read from has changed. Null where
 * there is no such signal as cheap as the rows themselves (PostgreSQL, where several processes
 * write).
 */
export function changeToken(db: Db): string | null {
  const token = changeTokens.get(db);
  return token ? token() : null;
}

/**
 * Gives SQLite's planner table statistics, as the SQLite docs advise for a long-lived connection:
 * analyze, on opening, the tables never analyzed or much grown since (`optimize=0x10002`), each
 * from a sample (`analysis_limit`), which costs tens of milliseconds at 500,000 bindings. Without
 * statistics SQLite takes `users.kind = ?` for a selective index and walks every contact in name
 * order to find a few hundred of them (`npm run bench:directory`). The hourly cleanup runs
 * `PRAGMA optimize` again (src/host/tidy.ts) as the data grows.
 */
export function planWithStatistics(database: SQLite.Database): void {
  database.pragma('analysis_limit = 400');
  database.pragma('optimize = 0x10002');
  forgetVolatileStatistics(database);
}

/**
 * Tables that swing from a handful of rows to many within hours (a session per sign-in, a link
 * per email, a job per email) and are only ever read by key or index. Statistics taken while one
 * held two rows make the planner scan it, and a prepared statement keeps that plan while the
 * table grows: every signed-in request then read the whole sessions table (`npm run bench:portal`,
 * 0.02 ms to 0.6 ms per request after 15,000 sign-ins). With no statistics SQLite takes a table
 * for large and uses its indexes, which is right for these at any size.
 */
const VOLATILE_TABLES = [
  'sessions',
  'sign_in_links',
  'sign_in_throttle',
  'password_tokens',
  'setup_tokens',
  'jobs',
  'outbox_messages',
  'mail_deliveries',
  'mail_outcomes_held',
  'import_previews',
];

/**
 * Drops the volatile tables' statistics, when there are any, and has the planner reload what is
 * left: run after every `PRAGMA optimize`, here on opening and by the hourly cleanup. Constant
 * SQL: nothing in it comes from input.
 */
export const FORGET_VOLATILE_STATISTICS = {
  when: "select 1 as found from sqlite_schema where name = 'sqlite_stat1'",
  statements: [
    `delete from sqlite_stat1 where tbl in (${VOLATILE_TABLES.map((t) => `'${t}'`).join(', ')})`,
    'analyze sqlite_schema',
  ],
} as const;

function forgetVolatileStatistics(database: SQLite.Database): void {
  if (!database.prepare(FORGET_VOLATILE_STATISTICS.when).get()) return;
  for (const statement of FORGET_VOLATILE_STATISTICS.statements) database.exec(statement);
}

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every statement anew; preparing costs more than running most of ours. The
 * driver runs one statement at a time, so reusing a prepared statement per SQL text is safe. It
 * also counts every statement that is not a pure read, for `changeToken`.
 */
function withStatementCache(database: SQLite.Database, writes: { count: number }): SqliteDatabase {
  const cache = new Map<string, { stmt: SQLite.Statement; pureRead: boolean }>();
  return {
    close: () => database.close(),
    prepare(sql: string): SqliteStatement {
      let entry = cache.get(sql);
      if (!entry) {
        const stmt = database.prepare(sql);
        // BEGIN and COMMIT count as read-only to SQLite; they return no rows, so they count here.
        entry = { stmt, pureRead: stmt.readonly && stmt.reader };
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(sql, entry);
      }
      // Kysely prepares each statement just before running it: counted before it changes anything.
      if (!entry.pureRead) writes.count++;
      return entry.stmt;
    },
  };
}

/** Throws unless the database answers (the health check). */
export async function pingDatabase(db: Db): Promise<void> {
  await db.selectFrom('organization').select('id').limit(1).execute();
}
