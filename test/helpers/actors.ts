/**
 * Actors written out by hand, for tests of the permission module's pure answers: who they are,
 * what they hold where, and what each role carries, with no database behind them.
 */
import type { Actor, Scope } from '../../src/permissions/actor.js';
import type { Permission } from '../../src/permissions/catalog.js';
import { GrantError } from '../../src/permissions/errors.js';
import { BUILT_IN_ROLES } from '../../src/permissions/roles.js';

export const entity = (id: string): Scope => ({ type: 'entity', id });
export const item = (id: string): Scope => ({ type: 'item', id });
export const folder = (id: string): Scope => ({ type: 'folder', id });
export const portal = (id: string): Scope => ({ type: 'portal', id });

/** A staff member or contact holding each role at its scope; `roles` says what each carries. */
export function person(
  kind: 'staff' | 'contact',
  bindings: [roleId: string, scope: Scope][],
  roles: Record<string, readonly Permission[]>,
  portalEntities: Record<string, string[]> = {},
): Actor {
  return {
    user: { id: `${kind}1`, kind, email: `${kind}@example.com`, first_name: 'A', last_name: 'B' },
    bindings: bindings.map(([roleId, scope], i) => ({ bindingId: `b${i}`, roleId, scope, group: null })),
    rolePermissions: new Map(
      Object.entries(roles).map(([id, permissions]) => [id, new Set(permissions)] as const),
    ),
    portalEntities: new Map(Object.entries(portalEntities).map(([id, ids]) => [id, new Set(ids)] as const)),
  };
}

/** The letters a built-in role carries. */
export const builtIn = (id: keyof typeof BUILT_IN_ROLES) => [...BUILT_IN_ROLES[id].permissions];

/** The refusal a grant ended in, as its message and the field it shows beside; throws otherwise. */
export async function grantRefusal(promise: Promise<unknown>): Promise<{ message: string; field: string }> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof GrantError)) throw new Error(`expected a GrantError, got ${String(error)}`);
  return { message: error.message, field: error.field };
}
