/**
 * PostgreSQL only: the change counters' triggers run before each statement instead of after it,
 * so a write takes the firm's row (the permissions lock) before it locks any row of its table.
 * Run after, a write held its rows while waiting for the firm's row, and a transaction that took
 * the permissions lock first and then touched the same rows deadlocked with it (an entity's edit
 * and its deletion; the hourly sweep of sign-in links and a resent invitation). SQLite has one
 * writer at a time and needs nothing.
 */
import {
  countChangesOf,
  isPostgres,
  type MigrationDb,
  stopCountingChangesOf,
} from '../src/db/migration-helpers.js';

/** counter → the tables whose every change moves it (migrations 0002, 0010 and 0015). */
const COUNTED: Record<string, readonly string[]> = {
  users: ['users'],
  permissions: ['role_bindings', 'group_members', 'groups', 'roles', 'role_permissions', 'portal_entities'],
  clients: ['entities', 'contact_profiles', 'sign_in_links'],
};

export async function up(db: MigrationDb): Promise<void> {
  if (!isPostgres(db)) return;
  for (const [counter, tables] of Object.entries(COUNTED)) {
    for (const table of tables) {
      await stopCountingChangesOf(db, table);
      await countChangesOf(db, counter, table);
    }
  }
}

/** The triggers stay before the statement: running them after was the bug. */
export async function down(): Promise<void> {}
