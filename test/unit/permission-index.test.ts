/**
 * The index of an actor's bindings (src/permissions/held.ts): what it answers, and that it is built
 * once and kept only while the actor it was built from is the same. `can` and the list filters
 * read it on every request, so a stale index would answer for someone's old roles.
 */
import { describe, expect, it } from 'vitest';
import type { Actor, EffectiveBinding, Scope } from '../../src/permissions/actor.js';
import { SYSTEM } from '../../src/permissions/actor.js';
import { can } from '../../src/permissions/can.js';
import type { Permission } from '../../src/permissions/catalog.js';
import { entitiesHeld, heldAnywhere, holdsOnScopesOf } from '../../src/permissions/held.js';
import { canAnywhere } from '../../src/permissions/scopes.js';

const bindings = (list: [roleId: string, scope: Scope][]): EffectiveBinding[] =>
  list.map(([roleId, scope], i) => ({ bindingId: `b${i}`, roleId, scope, group: null }));

const actorOf = (
  held: EffectiveBinding[],
  roles: Record<string, Permission[]>,
  portals: Record<string, string[]> = {},
): Actor => ({
  user: { id: 'u1', kind: 'staff', email: 'a@example.com', first_name: 'A', last_name: 'B' },
  bindings: held,
  rolePermissions: new Map(Object.entries(roles).map(([id, p]) => [id, new Set(p)] as const)),
  portalEntities: new Map(Object.entries(portals).map(([id, ids]) => [id, new Set(ids)] as const)),
});

describe("an actor's index of bindings", () => {
  it('at which entities a permission is held: bound there or through a portal, only by bindings that hold it', () => {
    const actor = actorOf(
      bindings([
        ['yes', { type: 'entity', id: 'e1' }],
        ['no', { type: 'entity', id: 'e2' }],
        ['no', { type: 'portal', id: 'p1' }],
        ['yes', { type: 'portal', id: 'p2' }],
        ['yes', { type: 'folder', id: 'd1' }],
        ['no', SYSTEM],
      ]),
      {},
      { p1: ['e3'], p2: ['e4'] },
    );
    const holds = (b: EffectiveBinding) => b.roleId === 'yes';
    expect(entitiesHeld(actor, 'file:R', holds)).toEqual({ all: false, ids: ['e1', 'e4'] });
    const everywhere = actorOf(bindings([['yes', SYSTEM]]), {});
    expect(entitiesHeld(everywhere, 'file:R', holds)).toEqual({ all: true });
  });

  it('remembers each answer per permission, asking each binding once', () => {
    const actor = actorOf(
      bindings([
        ['viewer', { type: 'entity', id: 'e1' }],
        ['viewer', { type: 'entity', id: 'e2' }],
      ]),
      {},
    );
    let asked = 0;
    const holds = () => {
      asked++;
      return true;
    };
    expect(heldAnywhere(actor, 'file:R', holds)).toBe(true);
    expect(heldAnywhere(actor, 'file:R', holds)).toBe(true);
    expect(asked).toBe(1);
    asked = 0;
    expect(entitiesHeld(actor, 'file:R', holds)).toEqual({ all: false, ids: ['e1', 'e2'] });
    expect(entitiesHeld(actor, 'file:R', holds)).toEqual({ all: false, ids: ['e1', 'e2'] });
    expect(asked).toBe(2);
  });

  it('is not reused for an actor with the same bindings but other role permissions', () => {
    const shared = bindings([['viewer', { type: 'entity', id: 'e1' }]]);
    const before = actorOf(shared, { viewer: ['file:R'] });
    const after = { ...before, rolePermissions: actorOf(shared, { viewer: [] }).rolePermissions };
    expect(canAnywhere(before, 'file:R')).toBe(true);
    expect(canAnywhere(after, 'file:R')).toBe(false);
  });

  it("is not reused for an actor with the same bindings but other portals' entities", () => {
    const shared = bindings([['member', { type: 'portal', id: 'p1' }]]);
    const chain = [SYSTEM, { type: 'entity' as const, id: 'x' }];
    const roles = { member: ['entity.summary:R'] as Permission[] };
    const holds = () => true;
    // An entity put into the portal: the member now sees it.
    const without = actorOf(shared, roles, { p1: [] });
    const withIt = { ...without, portalEntities: new Map([['p1', new Set(['x'])]]) };
    expect(can(without, 'entity.summary:R', chain)).toBe(false);
    expect(can(withIt, 'entity.summary:R', chain)).toBe(true);
    // And taken out again: the list filter no longer names it.
    expect(entitiesHeld(withIt, 'entity.summary:R', holds)).toEqual({ all: false, ids: ['x'] });
    const takenOut = { ...withIt, portalEntities: new Map([['p1', new Set<string>()]]) };
    expect(entitiesHeld(takenOut, 'entity.summary:R', holds)).toEqual({ all: false, ids: [] });
  });

  it('lists the distinct scopes of the types asked for, and no others', () => {
    const actor = actorOf(
      bindings([
        ['a', { type: 'folder', id: 'd1' }],
        ['b', { type: 'folder', id: 'd1' }],
        ['a', { type: 'item', id: 'f1' }],
        ['a', { type: 'entity', id: 'e1' }],
        ['a', SYSTEM],
      ]),
      {},
    );
    expect(holdsOnScopesOf(actor, ['folder', 'item'])).toEqual([
      { type: 'folder', id: 'd1' },
      { type: 'item', id: 'f1' },
    ]);
  });
});
