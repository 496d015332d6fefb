/** Reading portals: the list, one portal with its entities and members, and what the form offers. */
import type { Expression, SqlBool } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Portal } from '../db/schema.js';
import { containsInsensitive, PAGE_SIZE } from '../http/search.js';
import { membersOfPortal, type PortalAccess, portalMemberCounts } from '../permissions/index.js';

export { portalsOfMember } from '../permissions/index.js';

export interface PortalRow {
  id: string;
  name: string;
  administrator: string;
  members: number;
  /** The entities the viewer may see, by name. */
  entities: string[];
}

/**
 * The portals `visible` lets through, each with the names of its entities `seen` lets through (on
 * `e.id`) and the number of its members `seenContacts` lets through (on `cp.client_entity_id`).
 */
export async function listPortals(
  db: Db,
  visible: Expression<SqlBool>,
  seen: Expression<SqlBool>,
  seenContacts: Expression<SqlBool>,
): Promise<PortalRow[]> {
  const portals = await db
    .selectFrom('portals as p')
    .innerJoin('users as a', 'a.id', 'p.administrator_id')
    .select(['p.id', 'p.name', 'a.first_name', 'a.last_name'])
    .where(visible)
    .orderBy('p.name_key')
    .execute();
  if (portals.length === 0) return [];
  const ids = portals.map((p) => p.id);
  const [entities, members] = await Promise.all([
    db
      .selectFrom('portal_entities as pe')
      .innerJoin('entities as e', 'e.id', 'pe.entity_id')
      .select(['pe.portal_id', 'e.name'])
      .where('pe.portal_id', 'in', ids)
      .where(seen)
      .orderBy('e.name')
      .execute(),
    portalMemberCounts(db, ids, seenContacts),
  ]);
  return portals.map((p) => ({
    id: p.id,
    name: p.name,
    administrator: `${p.first_name} ${p.last_name}`,
    members: members.get(p.id) ?? 0,
    entities: entities.filter((e) => e.portal_id === p.id).map((e) => e.name),
  }));
}

export function findPortal(db: Db, id: string, visible: Expression<SqlBool>): Promise<Portal | undefined> {
  return db
    .selectFrom('portals as p')
    .selectAll('p')
    .where('p.id', '=', id)
    .where(visible)
    .executeTakeFirst();
}

export async function portalNameTaken(db: Db, name: string, exceptId = ''): Promise<boolean> {
  const row = await db
    .selectFrom('portals')
    .select('id')
    .where('name_key', '=', nameKey(name))
    .where('id', '<>', exceptId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Ids of the staff on the portal's notify list, or of the members given its bulk tasks. */
export async function portalPeople(
  db: Db,
  table: 'portal_notify' | 'portal_bulk_assignees',
  portalId: string,
): Promise<string[]> {
  const rows = await db.selectFrom(table).select('user_id').where('portal_id', '=', portalId).execute();
  return rows.map((r) => r.user_id).sort();
}

/**
 * Who a task sent in bulk to this portal is assigned to (MYOB step 11): its chosen bulk assignees
 * who are still members, or, when none is chosen (or none of them is still a member), every
 * member with full access. For the tasks issue, which sends them.
 */
export async function bulkTaskAssignees(db: Db, portalId: string): Promise<Member[]> {
  const [members, chosen] = await Promise.all([
    portalMembers(db, portalId),
    portalPeople(db, 'portal_bulk_assignees', portalId),
  ]);
  const still = members.filter((m) => chosen.includes(m.id));
  return still.length > 0 ? still : members.filter((m) => m.access === 'full');
}

export const nameKey = (name: string) => name.trim().toLowerCase();

/** Ids of every entity in the portal (whether or not the viewer may see them). */
export async function portalEntityIds(db: Db, portalId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('portal_entities')
    .select('entity_id')
    .where('portal_id', '=', portalId)
    .execute();
  return rows.map((r) => r.entity_id);
}

export interface EntityChoice {
  id: string;
  name: string;
  reference: string;
  /** The portal it is in already, if any (its name and id). */
  portal: string | null;
  portalId: string | null;
}

function entityChoice(db: Db, visible: Expression<SqlBool>) {
  return db
    .selectFrom('entities as e')
    .leftJoin('portal_entities as pe', 'pe.entity_id', 'e.id')
    .leftJoin('portals as p', 'p.id', 'pe.portal_id')
    .select(['e.id', 'e.name', 'e.reference', 'p.name as portal', 'p.id as portalId'])
    .where(visible)
    .orderBy('e.name_normalized')
    .orderBy('e.id');
}

/** The ticked entities and the first page of those matching the search, among those `visible` lets through. */
export async function entityChoices(
  db: Db,
  visible: Expression<SqlBool>,
  ticked: string[],
  q: string,
): Promise<EntityChoice[]> {
  const term = q.trim();
  const [chosen, found] = await Promise.all([
    ticked.length ? entityChoice(db, visible).where('e.id', 'in', ticked).execute() : [],
    term
      ? entityChoice(db, visible)
          .where((eb) =>
            eb.or([
              containsInsensitive(eb.ref('e.name'), term),
              containsInsensitive(eb.ref('e.reference'), term),
            ]),
          )
          .limit(PAGE_SIZE)
          .execute()
      : [],
  ]);
  const seen = new Set(chosen.map((m) => m.id));
  return [...chosen, ...found.filter((f) => !seen.has(f.id))];
}

/** Enabled staff, for the administrator, "send as" and notify choices (a firm has a few hundred). */
export function enabledStaff(db: Db) {
  return db
    .selectFrom('users')
    .select(['id', 'first_name', 'last_name', 'email'])
    .where('kind', '=', 'staff')
    .where('disabled_at', 'is', null)
    .orderBy('last_name')
    .orderBy('first_name')
    .execute();
}

export interface Member {
  id: string;
  name: string;
  email: string;
  access: PortalAccess;
}

/**
 * The portal's members: contacts bound at it with a member role; only those `visible` lets
 * through (on `cp.client_entity_id`) when given, for showing them to someone.
 */
export async function portalMembers(
  db: Db,
  portalId: string,
  visible?: Expression<SqlBool>,
): Promise<Member[]> {
  const members = await membersOfPortal(db, portalId, visible);
  return members.map((m) => ({
    id: m.id,
    name: `${m.firstName} ${m.lastName}`,
    email: m.email,
    access: m.access,
  }));
}

/**
 * Everything shown on a portal's page: the entities `seen` lets through (on `e.id`), and of its
 * members and bulk assignees (contacts of its clients) those `seenContacts` lets through (on
 * `cp.client_entity_id`), so a portal over two clients shows nobody of the one the viewer cannot see.
 */
export async function portalDetails(
  db: Db,
  portal: Portal,
  seen: Expression<SqlBool>,
  seenContacts: Expression<SqlBool>,
) {
  const staff = () =>
    db
      .selectFrom('portal_notify as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .select(['u.id', 'u.first_name', 'u.last_name'])
      .where('t.portal_id', '=', portal.id)
      .orderBy('u.last_name')
      .execute();
  const bulkAssignees = () =>
    db
      .selectFrom('portal_bulk_assignees as t')
      .innerJoin('users as u', 'u.id', 't.user_id')
      .innerJoin('contact_profiles as cp', 'cp.user_id', 'u.id')
      .select(['u.id', 'u.first_name', 'u.last_name'])
      .where('t.portal_id', '=', portal.id)
      .where(seenContacts)
      .orderBy('u.last_name')
      .execute();
  const person = (id: string | null) =>
    id
      ? db
          .selectFrom('users')
          .select(['id', 'first_name', 'last_name'])
          .where('id', '=', id)
          .executeTakeFirst()
      : undefined;
  const [entities, members, notify, bulk, administrator, sendAs] = await Promise.all([
    db
      .selectFrom('portal_entities as pe')
      .innerJoin('entities as e', 'e.id', 'pe.entity_id')
      .select(['e.id', 'e.name'])
      .where('pe.portal_id', '=', portal.id)
      .where(seen)
      .orderBy('e.name')
      .execute(),
    portalMembers(db, portal.id, seenContacts),
    staff(),
    bulkAssignees(),
    person(portal.administrator_id),
    person(portal.send_as_id),
  ]);
  return { entities, members, notify, bulk, administrator, sendAs };
}

/** Of `ids`, the contacts `visible` lets through (on `cp.client_entity_id`), enabled or not. */
export async function contactsAmong(db: Db, ids: string[], visible: Expression<SqlBool>) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('users as u')
    .innerJoin('contact_profiles as cp', 'cp.user_id', 'u.id')
    .select(['u.id', 'u.first_name', 'u.last_name', 'u.email', 'u.disabled_at'])
    .where('u.kind', '=', 'contact')
    .where('u.id', 'in', ids)
    .where(visible)
    .execute();
}

/** The portal the entity is in (at most one), when `visible` lets it through (on `p.id`). */
export function portalOfEntity(
  db: Db,
  entityId: string,
  visible: Expression<SqlBool>,
): Promise<{ id: string; name: string } | undefined> {
  return db
    .selectFrom('portal_entities as pe')
    .innerJoin('portals as p', 'p.id', 'pe.portal_id')
    .select(['p.id', 'p.name'])
    .where('pe.entity_id', '=', entityId)
    .where(visible)
    .executeTakeFirst();
}
