/**
 * Who may do what with portals. A portal is seen through its entities: staff who may see (Entity -
 * Summary: Read) one of a portal's entities see the portal, and only they; those who hold it for
 * every entity see every portal, even one whose entities were all deleted. Making or changing a
 * portal gives its members roles at the portal, which covers each of its entities, so it needs what
 * giving those roles at each entity needs: Share there, and every permission the member roles carry.
 */
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { Actor } from './actor.js';
import { SYSTEM } from './actor.js';
import { can, holdsToGrant, mayShareAt } from './can.js';
import type { Permission } from './catalog.js';
import { contactChain } from './contact-scope.js';
import { mayShareAnywhere } from './entity-roles.js';
import { GrantError } from './errors.js';
import { addBinding } from './queries.js';
import { BUILT_IN_ROLES, PORTAL_ROLES, type PortalAccess } from './roles.js';
import { canAnywhere, entityChain, visibleEntities } from './scopes.js';

/** May the actor open the portal list at all (it shows only the portals they may see)? */
export function mayListPortals(actor: Actor): boolean {
  return actor.user.kind === 'staff' && canAnywhere(actor, 'entity.summary:R');
}

/**
 * Where-clause for a list of portals: exactly those with an entity the actor may see, or all of
 * them for one who sees every entity. `column` names the portal id column (a code constant).
 * @example db.selectFrom('portals as p').where(visiblePortals(db, actor, 'p.id'))
 */
export function visiblePortals(db: Db, actor: Actor, column: string): Expression<SqlBool> {
  if (actor.user.kind !== 'staff') return sql<SqlBool>`1 = 0`;
  if (can(actor, 'entity.summary:R')) return sql<SqlBool>`1 = 1`;
  const seen = db
    .selectFrom('portal_entities as pe')
    .select('pe.entity_id')
    .where(sql<SqlBool>`${sql.ref('pe.portal_id')} = ${sql.ref(column)}`)
    .where(visibleEntities(db, actor, 'entity.summary:R', 'pe.entity_id'));
  return sql<SqlBool>`exists ${seen}`;
}

/**
 * May the actor see a portal with these entities? The in-memory side of `visiblePortals`: true
 * exactly for the portals it lets through.
 */
export function mayReadPortal(actor: Actor, entityIds: readonly string[]): boolean {
  if (actor.user.kind !== 'staff') return false;
  return (
    can(actor, 'entity.summary:R') || entityIds.some((id) => can(actor, 'entity.summary:R', entityChain(id)))
  );
}

/** Every permission a portal member role carries: what the actor must hold to give either. */
const MEMBER_PERMISSIONS: ReadonlySet<Permission> = new Set(
  Object.values(PORTAL_ROLES).flatMap((id) => [...BUILT_IN_ROLES[id].permissions]),
);

/** May the actor make portals at all (to offer "Create portal")? */
export function mayCreatePortals(actor: Actor): boolean {
  return actor.user.kind === 'staff' && mayShareAnywhere(actor);
}

/**
 * May the actor put this entity in a portal, or change or delete a portal holding it: Share there,
 * and every permission the member roles carry there.
 */
export function mayManagePortalAt(actor: Actor, entityId: string): boolean {
  const chain = entityChain(entityId);
  return (
    actor.user.kind === 'staff' && mayShareAt(actor, chain) && holdsToGrant(actor, MEMBER_PERMISSIONS, chain)
  );
}

/** May the actor change or delete a portal with these entities (one with none: at the system level)? */
export function mayManagePortal(actor: Actor, entityIds: readonly string[]): boolean {
  if (entityIds.length === 0)
    return (
      actor.user.kind === 'staff' &&
      mayShareAt(actor, [SYSTEM]) &&
      holdsToGrant(actor, MEMBER_PERMISSIONS, [SYSTEM])
    );
  return entityIds.every((id) => mayManagePortalAt(actor, id));
}

/** May the actor add a new contact in this client entity from the portal form ("Create new user")? */
export function mayCreateContactAt(actor: Actor, entityId: string): boolean {
  return can(actor, 'contact:C', contactChain(entityId));
}

/**
 * Makes each of `set` a member with the access given (replacing the other member role, if any) and
 * takes membership from each of `remove`, when the actor (loaded inside the caller's transaction,
 * after `lockPermissions`) may manage a portal holding these entities (those it holds before and
 * after the change); refuses the whole change (GrantError, beside the members) otherwise.
 */
export async function setPortalMembers(
  db: Db,
  actor: Actor,
  portal: { id: string; entityIds: readonly string[] },
  change: { set: readonly { userId: string; access: PortalAccess }[]; remove: readonly string[] },
): Promise<void> {
  if (!mayManagePortal(actor, portal.entityIds))
    throw new GrantError('You cannot give people access to every client of this portal.', 'members');
  const scope = { type: 'portal' as const, id: portal.id };
  const changed = [...change.remove, ...change.set.map((m) => m.userId)];
  if (changed.length)
    await db
      .deleteFrom('role_bindings')
      .where('scope_type', '=', scope.type)
      .where('scope_id', '=', scope.id)
      .where('user_id', 'in', changed)
      .where('role_id', 'in', Object.values(PORTAL_ROLES))
      .execute();
  for (const m of change.set)
    await addBinding(db, { userId: m.userId }, PORTAL_ROLES[m.access], scope, actor.user.id);
}
