/**
 * Giving and taking system-level roles, directly or through group membership. Every change is
 * checked against the actor as they are inside the transaction (after taking the permissions lock,
 * so a right revoked a moment ago is not used): nobody grants or removes a role carrying
 * permissions they do not hold themselves.
 */
import type { Db } from '../db/connect.js';
import type { Actor, Scope } from './actor.js';
import { loadActor, loadRolePermissions, SYSTEM } from './actor.js';
import { canGrant, holdsToGrant, mayShareAt, type ScopeChain } from './can.js';
import type { Permission } from './catalog.js';
import { GrantError } from './errors.js';
import { addBinding, lockPermissions, type Principal, removeBinding, systemRoleIds } from './queries.js';
import { ADMINISTRATIVE_ROLES, builtInRole, type RoleDefinition } from './roles.js';
import { entityChain } from './scopes.js';

export { GrantError } from './errors.js';

/** The administrative roles, each marked with whether this actor may give or take it. */
export function administrativeRoleChoices(actor: Actor): { role: RoleDefinition; grantable: boolean }[] {
  return ADMINISTRATIVE_ROLES.map((role) => ({ role, grantable: canGrant(actor, role.permissions) }));
}

/**
 * What a roles form asked for: the roles ticked, and the roles it offered as changeable (its
 * disabled boxes are not submitted, so a role left out of `shown` keeps its state). `shown: null`
 * treats every role as offered.
 */
export interface RoleChange {
  requested: readonly string[];
  shown: readonly string[] | null;
}

/**
 * Makes the principal's administrative roles what the change asks. Changing a role the actor
 * cannot give or take (now, inside this transaction) is refused with a GrantError naming it.
 */
export async function setAdministrativeRoles(
  db: Db,
  actor: Actor,
  principal: Principal,
  change: RoleChange,
): Promise<{ before: string[]; after: string[] }> {
  for (const id of change.requested) {
    if (!builtInRole(id)?.administrative) throw new GrantError('Choose only from the roles listed.');
  }
  await lockPermissions(db);
  const fresh = await loadActor(db, actor.user);
  const current = (await systemRoleIds(db, principal)).filter((id) => builtInRole(id)?.administrative);
  const after = new Set(current);
  for (const role of ADMINISTRATIVE_ROLES) {
    const want = change.requested.includes(role.id);
    const has = current.includes(role.id);
    if (want === has) continue;
    if (!want && change.shown && !change.shown.includes(role.id)) continue;
    if (!canGrant(fresh, role.permissions)) {
      throw new GrantError(
        `You cannot ${want ? 'give' : 'take away'} the ${role.name} role: it carries permissions you do not hold.`,
      );
    }
    if (want) {
      await addBinding(db, principal, role.id, SYSTEM, actor.user.id);
      after.add(role.id);
    } else {
      await removeBinding(db, principal, role.id, SYSTEM);
      after.delete(role.id);
    }
  }
  return { before: current.sort(), after: [...after].sort() };
}

/** The chain a binding's scope sits at the bottom of (folder and item arrive later). */
export function chainOfScope(scope: Scope): ScopeChain {
  if (scope.type === 'system') return [SYSTEM];
  if (scope.type === 'portal') return [SYSTEM, scope];
  if (scope.type === 'entity') return entityChain(scope.id);
  throw new Error(`No scope chain is known for ${scope.type} scopes yet`);
}

/**
 * May the actor give or take this role at this scope? They must hold every permission it carries
 * there; and, except for the administrative roles (given at the system level by those who hold
 * them), Share at that scope.
 */
export function mayGrantAt(
  actor: Actor,
  roleId: string,
  permissions: ReadonlySet<Permission>,
  scope: Scope,
): boolean {
  const chain = chainOfScope(scope);
  if (!builtInRole(roleId)?.administrative && !mayShareAt(actor, chain)) return false;
  return holdsToGrant(actor, permissions, chain);
}

/**
 * Refuses (GrantError) when the actor may not hand out or take away what the group's roles carry,
 * each at the scope it is bound at: joining or leaving a group is being given or losing its roles.
 */
export async function assertMayChangeMembers(db: Db, actor: Actor, groupId: string): Promise<void> {
  await lockPermissions(db);
  const fresh = await loadActor(db, actor.user);
  const bindings = await db
    .selectFrom('role_bindings')
    .select(['role_id', 'scope_type', 'scope_id'])
    .where('group_id', '=', groupId)
    .execute();
  const byRole = await loadRolePermissions(
    db,
    bindings.map((b) => b.role_id),
  );
  const allowed = bindings.every((b) =>
    mayGrantAt(fresh, b.role_id, byRole.get(b.role_id) ?? new Set(), { type: b.scope_type, id: b.scope_id }),
  );
  if (!allowed) {
    throw new GrantError(
      'You cannot change who is in this group: its roles carry permissions you do not hold, or sit where you cannot share.',
    );
  }
}
