/** Small helpers that let one migration file run unchanged on SQLite and PostgreSQL. */
import { type Kysely, PostgresAdapter, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the Database type of their time exists
export type MigrationDb = Kysely<any>;

export function isPostgres(db: MigrationDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

const EVENTS = ['insert', 'update', 'delete'] as const;

/**
 * Makes every write to `table` move the change counter `counter` (migration 0002 made the counters
 * and, on PostgreSQL, the function `count_<counter>_change` each trigger calls).
 */
export async function countChangesOf(db: MigrationDb, counter: string, table: string): Promise<void> {
  if (isPostgres(db)) {
    await sql`create trigger ${sql.raw(`${table}_changed`)} after insert or update or delete or truncate
      on ${sql.table(table)} for each statement execute function ${sql.raw(`count_${counter}_change`)}()`.execute(
      db,
    );
    return;
  }
  for (const event of EVENTS) {
    await sql`create trigger ${sql.raw(`${table}_changed_${event}`)} after ${sql.raw(event)} on ${sql.table(table)}
      begin update change_counters set version = version + 1 where name = ${sql.lit(counter)}; end`.execute(
      db,
    );
  }
}

/** Undoes `countChangesOf`. */
export async function stopCountingChangesOf(db: MigrationDb, table: string): Promise<void> {
  if (isPostgres(db)) {
    await sql`drop trigger ${sql.raw(`${table}_changed`)} on ${sql.table(table)}`.execute(db);
    return;
  }
  for (const event of EVENTS) await sql`drop trigger ${sql.raw(`${table}_changed_${event}`)}`.execute(db);
}
