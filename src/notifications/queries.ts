/** Client Portal Notifications as stored: which staff receive an entity's client activity. */
import type { Db } from '../db/connect.js';

/** The ids of the staff chosen for the entity, whatever they may see now. */
export async function storedRecipientIds(db: Db, entityId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('entity_notify_recipients')
    .select('user_id')
    .where('entity_id', '=', entityId)
    .orderBy('user_id')
    .execute();
  return rows.map((r) => r.user_id);
}

/** Adds and removes recipients of the entity, in the caller's transaction. */
export async function changeRecipients(
  db: Db,
  entityId: string,
  add: readonly string[],
  remove: readonly string[],
): Promise<void> {
  if (remove.length > 0)
    await db
      .deleteFrom('entity_notify_recipients')
      .where('entity_id', '=', entityId)
      .where('user_id', 'in', remove)
      .execute();
  if (add.length > 0) {
    const now = Date.now();
    await db
      .insertInto('entity_notify_recipients')
      .values(add.map((user_id) => ({ entity_id: entityId, user_id, created_at: now })))
      .onConflict((oc) => oc.columns(['entity_id', 'user_id']).doNothing())
      .execute();
  }
}
