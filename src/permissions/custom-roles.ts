/**
 * Who may make, change or delete a custom role. Changing a role hands out or takes away what it
 * carries from everyone it is given to, so it is checked like granting it: the actor must hold
 * Organization - Edit and every permission the role carries before and after the change. The check
 * runs inside the transaction, after the permissions lock, against the actor as they are now.
 */
import type { Db } from '../db/connect.js';
import type { Actor } from './actor.js';
import { loadActor } from './actor.js';
import { can, canGrant } from './can.js';
import { OBJECT_TYPES, type ObjectType, type Permission } from './catalog.js';
import { GrantError } from './errors.js';
import { Forbidden } from './guard.js';
import { lockPermissions } from './queries.js';

/** A refusal naming the permissions the actor does not hold. */
export class RoleGrantError extends GrantError {
  constructor(readonly missing: readonly Permission[]) {
    super(`You do not hold ${describePermissions(missing)}.`);
  }
}

/** "Contact (C D), File (R)": permissions grouped by object type, in catalogue order. */
export function describePermissions(permissions: Iterable<Permission>): string {
  const byType = new Map<ObjectType, string[]>();
  for (const p of permissions) {
    const [type, letter] = p.split(':') as [ObjectType, string];
    byType.set(type, [...(byType.get(type) ?? []), letter]);
  }
  return (Object.keys(OBJECT_TYPES) as ObjectType[])
    .filter((type) => byType.has(type))
    .map((type) => {
      const held = byType.get(type) ?? [];
      const letters = OBJECT_TYPES[type].letters.filter((l) => held.includes(l));
      return `${OBJECT_TYPES[type].label} (${letters.join(' ')})`;
    })
    .join(', ');
}

/**
 * Takes the permissions lock, reloads the actor, and refuses with Forbidden when they no longer
 * hold Organization - Edit, or with a RoleGrantError naming what they do not hold among
 * `permissions` (everything the role carries before and after the change).
 */
export async function assertMayShapeRole(
  db: Db,
  actor: Actor,
  permissions: Iterable<Permission>,
): Promise<void> {
  await lockPermissions(db);
  const fresh = await loadActor(db, actor.user);
  if (!can(fresh, 'organization:E')) throw new Forbidden();
  const missing = [...new Set(permissions)].filter((p) => !canGrant(fresh, new Set([p])));
  if (missing.length > 0) throw new RoleGrantError(missing);
}
