/**
 * In-app notifications: one row per person told of something (a client's upload), written in the
 * same transaction as the email that tells them, whose queue job it names, so the page can say
 * whether that email is still queued, was accepted, or failed.
 */
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    // A path inside the app ("/entities/…/files?folder=…"): where the notification leads.
    .addColumn('href', 'text', (c) => c.notNull())
    // Not a foreign key: finished jobs are tidied away after a week, and the notification stays.
    .addColumn('mail_job_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .execute();
  await db.schema
    .createIndex('notifications_by_person')
    .on('notifications')
    .columns(['user_id', 'created_at', 'id'])
    .execute();
}
