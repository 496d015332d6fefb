/**
 * The staff home page's panels ("what needs me") read clients, contacts and the invitations sent
 * to them. A `clients` change counter over those tables lets a process keep each person's panels
 * rendered until one of them changes, and an index on when a client last changed serves "Recently
 * changed" without a scan.
 */
import {
  addCounter,
  countChangesOf,
  dropCounter,
  type MigrationDb,
  stopCountingChangesOf,
} from '../src/db/migration-helpers.js';

const TABLES = ['entities', 'contact_profiles', 'sign_in_links'] as const;

export async function up(db: MigrationDb): Promise<void> {
  await addCounter(db, 'clients');
  for (const table of TABLES) await countChangesOf(db, 'clients', table);
  await db.schema.createIndex('entities_updated').on('entities').columns(['updated_at', 'id']).execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropIndex('entities_updated').execute();
  for (const table of TABLES) await stopCountingChangesOf(db, table);
  await dropCounter(db, 'clients');
}
