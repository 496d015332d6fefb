/** Small helpers that let one migration file run unchanged on SQLite and PostgreSQL. */
import { type Kysely, PostgresAdapter, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations run before the Database type of their time exists
export type MigrationDb = Kysely<any>;

export function isPostgres(db: MigrationDb): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

const EVENTS = ['insert', 'update', 'delete'] as const;

/**
 * Makes the change counter `counter`, starting at 0, and on PostgreSQL the function its triggers
 * call. The firm's row is the permissions lock (lockPermissions): taking it before the counter's
 * row puts every writer in one lock order. Without it, a transaction that wrote users and then took
 * the permissions lock could deadlock with one that did the same in the other order.
 */
export async function addCounter(db: MigrationDb, counter: string): Promise<void> {
  await db.insertInto('change_counters').values({ name: counter, version: 0 }).execute();
  if (!isPostgres(db)) return;
  await sql`create function ${sql.raw(`count_${counter}_change`)}() returns trigger language plpgsql as $$
    begin
      update organization set id = id where id = 1;
      update change_counters set version = version + 1 where name = ${sql.lit(counter)};
      return null;
    end $$`.execute(db);
}

/** Undoes `addCounter` (its tables' triggers first: `stopCountingChangesOf`). */
export async function dropCounter(db: MigrationDb, counter: string): Promise<void> {
  if (isPostgres(db)) await sql`drop function ${sql.raw(`count_${counter}_change`)}()`.execute(db);
  await db.deleteFrom('change_counters').where('name', '=', counter).execute();
}

/**
 * Makes every write to `table` move the change counter `counter` (made by `addCounter`). On
 * PostgreSQL the trigger runs *before* the statement: it takes the firm's row before the statement
 * locks any row of `table`, so a writer that took the permissions lock first (lockPermissions) and
 * one that writes first always lock in the same order (an after-trigger let an entity's edit and its
 * deletion deadlock; migration 0016).
 */
export async function countChangesOf(db: MigrationDb, counter: string, table: string): Promise<void> {
  if (isPostgres(db)) {
    await sql`create trigger ${sql.raw(`${table}_changed`)} before insert or update or delete or truncate
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
