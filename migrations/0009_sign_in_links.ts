/**
 * Sign-in links for contacts ("Go to Client Portal") and the contact's Client portal switch. A
 * link row keeps only the SHA-256 of its token, the email it was sent to (normalized, so changing
 * the contact's email voids it), why it was sent, and when it expires, was voided or was used. A
 * voided link is marked (not its expiry moved: app processes' clocks differ); used_at is set only
 * by a sign-in.
 */
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('sign_in_links')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('email_normalized', 'text', (c) => c.notNull())
    // 'sign_in' (asked for at the sign-in page) or 'invitation' (the Client portal switch).
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .addColumn('voided_at', 'bigint')
    .execute();
  await db.schema.createIndex('sign_in_links_user').on('sign_in_links').column('user_id').execute();
  await db.schema
    .alterTable('contact_profiles')
    .addColumn('portal_access', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('contact_profiles').dropColumn('portal_access').execute();
  await db.schema.dropTable('sign_in_links').execute();
}
