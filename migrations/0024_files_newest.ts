/**
 * A client's newest files across all its folders (the client portal's home lists the 200 newest a
 * contact may read): read along this index newest first, with the folder and the virus check's
 * state in it, so the scan stops at the 200th match instead of sorting every file of the client.
 */
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createIndex('files_newest')
    .on('files')
    .columns(['entity_id', 'modified_at', 'id', 'place', 'scan_status'])
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropIndex('files_newest').execute();
}
