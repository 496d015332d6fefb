/** What the access pages show: names of portals, and contacts to tell. */
import type { Expression, SqlBool } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Principal } from '../permissions/index.js';

/** Of `ids`, the portals `visible` lets through (on `p.id`), by id. */
export async function portalsById(
  db: Db,
  ids: readonly string[],
  visible: Expression<SqlBool>,
): Promise<Map<string, { id: string; name: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('portals as p')
    .select(['p.id', 'p.name'])
    .where('p.id', 'in', [...new Set(ids)])
    .where(visible)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** A contact given a role: named, with their Client portal switch (to know whether to email them). */
export interface ContactToTell {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  portalOn: boolean;
}

/** The contacts a principal stands for: the contact itself, or a contact group's members. */
export async function contactsOf(db: Db, principal: Principal): Promise<ContactToTell[]> {
  let query = db
    .selectFrom('users as u')
    .innerJoin('contact_profiles as cp', 'cp.user_id', 'u.id')
    .select(['u.id', 'u.first_name as firstName', 'u.last_name as lastName', 'u.email', 'cp.portal_access'])
    .where('u.kind', '=', 'contact');
  query =
    'userId' in principal
      ? query.where('u.id', '=', principal.userId)
      : query.where('u.id', 'in', (eb) =>
          eb.selectFrom('group_members').select('user_id').where('group_id', '=', principal.groupId),
        );
  const rows = await query.orderBy('u.last_name').orderBy('u.first_name').orderBy('u.id').execute();
  return rows.map(({ portal_access, ...r }) => ({ ...r, portalOn: portal_access === 1 }));
}

/** How many enabled accounts the rows reach: the people given a role and the members of the groups given one. */
export async function peopleHolding(
  db: Db,
  rows: readonly { user: { id: string } | null; group: { id: string } | null }[],
): Promise<number> {
  const users = rows.flatMap((r) => (r.user ? [r.user.id] : []));
  const groups = rows.flatMap((r) => (r.group ? [r.group.id] : []));
  if (users.length === 0 && groups.length === 0) return 0;
  const { n } = await db
    .selectFrom('users as u')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('u.disabled_at', 'is', null)
    .where((eb) =>
      eb.or([
        ...(users.length ? [eb('u.id', 'in', users)] : []),
        ...(groups.length
          ? [
              eb(
                'u.id',
                'in',
                eb.selectFrom('group_members').select('user_id').where('group_id', 'in', groups),
              ),
            ]
          : []),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(n);
}
