/**
 * Virus scanning (CLAMD_URL): each version's content is 'clean' or 'pending' (kept, but waiting for
 * the scanner, which was unreachable when it arrived). Infected content never gets a row, so there
 * is no third state. `files.scan_status` mirrors its current version's, as it mirrors the sha and
 * size, so a listing filters in one row per file. Rows from before scanning are 'clean'.
 */
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .alterTable('file_versions')
    .addColumn('scan_status', 'text', (c) => c.notNull().defaultTo('clean'))
    .execute();
  await db.schema
    .alterTable('files')
    .addColumn('scan_status', 'text', (c) => c.notNull().defaultTo('clean'))
    .execute();
  // The rescan job asks every minute for the few pending versions among all of them.
  await db.schema
    .createIndex('file_versions_scan_status')
    .on('file_versions')
    .column('scan_status')
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropIndex('file_versions_scan_status').execute();
  await db.schema.alterTable('files').dropColumn('scan_status').execute();
  await db.schema.alterTable('file_versions').dropColumn('scan_status').execute();
}
