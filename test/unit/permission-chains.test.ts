/**
 * The edges of `can` and `explain` that the seeds' sentences do not reach: chains of other shapes
 * than the loaders build, bindings elsewhere than the object asked about (which `can` never reads,
 * since it looks bindings up by the chain, but `explain` walks them all), and who may grant what.
 * Each test here was written against a mutant that survived every other test (docs/testing.md).
 */
import { describe, expect, it } from 'vitest';
import type { EffectiveBinding } from '../../src/permissions/actor.js';
import { SYSTEM } from '../../src/permissions/actor.js';
import { chainOfScope, mayGrantAt } from '../../src/permissions/assign.js';
import {
  can,
  canGrant,
  explain,
  grantedBy,
  holdsToGrant,
  systemPermissions,
} from '../../src/permissions/can.js';
import type { Permission } from '../../src/permissions/catalog.js';
import { describePermissions } from '../../src/permissions/custom-roles.js';
import { BUILT_IN_ROLES } from '../../src/permissions/roles.js';
import { canAnywhere, entityChain, itemChain } from '../../src/permissions/scopes.js';
import { builtIn, entity, item, person, portal } from '../helpers/actors.js';

describe('chains that do not start at the system', () => {
  it('a system binding covers any chain, named in it or not', () => {
    const admin = person('staff', [['admin', SYSTEM]], { admin: builtIn('admin') });
    expect(can(admin, 'file:R', [entity('e1'), item('f1')])).toBe(true);
    expect(explain(admin, 'file:R', [entity('e1')]).map((b) => b.roleId)).toEqual(['admin']);
  });

  it("a contact's item role counts on a chain that starts at the entity, once the entity admits them", () => {
    const contact = person(
      'contact',
      [
        ['contact_entity_access', entity('e1')],
        ['contact_viewer', item('f1')],
      ],
      { contact_entity_access: builtIn('contact_entity_access'), contact_viewer: builtIn('contact_viewer') },
    );
    expect(can(contact, 'file:R', [entity('e1'), item('f1')])).toBe(true);
  });

  it('a chain that names no entity admits no contact to an item, whatever they hold elsewhere', () => {
    const roles = {
      contact_viewer: builtIn('contact_viewer'),
      everywhere: ['entity.summary:R'] as Permission[],
    };
    const viewer = person('contact', [['contact_viewer', item('f1')]], roles);
    expect(can(viewer, 'file:R', [SYSTEM, item('f1')])).toBe(false);
    // Even a contact who sees every entity (a role at the system) is not admitted by a chain without one.
    const seesAll = person(
      'contact',
      [
        ['everywhere', SYSTEM],
        ['contact_viewer', item('f1')],
      ],
      roles,
    );
    expect(can(seesAll, 'file:R', [SYSTEM, item('f1')])).toBe(false);
    expect(can(seesAll, 'file:R', [SYSTEM, entity('e1'), item('f1')])).toBe(true);
  });

  it('itemChain names the system, the entity, the folders and the item, and nothing else', () => {
    expect(itemChain('e1', 'f1')).toEqual([SYSTEM, entity('e1'), item('f1')]);
    expect(itemChain('e1', 'f1', ['d1', 'd2'])).toEqual([
      SYSTEM,
      entity('e1'),
      { type: 'folder', id: 'd1' },
      { type: 'folder', id: 'd2' },
      item('f1'),
    ]);
  });
});

describe('explain names only the bindings that cover the object', () => {
  const contact = person(
    'contact',
    [
      ['contact_entity_access', entity('e1')],
      ['portal_full_access', portal('p1')],
      ['portal_full_access', portal('p-empty')],
      ['contact_viewer', item('f1')],
    ],
    {
      contact_entity_access: builtIn('contact_entity_access'),
      portal_full_access: builtIn('portal_full_access'),
      contact_viewer: builtIn('contact_viewer'),
    },
    // p-empty is a portal whose entities the actor was loaded without: it covers nothing.
    { p1: ['x'] },
  );
  const scopes = (bindings: EffectiveBinding[]) => bindings.map((b) => `${b.scope.type}:${b.scope.id}`);

  it('an entity outside every binding: nobody', () => {
    expect(explain(contact, 'entity.summary:R', [SYSTEM, entity('y')])).toEqual([]);
    expect(can(contact, 'entity.summary:R', [SYSTEM, entity('y')])).toBe(false);
  });

  it("the portal's entity: the portal binding, not the binding at another entity", () => {
    expect(scopes(explain(contact, 'entity.summary:R', [SYSTEM, entity('x')]))).toEqual(['portal:p1']);
  });

  it('the bound entity: its own binding, not the portal that does not hold it', () => {
    expect(scopes(explain(contact, 'entity.summary:R', [SYSTEM, entity('e1')]))).toEqual(['entity:e1']);
  });

  it('an item: the role on it, not a role on another item', () => {
    const chain = [SYSTEM, entity('e1'), item('f1')];
    expect(scopes(explain(contact, 'file:R', chain))).toEqual(['item:f1']);
    expect(explain(contact, 'file:R', [SYSTEM, entity('e1'), item('f2')])).toEqual([]);
  });
});

describe('what a role grants, and who may grant it', () => {
  it("a contact's entity-level letters are worked out once per role, not on every question", () => {
    const contact = person('contact', [['custom', entity('e1')]], {
      custom: ['entity.summary:R', 'file:R', 'file:C'],
    });
    const [binding] = contact.bindings;
    const first = grantedBy(contact, binding!);
    expect([...first].sort()).toEqual(['entity.summary:R', 'file:C']);
    expect(grantedBy(contact, binding!)).toBe(first);
  });

  it('Share (A) covers Share (S), and nothing else: no other letter is had for holding A', () => {
    const sharer = person('staff', [['sharer', entity('e1')]], { sharer: ['entity:A'] });
    const chain = [SYSTEM, entity('e1')];
    expect(holdsToGrant(sharer, ['entity:A', 'entity:S'], chain)).toBe(true);
    expect(holdsToGrant(sharer, ['entity:D'], chain)).toBe(false);
    expect(holdsToGrant(sharer, ['entity:S', 'entity:D'], chain)).toBe(false);
  });

  it('holding neither Share letter, nobody grants one', () => {
    const reader = person('staff', [['reader', entity('e1')]], { reader: ['entity.summary:R'] });
    expect(holdsToGrant(reader, ['entity:S'], [SYSTEM, entity('e1')])).toBe(false);
    expect(holdsToGrant(reader, ['entity.summary:R'], [SYSTEM, entity('e1')])).toBe(true);
  });

  it('only system bindings count towards the roles someone may grant', () => {
    const owner = person('staff', [['owner', entity('e1')]], { owner: builtIn('owner') });
    expect(systemPermissions(owner)).toEqual(new Set());
    expect(canGrant(owner, BUILT_IN_ROLES.owner.permissions)).toBe(false);
  });

  it('no actor holds anything anywhere', () => {
    expect(canAnywhere(null, 'entity.summary:R')).toBe(false);
  });
});

describe('permissions in words', () => {
  it('groups letters by object type, in the catalogue order, whatever order they came in', () => {
    expect(describePermissions(['file:R', 'contact:D', 'contact:C', 'file:C'])).toBe(
      'Contact (C D), File (C R)',
    );
  });

  it('a binding sits at the bottom of the chain of its scope: the system, a portal, an entity', () => {
    expect(chainOfScope(SYSTEM)).toEqual([SYSTEM]);
    expect(chainOfScope(portal('p1'))).toEqual([SYSTEM, portal('p1')]);
    expect(chainOfScope(entity('e1'))).toEqual(entityChain('e1'));
    expect(() => chainOfScope(item('i1'))).toThrow('No scope chain is known for item scopes yet');
  });

  it('a custom role is given at an entity by who may share there and holds its letters, like any other', () => {
    const letters = new Set<Permission>(['file:R']);
    const sharer = person('staff', [['sharer', entity('e1')]], { sharer: ['entity:A', 'file:R'] });
    const reader = person('staff', [['reader', entity('e1')]], { reader: ['file:R'] });
    expect(mayGrantAt(sharer, 'custom-role-id', letters, entity('e1'))).toBe(true);
    expect(mayGrantAt(sharer, 'custom-role-id', letters, entity('e2'))).toBe(false);
    expect(mayGrantAt(reader, 'custom-role-id', letters, entity('e1'))).toBe(false);
  });
});
