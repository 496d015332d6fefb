/**
 * The one answer to "may this actor do this here?". A binding covers its scope and everything
 * below it, so a target is described by its scope chain (system first, the object itself last).
 */
import type { Actor, EffectiveBinding, Scope } from './actor.js';
import { SYSTEM } from './actor.js';
import type { Permission } from './catalog.js';

export type ScopeChain = readonly Scope[];

function covers(binding: EffectiveBinding, chain: ScopeChain): boolean {
  if (binding.scope.type === 'system') return true;
  return chain.some((s) => s.type === binding.scope.type && s.id === binding.scope.id);
}

function grants(actor: Actor, binding: EffectiveBinding, permission: Permission): boolean {
  return actor.rolePermissions.get(binding.roleId)?.has(permission) ?? false;
}

/** The bindings behind a yes; empty exactly when `can` says no. */
export function explain(
  actor: Actor,
  permission: Permission,
  chain: ScopeChain = [SYSTEM],
): EffectiveBinding[] {
  return actor.bindings.filter((b) => covers(b, chain) && grants(actor, b, permission));
}

export function can(actor: Actor | null, permission: Permission, chain: ScopeChain = [SYSTEM]): boolean {
  if (!actor) return false;
  return actor.bindings.some((b) => covers(b, chain) && grants(actor, b, permission));
}

/** Every permission the actor holds at the system scope: what a role they grant must not exceed. */
export function systemPermissions(actor: Actor): Set<Permission> {
  const held = new Set<Permission>();
  for (const b of actor.bindings) {
    if (b.scope.type !== 'system') continue;
    for (const p of actor.rolePermissions.get(b.roleId) ?? []) held.add(p);
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
