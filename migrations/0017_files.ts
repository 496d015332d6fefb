/**
 * Files and folders inside an entity, and every version of each file. The content lives in the
 * blob store under its SHA-256 (src/storage); a row points at a blob only after the blob is durable,
 * and a blob no version points to is swept after a grace period.
 *
 * Names are unique within a folder whatever their case or Unicode normalization: `name_key` holds
 * the folded name, and `place` holds the folder's id, or '' at the entity's top level, so the unique
 * index works on both dialects (NULLs would never collide). A folder's `path` lists its ancestors'
 * ids, outermost first, separated by '/': the scope chain of anything inside it, read in one row.
 * Who made and last changed a row is kept as a label beside the user id, so it survives the user.
 */
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('folders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id').onDelete('cascade'))
    // No cascade: only an empty folder is deleted.
    .addColumn('parent_id', 'text', (c) => c.references('folders.id'))
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('path', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('folders_name_unique', ['entity_id', 'place', 'name_key'])
    .execute();

  await db.schema
    .createTable('files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id').onDelete('cascade'))
    .addColumn('folder_id', 'text', (c) => c.references('folders.id'))
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    // The current version's, copied so a listing reads one row per file.
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('created_by_label', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('modified_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('modified_by_label', 'text', (c) => c.notNull())
    .addColumn('modified_at', 'bigint', (c) => c.notNull())
    // The unique index also serves the listing by name.
    .addUniqueConstraint('files_name_unique', ['entity_id', 'place', 'name_key'])
    .execute();
  // A folder's listing sorted by date or by size, paged, with 100,000 files in it.
  await db.schema
    .createIndex('files_by_date')
    .on('files')
    .columns(['entity_id', 'place', 'modified_at', 'id'])
    .execute();
  await db.schema
    .createIndex('files_by_size')
    .on('files')
    .columns(['entity_id', 'place', 'size', 'id'])
    .execute();
  await db.schema.createIndex('folders_parent').on('folders').column('parent_id').execute();
  await db.schema.createIndex('files_folder').on('files').column('folder_id').execute();

  await db.schema
    .createTable('file_versions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('file_id', 'text', (c) => c.notNull().references('files.id').onDelete('cascade'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('uploaded_by', 'text', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('uploaded_by_label', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'bigint', (c) => c.notNull())
    .addUniqueConstraint('file_versions_number_unique', ['file_id', 'number'])
    .execute();
  // The sweep asks, per blob, whether any version still points at it.
  await db.schema.createIndex('file_versions_sha256').on('file_versions').column('sha256').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.deleteFrom('role_bindings').where('scope_type', '=', 'folder').execute();
  await db
    .deleteFrom('role_bindings')
    .where('scope_type', '=', 'item')
    .where('scope_id', 'in', db.selectFrom('files').select('id'))
    .execute();
  await db.schema.dropTable('file_versions').execute();
  await db.schema.dropTable('files').execute();
  await db.schema.dropTable('folders').execute();
}
