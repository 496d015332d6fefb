/**
 * The one answer to "may this actor do this here?". A binding covers its scope and everything
 * below it, so a target is described by its scope chain (system first, the object itself last).
 */
import type { Actor, EffectiveBinding, Scope } from './actor.js';
import { SYSTEM } from './actor.js';
import type { Permission } from './catalog.js';
import { bindingsOnChain } from './held.js';
import { builtInRole, PORTAL_ROLES } from './roles.js';

export type ScopeChain = readonly Scope[];

const NOTHING: ReadonlySet<Permission> = new Set();

/**
 * What a binding's role grants this actor. A role made for the other kind of user (a staff role
 * bound to a contact, or the reverse) grants nothing: the loader and the SQL filter already drop
 * such bindings (custom roles by roles.kind), and built-in roles carry their kind here in code, so
 * an actor built any other way is held to the same rule. A contact's binding at an entity or above
 * gives only entity-level letters, except Portal - Full access at its portal: a full-access member
 * sees every file and activity of the portal's entities (that is what "full access" means beside a
 * contributor, who sees only what is shared with them).
 */
export function grantedBy(actor: Actor, binding: EffectiveBinding): ReadonlySet<Permission> {
  const builtIn = builtInRole(binding.roleId);
  if (builtIn && builtIn.kind !== actor.user.kind) return NOTHING;
  const held = actor.rolePermissions.get(binding.roleId) ?? NOTHING;
  if (actor.user.kind !== 'contact' || insideEntity(binding.scope)) return held;
  if (binding.scope.type === 'portal' && binding.roleId === PORTAL_ROLES.full) return held;
  return entityLevelOnly(held);
}

/**
 * What a contact may hold from a role given at an entity or above: seeing the entity and adding
 * their own files and activities, as the seed's two entity-level contact roles give. Reading,
 * editing or deleting an item needs a role on that item ("they also require an Owner, Editor, or
 * Viewer role on any activities and files"), so a custom contact role given at an entity cannot
 * open every item in it.
 */
const CONTACT_ENTITY_LEVEL: ReadonlySet<Permission> = new Set<Permission>([
  'entity.summary:R',
  'entity.details:R',
  'activity:C',
  'file:C',
]);
const entityLevelCache = new WeakMap<ReadonlySet<Permission>, ReadonlySet<Permission>>();

function entityLevelOnly(held: ReadonlySet<Permission>): ReadonlySet<Permission> {
  let kept = entityLevelCache.get(held);
  if (!kept) {
    kept = new Set([...held].filter((p) => CONTACT_ENTITY_LEVEL.has(p)));
    entityLevelCache.set(held, kept);
  }
  return kept;
}

/**
 * True when the binding applies to the chain's object: a system binding always; a portal binding
 * when the chain names that portal or an entity in it (the actor carries each of its portals'
 * entities, so chains are built from the entity down, without looking the portal up); any other
 * binding when its scope is on the chain.
 */
function covers(actor: Actor, binding: EffectiveBinding, chain: ScopeChain): boolean {
  const { type, id } = binding.scope;
  if (type === 'system') return true;
  if (type === 'portal') {
    const entities = actor.portalEntities.get(id);
    return chain.some(
      (s) => (s.type === 'portal' && s.id === id) || (s.type === 'entity' && !!entities?.has(s.id)),
    );
  }
  return chain.some((s) => s.type === type && s.id === id);
}

/** Folders and items: the scopes inside an entity. */
function insideEntity(scope: Scope): boolean {
  return scope.type === 'folder' || scope.type === 'item';
}

/**
 * The contact rule: a contact's binding inside an entity (on a folder or an item) counts only when
 * the contact may see that entity, that is `can(actor, 'entity.summary:R', <the chain down to the
 * entity>)`. Contact - Entity Access and Contact - Entity Collaborator carry entity.summary:R, so
 * either admits them (as would a custom contact role carrying it, or a portal member role at the
 * entity's portal); Associated carries nothing and admits nothing; removing the
 * entity role takes every item role in that entity with it, as the seed says. Why this shape: it
 * reuses `can` instead of naming roles, so custom roles and portals need no change, and the chain
 * down to the entity holds no folder or item, so the question never recurses. Bindings at the
 * entity or above need no admission (they are the admission). Staff are not held to it: the seed
 * asks it of contacts only. A chain with no entity admits nobody.
 */
function admitted(actor: Actor, chain: ScopeChain): boolean {
  const entity = chain.findIndex((s) => s.type === 'entity');
  if (entity < 0) return false;
  return can(actor, 'entity.summary:R', chain.slice(0, entity + 1));
}

/**
 * Which bindings count towards an answer about the chain's object: one rule for `can` and
 * `explain`, so they never disagree. Admission is asked at most once, and only for a contact's
 * binding inside an entity.
 */
function countsOn(actor: Actor, chain: ScopeChain): (binding: EffectiveBinding) => boolean {
  let isAdmitted: boolean | undefined;
  return (binding) => {
    if (!covers(actor, binding, chain)) return false;
    if (actor.user.kind !== 'contact' || !insideEntity(binding.scope)) return true;
    isAdmitted ??= admitted(actor, chain);
    return isAdmitted;
  };
}

/**
 * The bindings behind a yes; empty exactly when `can` says no. For a contact's binding on a folder
 * or an item, the entity-level binding that admits them is a condition rather than a grant and is
 * not listed here; `explain(actor, 'entity.summary:R', <chain down to the entity>)` names it.
 */
export function explain(
  actor: Actor,
  permission: Permission,
  chain: ScopeChain = [SYSTEM],
): EffectiveBinding[] {
  const counts = countsOn(actor, chain);
  return actor.bindings.filter((b) => grantedBy(actor, b).has(permission) && counts(b));
}

/**
 * Reads only the bindings on the chain (indexed once per loaded actor, src/permissions/held.ts):
 * the same answer as `explain(...).length > 0`, without walking every binding the actor holds.
 */
export function can(actor: Actor | null, permission: Permission, chain: ScopeChain = [SYSTEM]): boolean {
  if (!actor) return false;
  const counts = countsOn(actor, chain);
  return bindingsOnChain(actor, chain).some((b) => grantedBy(actor, b).has(permission) && counts(b));
}

/**
 * Share (A) or Share (S) at the bottom of the chain: may the actor give or take roles there at all?
 * S counts only where the actor owns (only Owner carries it), which a binding covering the chain is.
 */
export function mayShareAt(actor: Actor, chain: ScopeChain): boolean {
  return can(actor, 'entity:A', chain) || can(actor, 'entity:S', chain);
}

/**
 * True when the actor holds every one of `permissions` at the bottom of `chain`, counting Share (A)
 * as covering Share (S) (assigning any role includes assigning owned ones): what giving or taking a
 * role there requires, so nobody hands out a permission they do not hold.
 */
export function holdsToGrant(actor: Actor, permissions: Iterable<Permission>, chain: ScopeChain): boolean {
  for (const p of permissions) {
    if (can(actor, p, chain)) continue;
    if (p.endsWith(':S') && can(actor, `${p.slice(0, -2)}:A` as Permission, chain)) continue;
    return false;
  }
  return true;
}

/** Every permission the actor holds at the system scope: what a role they grant must not exceed. */
export function systemPermissions(actor: Actor): Set<Permission> {
  const held = new Set<Permission>();
  for (const b of actor.bindings) {
    if (b.scope.type !== 'system') continue;
    for (const p of grantedBy(actor, b)) held.add(p);
  }
  return held;
}

/** Nobody grants a role carrying permissions they do not hold themselves. */
export function canGrant(actor: Actor, rolePermissions: ReadonlySet<Permission>): boolean {
  const held = systemPermissions(actor);
  for (const p of rolePermissions) if (!held.has(p)) return false;
  return true;
}

/**
 * May the actor take over management of another account (reset its password, disable it, change
 * its email)? Only when that account holds nothing the actor does not, or a Staff Admin could
 * become an Admin by resetting an Admin's password.
 */
export function canManageAccount(actor: Actor, target: Actor): boolean {
  if (actor.user.id === target.user.id) return true;
  return canGrant(actor, systemPermissions(target));
}
