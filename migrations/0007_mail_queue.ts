/**
 * The background job queue (email first) and the development outbox. A job is one row: claimed by
 * setting locked_by/locked_until (a process that dies mid-job leaves a lock that simply expires),
 * retried by moving run_at forward, finished by status 'done' or 'failed' (failed rows are kept, to
 * be seen). The outbox keeps each email the development transport "sent", keyed by its job.
 */
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('jobs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    // JSON. A finished mail job keeps only who, what subject and what kind: never a link.
    .addColumn('payload', 'text', (c) => c.notNull())
    // 'queued' (waiting or running), 'done' or 'failed'.
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'bigint')
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('done_at', 'bigint')
    .execute();
  // Claiming reads the due queued jobs in run_at order.
  await db.schema.createIndex('jobs_due').on('jobs').columns(['status', 'run_at']).execute();
  // The outbox page lists one kind, newest first.
  await db.schema.createIndex('jobs_kind_created').on('jobs').columns(['kind', 'created_at', 'id']).execute();

  await db.schema
    .createTable('outbox_messages')
    // The message's key (its job's id), so a retried job stores its message once.
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('to_address', 'text', (c) => c.notNull())
    .addColumn('from_address', 'text', (c) => c.notNull())
    .addColumn('reply_to', 'text')
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('text_body', 'text', (c) => c.notNull())
    .addColumn('html_body', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('outbox_messages_created').on('outbox_messages').column('created_at').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('outbox_messages').execute();
  await db.schema.dropTable('jobs').execute();
}
