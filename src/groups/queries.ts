/** Reading staff groups and contact groups, and their members. */
import type { Expression, SqlBool } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Group, UserKind } from '../db/schema.js';
import { containsInsensitive, PAGE_SIZE } from '../http/search.js';
import { systemRolesOfGroups } from '../permissions/index.js';

export interface GroupRow {
  id: string;
  name: string;
  description: string;
  members: number;
  roleIds: string[];
}

export async function listGroups(db: Db, kind: UserKind): Promise<GroupRow[]> {
  const groups = await db
    .selectFrom('groups as g')
    .leftJoin('group_members as gm', 'gm.group_id', 'g.id')
    .select(['g.id', 'g.name', 'g.description'])
    .select((eb) => eb.fn.count<number>('gm.user_id').as('members'))
    .where('g.kind', '=', kind)
    .groupBy(['g.id', 'g.name', 'g.description'])
    .orderBy('g.name')
    .execute();
  const roles = await systemRolesOfGroups(
    db,
    groups.map((g) => g.id),
  );
  return groups.map((g) => ({
    ...g,
    members: Number(g.members),
    roleIds: roles.get(g.id) ?? [],
  }));
}

export function findGroup(db: Db, id: string, kind: UserKind): Promise<Group | undefined> {
  return db.selectFrom('groups').selectAll().where('id', '=', id).where('kind', '=', kind).executeTakeFirst();
}

export async function memberIds(db: Db, groupId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('group_members')
    .select('user_id')
    .where('group_id', '=', groupId)
    .execute();
  return rows.map((r) => r.user_id);
}

/** Every staff member, for choosing group members (a firm has at most a few hundred). */
export function allStaff(db: Db) {
  return db
    .selectFrom('users')
    .select(['id', 'first_name', 'last_name', 'email', 'disabled_at'])
    .where('kind', '=', 'staff')
    .orderBy('last_name')
    .orderBy('first_name')
    .execute();
}

export interface ContactChoice {
  id: string;
  first_name: string;
  last_name: string;
  email: string;
}

/** Contacts `visible` lets through (on `cp.client_entity_id`) among `ids`, in name order. */
function visibleContacts(db: Db, visible: Expression<SqlBool>) {
  return db
    .selectFrom('users as u')
    .innerJoin('contact_profiles as cp', 'cp.user_id', 'u.id')
    .select(['u.id', 'u.first_name', 'u.last_name', 'u.email'])
    .where('u.kind', '=', 'contact')
    .where(visible)
    .orderBy('u.last_name')
    .orderBy('u.first_name')
    .orderBy('u.id');
}

/**
 * What a contact group's form offers: the ticked contacts, and the first page of contacts matching
 * the search (there may be 100,000 contacts, so they are found, not listed).
 */
export async function contactChoices(
  db: Db,
  visible: Expression<SqlBool>,
  ticked: string[],
  q: string,
): Promise<ContactChoice[]> {
  const term = q.trim();
  const [members, found] = await Promise.all([
    ticked.length ? visibleContacts(db, visible).where('u.id', 'in', ticked).execute() : [],
    term
      ? visibleContacts(db, visible)
          .where((eb) =>
            eb.or([
              containsInsensitive(eb.ref('u.email'), term),
              containsInsensitive(eb.ref('u.first_name'), term),
              containsInsensitive(eb.ref('u.last_name'), term),
            ]),
          )
          .limit(PAGE_SIZE)
          .execute()
      : [],
  ]);
  const seen = new Set(members.map((m) => m.id));
  return [...members, ...found.filter((f) => !seen.has(f.id))];
}

/** Of `ids`, those that are members `kind` may have and (for contacts) that `visible` lets through. */
export async function eligibleMembers(
  db: Db,
  kind: UserKind,
  ids: string[],
  visible: Expression<SqlBool> | null,
): Promise<string[]> {
  if (ids.length === 0) return [];
  if (kind === 'contact' && visible) {
    return (await visibleContacts(db, visible).where('u.id', 'in', ids).execute()).map((r) => r.id);
  }
  const rows = await db
    .selectFrom('users')
    .select('id')
    .where('kind', '=', kind)
    .where('id', 'in', ids)
    .execute();
  return rows.map((r) => r.id);
}

export async function groupNameTaken(
  db: Db,
  kind: UserKind,
  name: string,
  exceptId?: string,
): Promise<boolean> {
  let q = db
    .selectFrom('groups')
    .select('id')
    .where('kind', '=', kind)
    .where('name_normalized', '=', name.trim().toLowerCase());
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}
