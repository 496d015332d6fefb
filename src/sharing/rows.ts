/**
 * Turning bindings into the rows the access pages show, naming only what the viewer may see:
 * entities they can see, and groups (and administrative roles) only for those who may read who
 * holds what.
 */
import type { Db } from '../db/connect.js';
import type { UserKind } from '../db/schema.js';
import { entitiesById } from '../entities/index.js';
import {
  type Actor,
  builtInRole,
  type EffectiveBinding,
  loadBindings,
  principalBindings,
  roleNames,
  visibleEntities,
  visiblePortals,
} from '../permissions/index.js';
import type { LoadedPrincipal } from './principals.js';
import { portalsById } from './queries.js';
import type { InheritedRow } from './views.js';

export const seenBy = (db: Db, actor: Actor) => visibleEntities(db, actor, 'entity.summary:R', 'e.id');

/** Bindings of the principal and, for a person, those through their groups. */
export function bindingsOf(db: Db, p: LoadedPrincipal): Promise<EffectiveBinding[]> {
  return p.user ? loadBindings(db, p.user) : principalBindings(db, p.principal);
}

/** A role given to the principal itself, which the Assign page lists and may remove. */
export const isDirect = (b: EffectiveBinding) =>
  b.group === null &&
  (b.scope.type === 'entity' || (b.scope.type === 'system' && !builtInRole(b.roleId)?.administrative));

const atScope = (bindings: EffectiveBinding[], type: 'entity' | 'portal') =>
  bindings.filter((b) => b.scope.type === type).map((b) => b.scope.id);

/**
 * Rows of bindings as the viewer may see them: at entities or portals they see, or for every
 * entity (a portal binding is named "Portal <name>", as `explain` finds it for its entities); with
 * group names and administrative roles only when `full` (they may read who holds what).
 */
export async function bindingRows(
  db: Db,
  actor: Actor,
  bindings: EffectiveBinding[],
  kind: UserKind,
  full: boolean,
): Promise<(InheritedRow & { bindingId: string })[]> {
  const [entities, portals, names] = await Promise.all([
    entitiesById(db, atScope(bindings, 'entity'), seenBy(db, actor)),
    portalsById(db, atScope(bindings, 'portal'), visiblePortals(db, actor, 'p.id')),
    roleNames(
      db,
      bindings.map((b) => b.roleId),
    ),
  ]);
  return bindings
    .filter((b) =>
      b.scope.type === 'system'
        ? full || !builtInRole(b.roleId)?.administrative
        : (b.scope.type === 'portal' ? portals : entities).has(b.scope.id),
    )
    .map((b) => {
      const entity = b.scope.type === 'entity' ? entities.get(b.scope.id) : undefined;
      return {
        bindingId: b.bindingId,
        roleName: names.get(b.roleId) ?? b.roleId,
        entity: entity ? { id: entity.id, name: entity.name } : null,
        portal: (b.scope.type === 'portal' && portals.get(b.scope.id)) || null,
        group: b.group
          ? full
            ? { name: b.group.name, href: `/${kind === 'staff' ? 'groups' : 'contact-groups'}/${b.group.id}` }
            : 'hidden'
          : null,
      };
    });
}
