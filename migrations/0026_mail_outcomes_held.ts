/**
 * Outcomes Resend told of an email before Portico had saved Resend's id for it. The mail worker
 * saves the id just after Resend accepts the email; should the process die in between, the job
 * runs again minutes later (Resend, seeing the same idempotency key, answers with the same id), and
 * a "delivered" or "bounced" heard meanwhile would otherwise be lost. Held by Resend's id until the
 * id is saved, then applied; forgotten after a day (an email of another app on the same Resend
 * account is never claimed).
 */
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('mail_outcomes_held')
    .addColumn('provider_id', 'text', (c) => c.primaryKey())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('reason', 'text')
    .addColumn('heard_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('mail_outcomes_held_heard')
    .on('mail_outcomes_held')
    .column('heard_at')
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('mail_outcomes_held').execute();
}
