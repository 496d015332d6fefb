/**
 * A `notifications` change counter: the staff home page asks on every visit whether the person has
 * anything unread, and with the counter a process keeps "nothing unread" per person until a
 * notification is written or read, instead of asking the database each time. A partial index finds a
 * person's unread ones without walking those already read.
 */
import { sql } from 'kysely';
import {
  addCounter,
  countChangesOf,
  dropCounter,
  type MigrationDb,
  stopCountingChangesOf,
} from '../src/db/migration-helpers.js';

export async function up(db: MigrationDb): Promise<void> {
  await addCounter(db, 'notifications');
  await countChangesOf(db, 'notifications', 'notifications');
  await db.schema
    .createIndex('notifications_unread')
    .on('notifications')
    .column('user_id')
    .where(sql.ref('read_at'), 'is', null)
    .execute();
}

export async function down(db: MigrationDb): Promise<void> {
  await db.schema.dropIndex('notifications_unread').execute();
  await stopCountingChangesOf(db, 'notifications');
  await dropCounter(db, 'notifications');
}
