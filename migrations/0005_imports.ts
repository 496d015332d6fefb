/**
 * CSV imports waiting for confirmation: the uploaded text, kept between the preview and the
 * "Import" button so the file need not be sent twice, bound to the session that uploaded it (gone
 * when it signs out) and expiring an hour later. Nothing here is client data until confirmed.
 */
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('import_previews')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('session_id', 'text', (c) => c.notNull().references('sessions.id').onDelete('cascade'))
    // 'entities' or 'contacts'.
    .addColumn('what', 'text', (c) => c.notNull())
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('content', 'text', (c) => c.notNull())
    // JSON array of the line numbers the preview showed as ready to import.
    .addColumn('valid_lines', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('import_previews_session').on('import_previews').column('session_id').execute();
  await db.schema.createIndex('import_previews_expiry').on('import_previews').column('expires_at').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('import_previews').execute();
}
