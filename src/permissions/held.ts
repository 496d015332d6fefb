/**
 * An actor's bindings indexed once per loaded actor: by scope (so `can` reads the few bindings on
 * its chain instead of every binding a person holds, 1,500 for a busy staff member), which
 * permissions they hold anywhere, and at which entities they hold each. The index is kept beside
 * the actor's bindings (the array the actor loader caches per permissions count), so it is built
 * once per change of permissions, not per request. It derives only from the actor; it never
 * decides (can.ts and scopes.ts do) and never reads the database.
 */
import type { Actor, EffectiveBinding, Scope } from './actor.js';
import type { Permission } from './catalog.js';

/** At which entities an actor holds a permission: everywhere (a system binding), or these ids. */
export type EntitiesHeld = { all: true } | { all: false; ids: readonly string[] };

interface Index {
  rolePermissions: Actor['rolePermissions'];
  portalEntities: Actor['portalEntities'];
  system: readonly EffectiveBinding[];
  /** By scope; a portal binding is filed under the portal and under each entity in it. */
  byScope: ReadonlyMap<string, readonly EffectiveBinding[]>;
  anywhere: Map<Permission, boolean>;
  entities: Map<Permission, EntitiesHeld>;
}

const indexes = new WeakMap<readonly EffectiveBinding[], Index>();

const scopeKey = (scope: Scope) => `${scope.type}:${scope.id}`;

const entitiesOfPortal = (actor: Actor, portalId: string): ReadonlySet<string> =>
  actor.portalEntities.get(portalId) ?? new Set();

function indexOf(actor: Actor): Index {
  const kept = indexes.get(actor.bindings);
  if (kept && kept.rolePermissions === actor.rolePermissions && kept.portalEntities === actor.portalEntities)
    return kept;
  const system: EffectiveBinding[] = [];
  const byScope = new Map<string, EffectiveBinding[]>();
  const file = (key: string, b: EffectiveBinding) => {
    const list = byScope.get(key);
    if (list) list.push(b);
    else byScope.set(key, [b]);
  };
  for (const b of actor.bindings) {
    if (b.scope.type === 'system') {
      system.push(b);
      continue;
    }
    file(scopeKey(b.scope), b);
    if (b.scope.type !== 'portal') continue;
    for (const entityId of entitiesOfPortal(actor, b.scope.id))
      file(scopeKey({ type: 'entity', id: entityId }), b);
  }
  const index: Index = {
    rolePermissions: actor.rolePermissions,
    portalEntities: actor.portalEntities,
    system,
    byScope,
    anywhere: new Map(),
    entities: new Map(),
  };
  indexes.set(actor.bindings, index);
  return index;
}

/**
 * The bindings that may cover an object with this chain: every system binding (a system binding
 * covers everything), those bound at a scope of the chain, and those at the portal of an entity of
 * the chain. A superset of what `covers` accepts and nothing it refuses (a binding may appear
 * twice, which `can` does not mind).
 */
export function bindingsOnChain(actor: Actor, chain: readonly Scope[]): EffectiveBinding[] {
  const index = indexOf(actor);
  const found = [...index.system];
  for (const scope of chain) {
    if (scope.type === 'system') continue;
    const at = index.byScope.get(scopeKey(scope));
    if (at) found.push(...at);
  }
  return found;
}

/** `holds(binding)` for every binding, remembered per permission. */
export function heldAnywhere(
  actor: Actor,
  permission: Permission,
  holds: (b: EffectiveBinding) => boolean,
): boolean {
  const index = indexOf(actor);
  let answer = index.anywhere.get(permission);
  if (answer === undefined) {
    answer = actor.bindings.some(holds);
    index.anywhere.set(permission, answer);
  }
  return answer;
}

/**
 * Where the actor holds `permission` at entities, from the bindings `holds` accepts: everywhere
 * when a system binding holds it, else the ids of the entities with a binding that holds it, a
 * portal binding counting for each entity in its portal. Remembered per permission.
 */
export function entitiesHeld(
  actor: Actor,
  permission: Permission,
  holds: (b: EffectiveBinding) => boolean,
): EntitiesHeld {
  const index = indexOf(actor);
  let held = index.entities.get(permission);
  if (!held) {
    if (index.system.some(holds)) held = { all: true };
    else {
      const ids = new Set<string>();
      for (const b of actor.bindings) {
        if (b.scope.type === 'entity' && holds(b)) ids.add(b.scope.id);
        if (b.scope.type === 'portal' && holds(b))
          for (const entityId of entitiesOfPortal(actor, b.scope.id)) ids.add(entityId);
      }
      held = { all: false, ids: [...ids] };
    }
    index.entities.set(permission, held);
  }
  return held;
}

/** The distinct scopes of these types the actor holds a binding at (folders and items, for listings). */
export function holdsOnScopesOf(actor: Actor, types: readonly Scope['type'][]): Scope[] {
  const seen = new Map<string, Scope>();
  for (const b of actor.bindings) if (types.includes(b.scope.type)) seen.set(scopeKey(b.scope), b.scope);
  return [...seen.values()];
}
