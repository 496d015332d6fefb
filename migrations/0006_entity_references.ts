/**
 * An entity's reference (the firm's own code for a client, case or matter) is unique, whatever its
 * case, when one is given: contacts and imports name their entity by it.
 */
import { sql } from 'kysely';
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createIndex('entities_reference')
    .on('entities')
    .expression(sql`lower(reference)`)
    .unique()
    .where(sql.ref('reference'), '<>', '')
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropIndex('entities_reference').execute();
}
