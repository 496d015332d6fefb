/**
 * Which listener has had which event: a delivery is recorded in the same transaction as the
 * listener's own database work, so a retried delivery job never does that work twice.
 */
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('event_deliveries')
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('listener', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('event_deliveries_pk', ['event_id', 'listener'])
    .execute();
  await db.schema.createIndex('event_deliveries_at').on('event_deliveries').column('delivered_at').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('event_deliveries').execute();
}
