/**
 * Portal membership as stored: a contact bound at the portal with one of its member roles (Portal -
 * Full access or Portal - Contributor). The `visible` filters come from this module too
 * (visibleContacts on `cp.client_entity_id`, visiblePortals on `p.id`), so a list shows only the
 * members or portals its viewer may see.
 */
import type { Expression, SqlBool } from 'kysely';
import type { Db } from '../db/connect.js';
import { PORTAL_ROLES, type PortalAccess } from './roles.js';

const MEMBER_ROLES = Object.values(PORTAL_ROLES);

const accessOf = (roleId: string): PortalAccess => (roleId === PORTAL_ROLES.full ? 'full' : 'contributor');

/** A contact who is a member of a portal, and with which access. */
export interface PortalMember {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  access: PortalAccess;
}

/** The portal's members, only those `visible` lets through when given, by last and first name. */
export async function membersOfPortal(
  db: Db,
  portalId: string,
  visible?: Expression<SqlBool>,
): Promise<PortalMember[]> {
  const rows = await db
    .selectFrom('role_bindings as rb')
    .innerJoin('users as u', 'u.id', 'rb.user_id')
    .innerJoin('contact_profiles as cp', 'cp.user_id', 'u.id')
    .select(['u.id', 'u.first_name', 'u.last_name', 'u.email', 'rb.role_id'])
    .where('rb.scope_type', '=', 'portal')
    .where('rb.scope_id', '=', portalId)
    .where('rb.role_id', 'in', MEMBER_ROLES)
    .$if(visible !== undefined, (q) => q.where(visible as Expression<SqlBool>))
    .orderBy('u.last_name')
    .orderBy('u.first_name')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    access: accessOf(r.role_id),
  }));
}

/** How many members `visible` lets through each of these portals has, by portal id (none: left out). */
export async function portalMemberCounts(
  db: Db,
  portalIds: readonly string[],
  visible: Expression<SqlBool>,
): Promise<Map<string, number>> {
  if (portalIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('role_bindings as rb')
    .innerJoin('contact_profiles as cp', 'cp.user_id', 'rb.user_id')
    .select('rb.scope_id')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('rb.scope_type', '=', 'portal')
    .where('rb.scope_id', 'in', [...portalIds])
    .where('rb.role_id', 'in', MEMBER_ROLES)
    .where(visible)
    .groupBy('rb.scope_id')
    .execute();
  return new Map(rows.map((r) => [r.scope_id, Number(r.n)]));
}

/** The portals `visible` lets through that the contact is a member of, with their access, by name. */
export async function portalsOfMember(
  db: Db,
  userId: string,
  visible: Expression<SqlBool>,
): Promise<{ id: string; name: string; access: PortalAccess }[]> {
  const rows = await db
    .selectFrom('role_bindings as rb')
    .innerJoin('portals as p', 'p.id', 'rb.scope_id')
    .select(['p.id', 'p.name', 'rb.role_id'])
    .where('rb.scope_type', '=', 'portal')
    .where('rb.user_id', '=', userId)
    .where('rb.role_id', 'in', MEMBER_ROLES)
    .where(visible)
    .orderBy('p.name_key')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, access: accessOf(r.role_id) }));
}
