/** Reading for the client portal: a contact's Client portal switch and the entities a filter lets through. */
import type { Expression, SqlBool } from 'kysely';
import type { Db } from '../db/connect.js';

/** True when the contact's Client portal switch is on. */
export async function portalAccessOf(db: Db, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('contact_profiles')
    .select('portal_access')
    .where('user_id', '=', userId)
    .executeTakeFirst();
  return row?.portal_access === 1;
}

export async function setPortalFlag(db: Db, userId: string, on: boolean): Promise<void> {
  await db
    .updateTable('contact_profiles')
    .set({ portal_access: on ? 1 : 0 })
    .where('user_id', '=', userId)
    .execute();
}

/** The entities `visible` lets through, by name (a contact holds a handful; capped all the same). */
export function portalEntities(db: Db, visible: Expression<SqlBool>) {
  return db
    .selectFrom('entities as e')
    .select(['e.id', 'e.name'])
    .where(visible)
    .orderBy('e.name')
    .orderBy('e.id')
    .limit(200)
    .execute();
}
