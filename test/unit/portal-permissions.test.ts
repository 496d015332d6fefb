/**
 * Who may list, make and manage portals (src/permissions/portals.ts), over actors written out by
 * hand: staff only, Share at every entity of the portal, and every letter a portal member role
 * carries there; a portal with no entities is managed at the system level.
 */
import { describe, expect, it } from 'vitest';
import { SYSTEM } from '../../src/permissions/actor.js';
import type { Permission } from '../../src/permissions/catalog.js';
import {
  mayCreatePortals,
  mayListPortals,
  mayManagePortal,
  mayManagePortalAt,
} from '../../src/permissions/portals.js';
import { builtIn, entity, person } from '../helpers/actors.js';

/** Everything a portal member role carries (Portal - Full access and Contributor), written out. */
const MEMBER_LETTERS: Permission[] = [
  'entity.summary:R',
  'entity.details:R',
  'activity:C',
  'activity:R',
  'activity.comment:C',
  'file:C',
  'file:R',
];

describe('who may list, make and manage portals', () => {
  it('a contact who sees an entity of theirs does not list portals; staff who see one do', () => {
    const contact = person('contact', [['contact_entity_access', entity('e1')]], {
      contact_entity_access: builtIn('contact_entity_access'),
    });
    expect(mayListPortals(contact)).toBe(false);
    const viewer = person('staff', [['viewer', entity('e1')]], { viewer: builtIn('viewer') });
    expect(mayListPortals(viewer)).toBe(true);
  });

  it('a contact never makes or manages a portal, whatever letters a role of theirs carries, at an entity or on an item', () => {
    const everything: Permission[] = ['entity:A', 'entity:S', ...MEMBER_LETTERS];
    const contact = person(
      'contact',
      [
        ['contact_entity_access', entity('e1')],
        ['custom', entity('e1')],
        ['custom', { type: 'item', id: 'f1' }],
      ],
      { contact_entity_access: builtIn('contact_entity_access'), custom: everything },
    );
    const staff = person('staff', [['custom', entity('e1')]], { custom: everything });
    expect([mayCreatePortals(staff), mayManagePortalAt(staff, 'e1'), mayManagePortal(staff, ['e1'])]).toEqual(
      [true, true, true],
    );
    expect([
      mayCreatePortals(contact),
      mayManagePortalAt(contact, 'e1'),
      mayManagePortal(contact, ['e1']),
    ]).toEqual([false, false, false]);
  });

  it('managing a portal at an entity needs every letter a member role carries there, not only Share', () => {
    const sharer = person('staff', [['sharer', entity('e1')]], { sharer: ['entity:A', 'entity.summary:R'] });
    expect(mayManagePortalAt(sharer, 'e1')).toBe(false);
    const full = person('staff', [['full', entity('e1')]], { full: ['entity:A', ...MEMBER_LETTERS] });
    expect(mayManagePortalAt(full, 'e1')).toBe(true);
    for (const missing of MEMBER_LETTERS) {
      const short = person('staff', [['short', entity('e1')]], {
        short: ['entity:A', ...MEMBER_LETTERS.filter((l) => l !== missing)],
      });
      expect(mayManagePortalAt(short, 'e1'), `without ${missing}`).toBe(false);
    }
  });

  it('a portal is managed only by whoever may manage it at every one of its entities', () => {
    const owner = person('staff', [['owner', entity('e1')]], { owner: builtIn('owner') });
    expect(mayManagePortal(owner, ['e1'])).toBe(true);
    expect(mayManagePortal(owner, ['e1', 'e2'])).toBe(false);
    expect(mayManagePortal(owner, ['e2', 'e1'])).toBe(false);
  });

  it('a portal with no entities is managed at the system level: an Owner of one entity may not', () => {
    const owner = person('staff', [['owner', entity('e1')]], { owner: builtIn('owner') });
    expect(mayManagePortal(owner, [])).toBe(false);
    const admin = person('staff', [['admin', SYSTEM]], { admin: builtIn('admin') });
    expect(mayManagePortal(admin, [])).toBe(true);
    const sharerEverywhere = person('staff', [['sharer', SYSTEM]], {
      sharer: ['entity:A', 'entity.summary:R'],
    });
    expect(mayManagePortal(sharerEverywhere, [])).toBe(false);
    const editorEverywhere = person('staff', [['editor', SYSTEM]], { editor: builtIn('editor') });
    expect(mayManagePortal(editorEverywhere, [])).toBe(false);
  });
});
