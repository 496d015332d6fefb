/**
 * Images derived from file contents (a listing's thumbnail, a file page's preview), made on first
 * request and kept as blobs in the same blob store, so they are never made twice. A row is keyed
 * by the source content's SHA-256 and the kind, not by file: two files of the same bytes share
 * them, and a new version gets its own. A row without `sha256` records that the content could not
 * be decoded, so it is not tried again on every view. The blob sweep keeps a derived blob while a
 * row names it, and drops the row once no version names its source.
 */
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('file_previews')
    .addColumn('source_sha256', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    // Null: the source could not be made into an image (undecodable, too large, not allowed).
    .addColumn('sha256', 'text')
    .addColumn('size', 'bigint')
    .addColumn('content_type', 'text')
    .addColumn('width', 'integer')
    .addColumn('height', 'integer')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('file_previews_pkey', ['source_sha256', 'kind'])
    .execute();
  // The sweep asks, per blob, whether a preview row still points at it.
  await db.schema.createIndex('file_previews_sha256').on('file_previews').column('sha256').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('file_previews').execute();
}
