/**
 * Reading for "Share in Client Portal": the contacts of an entity (those whose client it is, and
 * those holding a contact role there) with the entity-level contact roles that share it with them.
 * Queries never decide access: the route has already found the caller may share this entity.
 */
import type { Db } from '../db/connect.js';
import { ASSOCIATED_ROLE } from '../permissions/index.js';

/** A contact of the entity, and the bindings here that let them into it (not Associated). */
export interface EntityContact {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  portalOn: boolean;
  disabled: boolean;
  /** Their own entity-level contact roles here other than Associated: what sharing is. */
  shares: { id: string; roleId: string }[];
}

/** An entity has a handful of contacts; the list is capped all the same. */
const MAX_CONTACTS = 200;

export async function entityContacts(db: Db, entityId: string): Promise<EntityContact[]> {
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('contact_profiles as cp', 'cp.user_id', 'u.id')
    .select([
      'u.id',
      'u.first_name as firstName',
      'u.last_name as lastName',
      'u.email',
      'u.disabled_at',
      'cp.portal_access',
    ])
    .where('u.kind', '=', 'contact')
    .where((eb) =>
      eb.or([
        eb('cp.client_entity_id', '=', entityId),
        eb.exists(
          eb
            .selectFrom('role_bindings as rb')
            .innerJoin('roles as r', 'r.id', 'rb.role_id')
            .select('rb.id')
            .whereRef('rb.user_id', '=', 'u.id')
            .where('rb.scope_type', '=', 'entity')
            .where('rb.scope_id', '=', entityId)
            .where('r.kind', '=', 'contact'),
        ),
      ]),
    )
    .orderBy('u.last_name')
    .orderBy('u.first_name')
    .orderBy('u.id')
    .limit(MAX_CONTACTS)
    .execute();
  if (rows.length === 0) return [];
  const bindings = await db
    .selectFrom('role_bindings as rb')
    .innerJoin('roles as r', 'r.id', 'rb.role_id')
    .select(['rb.id', 'rb.role_id', 'rb.user_id'])
    .where(
      'rb.user_id',
      'in',
      rows.map((r) => r.id),
    )
    .where('rb.scope_type', '=', 'entity')
    .where('rb.scope_id', '=', entityId)
    .where('r.kind', '=', 'contact')
    .where('rb.role_id', '<>', ASSOCIATED_ROLE)
    .orderBy('rb.id')
    .execute();
  return rows.map(({ disabled_at, portal_access, ...r }) => ({
    ...r,
    portalOn: portal_access === 1,
    disabled: disabled_at !== null,
    shares: bindings.filter((b) => b.user_id === r.id).map((b) => ({ id: b.id, roleId: b.role_id })),
  }));
}
