/**
 * What the Admin entered on each plugin's settings page, as JSON, once it passed the plugin's
 * checks. A plugin with settings fields and no row here is "not configured".
 */
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('plugin_settings')
    .addColumn('plugin_id', 'text', (c) => c.primaryKey())
    .addColumn('values_json', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('plugin_settings').execute();
}
