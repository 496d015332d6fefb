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

export interface PendingInvitation {
  id: string;
  first_name: string;
  last_name: string;
  client: string | null;
  /** When the latest invitation was sent; null when none was (or it was cleared away long since). */
  invited_at: number | null;
}

/**
 * Contacts whose Client portal switch is on who have never signed in, among those `visible` lets
 * through (on `cp.client_entity_id`), the latest invited first: the invitations not yet accepted.
 */
export function pendingInvitations(
  db: Db,
  visible: Expression<SqlBool>,
  limit: number,
): Promise<PendingInvitation[]> {
  return db
    .selectFrom('users as u')
    .innerJoin('contact_profiles as cp', 'cp.user_id', 'u.id')
    .leftJoin('entities as e', 'e.id', 'cp.client_entity_id')
    .leftJoin('sign_in_links as sl', (join) =>
      join.onRef('sl.user_id', '=', 'u.id').on('sl.purpose', 'in', ['invitation', 'portal_invitation']),
    )
    .where('u.kind', '=', 'contact')
    .where('u.disabled_at', 'is', null)
    .where('u.last_signed_in_at', 'is', null)
    .where('cp.portal_access', '=', 1)
    .where(visible)
    .groupBy(['u.id', 'u.first_name', 'u.last_name', 'e.name'])
    .select(['u.id', 'u.first_name', 'u.last_name', 'e.name as client'])
    .select((eb) => eb.fn.max('sl.created_at').as('invited_at'))
    .orderBy('invited_at', 'desc')
    .orderBy('u.id')
    .limit(limit)
    .execute()
    .then((rows) =>
      rows.map((r) => ({ ...r, invited_at: r.invited_at === null ? null : Number(r.invited_at) })),
    );
}
