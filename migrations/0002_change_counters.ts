/**
 * The database counts changes to what a process keeps in memory between requests (rendered
 * fragments of the staff directory, each person's role bindings), so a process can tell whether
 * what it kept is still true without reading the rows again. Triggers do the counting, so every
 * write is counted (the app's, another process's, an operator's psql session), and the new count
 * commits or rolls back with the change itself.
 */
import {
  addCounter,
  countChangesOf,
  dropCounter,
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
    await addCounter(db, counter);
    for (const table of tables) await countChangesOf(db, counter, table);
  }
}

export async function down(db: MigrationDb): Promise<void> {
  for (const [counter, tables] of Object.entries(COUNTED)) {
    for (const table of tables) await stopCountingChangesOf(db, table);
    await dropCounter(db, counter);
  }
  await db.schema.dropTable('change_counters').execute();
}
