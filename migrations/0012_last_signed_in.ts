/**
 * When each person last signed in (a session started for them), shown on a contact's page as
 * "Last signed in". Sessions themselves are deleted at sign-out and expiry, so they cannot say it.
 * Null: never.
 */
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('users').addColumn('last_signed_in_at', 'bigint').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('users').dropColumn('last_signed_in_at').execute();
}
