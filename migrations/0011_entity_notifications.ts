/**
 * Client Portal Notifications: per entity, the staff who receive notices of client activity in it
 * (chosen on the entity's page; read by the activities feature). A row goes with its entity and
 * with its user.
 */
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('entity_notify_recipients')
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('entity_notify_recipients_pk', ['entity_id', 'user_id'])
    .execute();
  // Deleting a user looks their rows up by user.
  await db.schema
    .createIndex('entity_notify_recipients_user')
    .on('entity_notify_recipients')
    .column('user_id')
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('entity_notify_recipients').execute();
}
