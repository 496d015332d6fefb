/**
 * A PDF's page images are kept in file_previews beside image previews, one row per page (kind
 * 'page-1', 'page-2', …; its thumbnail is its first page, kind 'thumbnail'). `pages` records how
 * many pages the document has, so its preview can say when only the first few are shown; it is
 * null on an image's rows and on a row recording that nothing could be made.
 */
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('file_previews').addColumn('pages', 'integer').execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.alterTable('file_previews').dropColumn('pages').execute();
}
