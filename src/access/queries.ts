/** What the access pages show: names of entities and roles, entities to pick, and contacts to tell. */
import type { Expression, SqlBool } from 'kysely';
import type { Db } from '../db/connect.js';
import { containsInsensitive, PAGE_SIZE } from '../http/search.js';
import { builtInRole, type Principal } from '../permissions/index.js';

export interface EntityChoice {
  id: string;
  name: string;
  reference: string;
}

/** Of `ids`, the entities `visible` lets through (on `e.id`), by id. */
export async function entitiesById(
  db: Db,
  ids: readonly string[],
  visible: Expression<SqlBool>,
): Promise<Map<string, EntityChoice>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .selectFrom('entities as e')
    .select(['e.id', 'e.name', 'e.reference'])
    .where('e.id', 'in', [...new Set(ids)])
    .where(visible)
    .execute();
  return new Map(rows.map((r) => [r.id, r]));
}

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

/** The ticked entities and the first page of those matching the search, all within `visible`. */
export async function entityChoices(
  db: Db,
  visible: Expression<SqlBool>,
  ticked: readonly string[],
  q: string,
): Promise<EntityChoice[]> {
  const term = q.trim();
  const [chosen, found] = await Promise.all([
    entitiesById(db, ticked, visible),
    term
      ? db
          .selectFrom('entities as e')
          .select(['e.id', 'e.name', 'e.reference'])
          .where(visible)
          .where((eb) =>
            eb.or([
              containsInsensitive(eb.ref('e.name'), term),
              containsInsensitive(eb.ref('e.reference'), term),
            ]),
          )
          .orderBy('e.name_normalized')
          .orderBy('e.id')
          .limit(PAGE_SIZE)
          .execute()
      : [],
  ]);
  return [...chosen.values(), ...found.filter((f) => !chosen.has(f.id))];
}

/** Role names by id: built-in ones from code, custom ones from the roles table. */
export async function roleNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const custom: string[] = [];
  for (const id of new Set(ids)) {
    const role = builtInRole(id);
    if (role) names.set(id, role.name);
    else custom.push(id);
  }
  if (custom.length) {
    const rows = await db.selectFrom('roles').select(['id', 'name']).where('id', 'in', custom).execute();
    for (const r of rows) names.set(r.id, r.name);
  }
  return names;
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
