/**
 * The database counts changes to what a process keeps in memory between requests (rendered
 * fragments of the staff directory, each person's role bindings), so a process can tell whether
 * what it kept is still true without reading the rows again. Triggers do the counting, so every
 * write is counted (the app's, another process's, an operator's psql session), and the new count
 * commits or rolls back with the change itself.
 */
import { sql } from 'kysely';
import {
  countChangesOf,
  isPostgres,
  type MigrationDb,
  stopCountingChangesOf,
} from '../src/db/migration-helpers.js';

/** counter → the tables whose every change moves it */
const COUNTED: Record<string, readonly string[]> = {
  users: ['users'],
  permissions: ['role_bindings', 'group_members', 'groups', 'roles', 'role_permissions'],
  // (and portal_entities, since migration 0010)
};

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('change_counters')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('version', 'bigint', (c) => c.notNull())
    .execute();
  for (const [counter, tables] of Object.entries(COUNTED)) {
    await db.insertInto('change_counters').values({ name: counter, version: 0 }).execute();
    if (isPostgres(db)) {
      // The firm's row is the permissions lock (lockPermissions). Taking it before the counter's
      // row puts every writer in one lock order: without it, a transaction that wrote users and then
      // took the permissions lock could deadlock with one that did the same in the other order.
      await sql`create function ${sql.raw(`count_${counter}_change`)}() returns trigger language plpgsql as $$
        begin
          update organization set id = id where id = 1;
          update change_counters set version = version + 1 where name = ${sql.lit(counter)};
          return null;
        end $$`.execute(db);
    }
    for (const table of tables) await countChangesOf(db, counter, table);
  }
}

export async function down(db: MigrationDb): Promise<void> {
  for (const [counter, tables] of Object.entries(COUNTED)) {
    for (const table of tables) await stopCountingChangesOf(db, table);
    if (isPostgres(db)) await sql`drop function ${sql.raw(`count_${counter}_change`)}()`.execute(db);
  }
  await db.schema.dropTable('change_counters').execute();
}
