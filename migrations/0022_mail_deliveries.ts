/**
 * What became of an email after Resend accepted it: one row per email sent through Resend, keyed
 * by its queue job (the notification's mail_job_id) and holding Resend's own id for it, which its
 * delivery webhooks name. `state` is the furthest outcome heard (src/mail/deliveries/state.ts);
 * null until a webhook says anything. Kept apart from `jobs`, which forgets done jobs after a week.
 */
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('mail_deliveries')
    .addColumn('job_id', 'text', (c) => c.primaryKey())
    .addColumn('provider_id', 'text', (c) => c.notNull().unique())
    .addColumn('state', 'text')
    .addColumn('sent_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint')
    .execute();
  // The hourly tidying forgets rows by age.
  await db.schema.createIndex('mail_deliveries_sent').on('mail_deliveries').column('sent_at').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('mail_deliveries').execute();
}
