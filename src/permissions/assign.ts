/**
 * Giving and taking system-level roles. Every change is checked against the actor: nobody grants
 * or removes a role carrying permissions they do not hold themselves.
 */
import type { Db } from '../db/connect.js';
import type { Actor } from './actor.js';
import { SYSTEM } from './actor.js';
import { canGrant } from './can.js';
import { addBinding, type Principal, removeBinding, systemRoleIds } from './queries.js';
import { ADMINISTRATIVE_ROLES, builtInRole, type RoleDefinition } from './roles.js';

export class GrantError extends Error {}

/** The administrative roles, each marked with whether this actor may give or take it. */
export function administrativeRoleChoices(actor: Actor): { role: RoleDefinition; grantable: boolean }[] {
  return ADMINISTRATIVE_ROLES.map((role) => ({ role, grantable: canGrant(actor, role.permissions) }));
}

/**
 * Makes the principal's administrative roles equal `requested`. Roles the actor cannot grant keep
 * their current state when left out of the request (their checkbox is disabled), and asking to
 * change one is refused with a GrantError naming it.
 */
export async function setAdministrativeRoles(
  db: Db,
  actor: Actor,
  principal: Principal,
  requested: readonly string[],
): Promise<{ before: string[]; after: string[] }> {
  for (const id of requested) {
    if (!builtInRole(id)?.administrative) throw new GrantError('Choose only from the roles listed.');
  }
  const current = (await systemRoleIds(db, principal)).filter((id) => builtInRole(id)?.administrative);
  const after = new Set(current);
  for (const role of ADMINISTRATIVE_ROLES) {
    const want = requested.includes(role.id);
    const has = current.includes(role.id);
    if (want === has) continue;
    if (!canGrant(actor, role.permissions)) {
      if (!want) continue; // a disabled checkbox is not submitted: keep what is there
      throw new GrantError(`You cannot give the ${role.name} role: it carries permissions you do not hold.`);
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
