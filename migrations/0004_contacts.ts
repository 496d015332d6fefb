/**
 * Contacts: the firm's clients' people. A contact is a row of `users` (kind 'contact'), so one
 * email is one person across staff and contacts; what only contacts have lives here: their client
 * entity (the entity they belong to; access to it is still given by roles) and their Details.
 */
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('contact_profiles')
    .addColumn('user_id', 'text', (c) => c.primaryKey().references('users.id').onDelete('cascade'))
    // A deleted entity leaves its contacts in the directory, without a client entity.
    .addColumn('client_entity_id', 'text', (c) => c.references('entities.id').onDelete('set null'))
    .addColumn('phone', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('notes', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('contact_profiles_entity')
    .on('contact_profiles')
    .column('client_entity_id')
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropTable('contact_profiles').execute();
}
