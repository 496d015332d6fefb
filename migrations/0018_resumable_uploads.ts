/**
 * Resumable uploads (the tus protocol, src/files/resumable): the bytes wait in tus's own store until
 * the last one arrives; these rows say whose each upload is, where it goes, and whether it has
 * become a file yet. Every app process reads them, so a chunk may reach any process.
 *
 * `upload_locks` is tus's lock, kept here rather than in one process's memory: a row is a held
 * lock, `held_until` lets a holder that died be taken over, and `release_wanted` asks a live holder
 * (a chunk whose connection was lost without the server noticing) to let go.
 */
import type { MigrationDb } from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await db.schema
    .createTable('resumable_uploads')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id').onDelete('cascade'))
    .addColumn('entity_id', 'text', (c) => c.notNull().references('entities.id').onDelete('cascade'))
    // Null: the entity's top level (staff) or its "From clients" folder (a contact's upload).
    .addColumn('folder_id', 'text', (c) => c.references('folders.id').onDelete('cascade'))
    // 'staff' or 'portal': which rules the finished upload follows.
    .addColumn('via', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    // 'version' or 'keep', as the plain form's choice.
    .addColumn('same_name', 'text', (c) => c.notNull())
    // 'receiving', then 'finishing' (claimed by one request), then 'done' or 'refused'.
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('claimed_at', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('file_id', 'text', (c) => c.references('files.id').onDelete('set null'))
    // What its uploader is told: the file as added ("Return.pdf (version 2)"), or why it was refused.
    .addColumn('message', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('resumable_uploads_by_age')
    .on('resumable_uploads')
    .column('created_at')
    .execute();

  await db.schema
    .createTable('upload_locks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('holder', 'text', (c) => c.notNull())
    .addColumn('held_until', 'bigint', (c) => c.notNull())
    .addColumn('release_wanted', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}
