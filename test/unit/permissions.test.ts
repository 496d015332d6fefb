/**
 * The permission catalogue and built-in roles read like the seeds: each object type has exactly
 * the seed's letters, administrative roles hold what the seed says, and nobody grants beyond
 * what they hold.
 */
import { describe, expect, it } from 'vitest';
import type { Actor } from '../../src/permissions/actor.js';
import { SYSTEM } from '../../src/permissions/actor.js';
import {
  ALL_PERMISSIONS,
  BUILT_IN_ROLES,
  can,
  canGrant,
  canManageAccount,
  explain,
  OBJECT_TYPES,
} from '../../src/permissions/index.js';

const actor = (roles: string[], scope = SYSTEM, group: Actor['bindings'][number]['group'] = null): Actor => ({
  user: { id: 'u1', kind: 'staff', email: 'a@example.com', first_name: 'A', last_name: 'B' },
  bindings: roles.map((roleId, i) => ({ bindingId: `b${i}`, roleId, scope, group })),
  rolePermissions: new Map(
    roles.map((r) => [r, BUILT_IN_ROLES[r as keyof typeof BUILT_IN_ROLES].permissions]),
  ),
  portalEntities: new Map(),
});

describe('the permission catalogue (seed: caseware-cloud-permissions.txt)', () => {
  it('has every object type with exactly the seed letters', () => {
    const table = Object.fromEntries(Object.values(OBJECT_TYPES).map((o) => [o.label, o.letters.join(' ')]));
    expect(table).toEqual({
      Contact: 'C D',
      'Contact - Details': 'R E',
      'Contact - Summary': 'R E',
      'Contact Group': 'C E D',
      Organization: 'R E',
      Staff: 'C D',
      'Staff - Details': 'R E',
      'Staff - Summary': 'R E',
      'Staff Group': 'C E D',
      Tag: 'C E D',
      Entity: 'C D A S',
      'Entity - Details': 'R E',
      'Entity - Summary': 'R E',
      Activity: 'C R E D A S',
      'Activity - Comment': 'C E D',
      File: 'C R E D A S',
      'Audit Log': 'R',
    });
  });

  it('has the seed built-in roles, by their exact names', () => {
    expect(Object.values(BUILT_IN_ROLES).map((r) => r.name)).toEqual([
      'Admin',
      'Entities Admin',
      'Staff Admin',
      'Settings Admin',
      'Owner',
      'Editor',
      'Viewer',
      'Entity Access',
      'Contact - Entity Collaborator',
      'Contact - Entity Access',
      'Contact - Owner',
      'Contact - Editor',
      'Contact - Viewer',
      'Associated',
      'Portal - Full access',
      'Portal - Contributor',
    ]);
  });
});

describe('administrative roles (seed: caseware-cloud-built-in-roles.txt)', () => {
  it('Admin: can access all content and perform any action', () => {
    for (const p of ALL_PERMISSIONS) expect(can(actor(['admin']), p)).toBe(true);
  });

  it('Staff Admin: create, edit and delete staff and staff groups, and nothing else', () => {
    const a = actor(['staff_admin']);
    for (const p of [
      'staff:C',
      'staff:D',
      'staff.details:E',
      'staff.summary:E',
      'staffGroup:C',
      'staffGroup:E',
      'staffGroup:D',
    ] as const) {
      expect(can(a, p)).toBe(true);
    }
    for (const p of ['organization:E', 'contact:C', 'entity:C', 'auditLog:R'] as const)
      expect(can(a, p)).toBe(false);
  });

  it('Settings Admin: access and modify all system settings, and nothing about people', () => {
    const a = actor(['settings_admin']);
    expect(can(a, 'organization:R')).toBe(true);
    expect(can(a, 'organization:E')).toBe(true);
    for (const p of ['staff:C', 'staff.summary:R', 'contact:C', 'auditLog:R'] as const)
      expect(can(a, p)).toBe(false);
  });

  it('Entities Admin: create, edit and delete contacts, contact groups, entities and content within them', () => {
    const a = actor(['entities_admin']);
    for (const p of [
      'contact:C',
      'contact:D',
      'contactGroup:C',
      'contactGroup:E',
      'contactGroup:D',
      'entity:C',
      'entity:D',
      'file:C',
      'file:D',
      'activity:E',
    ] as const) {
      expect(can(a, p)).toBe(true);
    }
    for (const p of ['staff:C', 'organization:E'] as const) expect(can(a, p)).toBe(false);
  });

  it('administrative roles apply at the system level only', () => {
    for (const id of ['admin', 'entities_admin', 'staff_admin', 'settings_admin'] as const) {
      expect(BUILT_IN_ROLES[id].levels).toEqual(['system']);
      expect(BUILT_IN_ROLES[id].administrative).toBe(true);
    }
  });

  it('a role given through a group works like one given directly, and explain names the group', () => {
    const viaGroup = actor(['settings_admin'], SYSTEM, { id: 'g1', name: 'Office' });
    expect(can(viaGroup, 'organization:E')).toBe(true);
    expect(explain(viaGroup, 'organization:E').map((b) => b.group?.name)).toEqual(['Office']);
    expect(explain(viaGroup, 'staff:C')).toEqual([]);
  });

  it('a binding at an entity does not reach the system or another entity', () => {
    const a = actor(['viewer'], { type: 'entity', id: 'e1' });
    expect(can(a, 'file:R', [SYSTEM, { type: 'entity', id: 'e1' }])).toBe(true);
    expect(can(a, 'file:R', [SYSTEM, { type: 'entity', id: 'e2' }])).toBe(false);
    expect(can(a, 'file:R')).toBe(false);
  });

  it('nobody grants a role carrying permissions they do not hold', () => {
    expect(canGrant(actor(['staff_admin']), BUILT_IN_ROLES.staff_admin.permissions)).toBe(true);
    expect(canGrant(actor(['staff_admin']), BUILT_IN_ROLES.admin.permissions)).toBe(false);
    expect(canGrant(actor(['staff_admin']), BUILT_IN_ROLES.settings_admin.permissions)).toBe(false);
    expect(canGrant(actor(['admin']), BUILT_IN_ROLES.settings_admin.permissions)).toBe(true);
  });

  it('nobody manages an account that holds more than they do', () => {
    expect(
      canManageAccount(actor(['staff_admin']), {
        ...actor(['admin']),
        user: { ...actor([]).user, id: 'u2' },
      }),
    ).toBe(false);
    expect(
      canManageAccount(actor(['staff_admin']), { ...actor([]), user: { ...actor([]).user, id: 'u2' } }),
    ).toBe(true);
  });

  it('no actor, no access', () => {
    expect(can(null, 'organization:R')).toBe(false);
  });
});

describe('a custom contact role given at an entity', () => {
  const contact = (bindings: [string, Actor['bindings'][number]['scope']][]): Actor => ({
    user: { id: 'c1', kind: 'contact', email: 'c@example.com', first_name: 'C', last_name: 'D' },
    bindings: bindings.map(([roleId, scope], i) => ({ bindingId: `b${i}`, roleId, scope, group: null })),
    rolePermissions: new Map([
      ['custom', new Set(['entity.summary:R', 'file:C', 'file:R', 'file:D', 'activity:R'] as const)],
      ['contact_viewer', BUILT_IN_ROLES.contact_viewer.permissions],
    ]),
    portalEntities: new Map(),
  });
  const entity = { type: 'entity' as const, id: 'x' };
  const item = [SYSTEM, entity, { type: 'item' as const, id: 'f1' }];

  it('lets the contact see the entity and add files, but open no item without a role on it', () => {
    const a = contact([['custom', entity]]);
    expect(can(a, 'entity.summary:R', [SYSTEM, entity])).toBe(true);
    expect(can(a, 'file:C', [SYSTEM, entity])).toBe(true);
    for (const p of ['file:R', 'file:D', 'activity:R'] as const) {
      expect([p, can(a, p, item), explain(a, p, item)]).toEqual([p, false, []]);
    }
  });

  it('with Contact - Viewer on the item, the contact reads it and still cannot delete it', () => {
    const a = contact([
      ['custom', entity],
      ['contact_viewer', item[2] as Actor['bindings'][number]['scope']],
    ]);
    expect(can(a, 'file:R', item)).toBe(true);
    expect(can(a, 'file:D', item)).toBe(false);
  });
});

describe("portal members on an item of one of the portal's entities", () => {
  const portal = { type: 'portal' as const, id: 'p1' };
  const item = [SYSTEM, { type: 'entity' as const, id: 'x' }, { type: 'item' as const, id: 'f1' }];
  const elsewhere = [SYSTEM, { type: 'entity' as const, id: 'y' }, { type: 'item' as const, id: 'f2' }];
  const member = (
    roleId: 'portal_full_access' | 'portal_contributor',
    extra: Actor['bindings'] = [],
  ): Actor => ({
    user: { id: 'c1', kind: 'contact', email: 'c@example.com', first_name: 'C', last_name: 'D' },
    bindings: [{ bindingId: 'b0', roleId, scope: portal, group: null }, ...extra],
    rolePermissions: new Map([
      [roleId, BUILT_IN_ROLES[roleId].permissions],
      ['contact_viewer', BUILT_IN_ROLES.contact_viewer.permissions],
    ]),
    portalEntities: new Map([['p1', new Set(['x'])]]),
  });

  it('full access opens every item in the portal, through the portal binding, and nothing outside it', () => {
    const a = member('portal_full_access');
    expect(can(a, 'file:R', item)).toBe(true);
    expect(explain(a, 'file:R', item).map((b) => b.scope)).toEqual([portal]);
    expect(can(a, 'file:E', item)).toBe(false);
    expect(can(a, 'file:R', elsewhere)).toBe(false);
  });

  it('a contributor opens only what is shared with them, the portal admitting them', () => {
    const a = member('portal_contributor');
    expect(can(a, 'entity.summary:R', item.slice(0, 2))).toBe(true);
    expect(can(a, 'file:R', item)).toBe(false);
    const shared = member('portal_contributor', [
      {
        bindingId: 'b1',
        roleId: 'contact_viewer',
        scope: item[2] as Actor['bindings'][number]['scope'],
        group: null,
      },
    ]);
    expect(can(shared, 'file:R', item)).toBe(true);
    expect(explain(shared, 'file:R', item).map((b) => b.roleId)).toEqual(['contact_viewer']);
  });

  it("an entity taken out of the portal takes the member's access with it", () => {
    const a = { ...member('portal_full_access'), portalEntities: new Map([['p1', new Set<string>()]]) };
    expect(can(a, 'file:R', item)).toBe(false);
    expect(can(a, 'entity.summary:R', item.slice(0, 2))).toBe(false);
  });
});
