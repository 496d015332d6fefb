/**
 * Every built-in role at every level the seed allows, one row per (role, level, permission,
 * target), each carrying the sentence of caseware-cloud-built-in-roles.txt it comes from. The world
 * is two entities, A and B, with items a1 and a2 in A and b1 in B, and a portal P holding A (the
 * MYOB seed's portal roles, full access and contributor, are Portico's built-ins beside Caseware's);
 * actors are built directly, so this is `can` alone, with no database.
 */
import { describe, expect, it } from 'vitest';
import type { UserKind } from '../../src/db/schema.js';
import type { Actor, Scope } from '../../src/permissions/actor.js';
import { SYSTEM } from '../../src/permissions/actor.js';
import { can, explain, type ScopeChain } from '../../src/permissions/can.js';
import type { Permission } from '../../src/permissions/catalog.js';
import { BUILT_IN_ROLES, type BuiltInRoleId, type Level } from '../../src/permissions/roles.js';
import { entityChain, itemChain } from '../../src/permissions/scopes.js';

const TARGETS = {
  'the system': [SYSTEM],
  'entity A': entityChain('A'),
  'entity B': entityChain('B'),
  'item a1 of A': itemChain('A', 'a1'),
  'item a2 of A': itemChain('A', 'a2'),
  'item a1 of A, in a folder': itemChain('A', 'a1', ['folder-1']),
  'item b1 of B': itemChain('B', 'b1'),
} satisfies Record<string, ScopeChain>;
type Target = keyof typeof TARGETS;

const SCOPES = {
  system: SYSTEM,
  'entity A': { type: 'entity', id: 'A' },
  'entity B': { type: 'entity', id: 'B' },
  'item a1': { type: 'item', id: 'a1' },
  'portal P': { type: 'portal', id: 'P' },
} satisfies Record<string, Scope>;
type At = keyof typeof SCOPES;

type Holding = readonly [role: BuiltInRoleId, at: At];

function actorHolding(kind: UserKind, holdings: readonly Holding[]): Actor {
  return {
    user: { id: 'u1', kind, email: 'pat@example.com', first_name: 'Pat', last_name: 'Doe' },
    bindings: holdings.map(([roleId, at], i) => ({
      bindingId: `b${i}`,
      roleId,
      scope: SCOPES[at],
      group: null,
    })),
    rolePermissions: new Map(holdings.map(([roleId]) => [roleId, BUILT_IN_ROLES[roleId].permissions])),
    portalEntities: new Map([['P', new Set(['A'])]]),
  };
}

interface Row {
  sentence: string;
  kind: UserKind;
  holds: readonly Holding[];
  permission: Permission;
  target: Target;
  allowed: boolean;
}

type Check = readonly [Permission, Target];

/** Rows for one actor and one seed sentence: what it may do, and what it may not. */
function rows(
  sentence: string,
  kind: UserKind,
  holds: readonly Holding[],
  checks: { yes?: readonly Check[]; no?: readonly Check[] },
): Row[] {
  const row =
    (allowed: boolean) =>
    ([permission, target]: Check): Row => ({ sentence, kind, holds, permission, target, allowed });
  return [...(checks.yes ?? []).map(row(true)), ...(checks.no ?? []).map(row(false))];
}

const staff = (holds: readonly Holding[]) => (sentence: string, checks: Parameters<typeof rows>[3]) =>
  rows(sentence, 'staff', holds, checks);
const contact = (holds: readonly Holding[]) => (sentence: string, checks: Parameters<typeof rows>[3]) =>
  rows(sentence, 'contact', holds, checks);

const EVERY_ITEM_LETTER = ['file:R', 'file:E', 'file:D', 'activity:R', 'activity:E'] as const;

const ADMINISTRATIVE: Row[] = [
  ...staff([['admin', 'system']])(
    'Users with the Admin role can access all content and perform any action.',
    {
      yes: [
        ['organization:E', 'the system'],
        ['staff:C', 'the system'],
        ['auditLog:R', 'the system'],
        ['entity:A', 'entity B'],
        ['entity.details:E', 'entity B'],
        ['file:A', 'item b1 of B'],
        ['file:D', 'item b1 of B'],
        ['activity.comment:D', 'item a1 of A'],
      ],
    },
  ),
  ...staff([['entities_admin', 'system']])(
    'Entities Admin: Create, edit and delete contacts, contact groups, entities, and all content within entities.',
    {
      yes: [
        ['contact:C', 'the system'],
        ['contact:D', 'the system'],
        ['contact.details:E', 'the system'],
        ['contactGroup:C', 'the system'],
        ['contactGroup:E', 'the system'],
        ['contactGroup:D', 'the system'],
        ['entity:C', 'the system'],
        ['entity:D', 'entity A'],
        ['entity.summary:E', 'entity B'],
        ['entity.details:E', 'entity B'],
        ['file:C', 'entity A'],
        ['file:E', 'item b1 of B'],
        ['file:D', 'item b1 of B'],
        ['activity:D', 'item a1 of A'],
      ],
      no: [
        ['staff:C', 'the system'],
        ['staffGroup:C', 'the system'],
        ['organization:E', 'the system'],
        ['auditLog:R', 'the system'],
      ],
    },
  ),
  ...staff([['staff_admin', 'system']])('Staff Admin: Create, edit and delete staff and staff groups.', {
    yes: [
      ['staff:C', 'the system'],
      ['staff:D', 'the system'],
      ['staff.details:E', 'the system'],
      ['staff.summary:E', 'the system'],
      ['staffGroup:C', 'the system'],
      ['staffGroup:E', 'the system'],
      ['staffGroup:D', 'the system'],
    ],
    no: [
      ['contact:C', 'the system'],
      ['entity:C', 'the system'],
      ['entity.summary:R', 'entity A'],
      ['file:R', 'item a1 of A'],
      ['organization:E', 'the system'],
    ],
  }),
  ...staff([['settings_admin', 'system']])('Settings Admin: Access and modify all system settings.', {
    yes: [
      ['organization:R', 'the system'],
      ['organization:E', 'the system'],
    ],
    no: [
      ['staff:C', 'the system'],
      ['contact:C', 'the system'],
      ['entity.summary:R', 'entity A'],
      ['file:R', 'item a1 of A'],
    ],
  }),
];

const OWNER: Row[] = [
  ...staff([['owner', 'system']])(
    'Owner, System: View, edit and delete all items for all entities. In addition, users can grant other people security roles on these items where they are the owner.',
    {
      yes: [
        ...EVERY_ITEM_LETTER.map((p): Check => [p, 'item b1 of B']),
        ['activity:D', 'item a1 of A'],
        ['file:S', 'item a1 of A'],
        ['activity:S', 'item b1 of B'],
        ['entity.summary:R', 'entity B'],
      ],
      no: [
        ['file:A', 'item a1 of A'],
        ['entity:A', 'entity A'],
        ['staff:C', 'the system'],
        ['organization:E', 'the system'],
      ],
    },
  ),
  ...staff([['owner', 'entity A']])(
    'Owner, Entity: View, edit and delete items for a specific entity. In addition, users can grant other people security roles on items within that entity where they are the owner.',
    {
      yes: [
        ...EVERY_ITEM_LETTER.map((p): Check => [p, 'item a1 of A']),
        ['file:D', 'item a1 of A, in a folder'],
        ['file:S', 'item a2 of A'],
        ['entity.summary:R', 'entity A'],
        ['entity.details:R', 'entity A'],
      ],
      no: [
        ['file:R', 'item b1 of B'],
        ['entity.summary:R', 'entity B'],
        ['file:R', 'the system'],
        ['file:A', 'item a1 of A'],
      ],
    },
  ),
  ...staff([['owner', 'item a1']])(
    'Owner, Item: View, edit and delete a specific item for a specific entity. In addition, users can grant other people security roles on that item where they are the owner.',
    {
      yes: [
        ...EVERY_ITEM_LETTER.map((p): Check => [p, 'item a1 of A']),
        ['file:S', 'item a1 of A'],
        ['file:D', 'item a1 of A, in a folder'],
      ],
      no: [
        ['file:R', 'item a2 of A'],
        ['file:R', 'item b1 of B'],
        ['entity.summary:R', 'entity A'],
        ['file:A', 'item a1 of A'],
      ],
    },
  ),
];

const EDITOR: Row[] = [
  ...staff([['editor', 'system']])(
    'Editor, System: View and edit all items for all entities, but not to delete.',
    {
      yes: [
        ['file:R', 'item b1 of B'],
        ['file:E', 'item b1 of B'],
        ['activity:E', 'item a1 of A'],
        ['entity.summary:R', 'entity B'],
      ],
      no: [
        ['file:D', 'item b1 of B'],
        ['activity:D', 'item a1 of A'],
        ['file:S', 'item a1 of A'],
      ],
    },
  ),
  ...staff([['editor', 'entity A']])(
    'Editor, Entity: View and edit all items for a specific entity, but not to delete. The user can edit all files and activities content for that entity only.',
    {
      yes: [
        ['file:R', 'item a1 of A'],
        ['file:E', 'item a2 of A'],
        ['activity:E', 'item a1 of A'],
      ],
      no: [
        ['file:D', 'item a1 of A'],
        ['file:S', 'item a1 of A'],
        ['file:E', 'item b1 of B'],
        ['entity.summary:R', 'entity B'],
      ],
    },
  ),
  ...staff([['editor', 'item a1']])(
    'Editor, Item: View and edit a specific item for a specific entity. The user can edit content for that item only.',
    {
      yes: [
        ['file:R', 'item a1 of A'],
        ['file:E', 'item a1 of A'],
      ],
      no: [
        ['file:E', 'item a2 of A'],
        ['file:D', 'item a1 of A'],
        ['file:S', 'item a1 of A'],
      ],
    },
  ),
];

const VIEWER: Row[] = [
  ...staff([['viewer', 'system']])(
    'Viewer, System: View all items for all entities but not to modify this content.',
    {
      yes: [
        ['file:R', 'item b1 of B'],
        ['activity:R', 'item a1 of A'],
        ['entity.summary:R', 'entity B'],
      ],
      no: [
        ['file:E', 'item b1 of B'],
        ['file:D', 'item b1 of B'],
        ['activity:E', 'item a1 of A'],
        ['file:S', 'item a1 of A'],
      ],
    },
  ),
  ...staff([['viewer', 'entity A']])(
    'Viewer, Entity: View all items for a specific entity but not to modify this content.',
    {
      yes: [
        ['file:R', 'item a1 of A'],
        ['activity:R', 'item a2 of A'],
      ],
      no: [
        ['file:E', 'item a1 of A'],
        ['file:D', 'item a1 of A'],
        ['file:R', 'item b1 of B'],
      ],
    },
  ),
  ...staff([['viewer', 'item a1']])(
    'Viewer, Item: View a specific item for a specific entity but not to modify this content.',
    {
      yes: [['file:R', 'item a1 of A']],
      no: [
        ['file:R', 'item a2 of A'],
        ['file:E', 'item a1 of A'],
      ],
    },
  ),
];

const ENTITY_ACCESS: Row[] = [
  ...staff([['entity_access', 'system']])(
    'Entity Access, System level: At this level, this role enables the user to access all available entities in the system.',
    {
      yes: [
        ['entity.summary:R', 'entity A'],
        ['entity.summary:R', 'entity B'],
      ],
    },
  ),
  ...staff([['entity_access', 'system']])(
    'The Entity Access role does not enable the user to view or manage staff and contacts or any items in an entity.',
    {
      no: [
        ['file:R', 'item a1 of A'],
        ['activity:R', 'item b1 of B'],
        ['staff.summary:R', 'the system'],
        ['contact.summary:R', 'the system'],
        ['entity.summary:E', 'entity A'],
      ],
    },
  ),
  ...staff([['entity_access', 'entity A']])(
    'Entity Access, Entity level: At this level, this role enables the user to access a specific entity.',
    {
      yes: [['entity.summary:R', 'entity A']],
      no: [
        ['entity.summary:R', 'entity B'],
        ['file:R', 'item a1 of A'],
      ],
    },
  ),
];

const COLLABORATOR: Holding = ['contact_entity_collaborator', 'entity A'];
const CONTACT_ACCESS: Holding = ['contact_entity_access', 'entity A'];

const CONTACTS: Row[] = [
  ...contact([COLLABORATOR])(
    'A contact can be given the Contact - Entity Collaborator role for an entity to collaborate on activities and files within the entity. These users can create and upload files and activities.',
    {
      yes: [
        ['entity.summary:R', 'entity A'],
        ['file:C', 'entity A'],
        ['activity:C', 'entity A'],
      ],
      no: [
        ['entity.summary:R', 'entity B'],
        ['file:C', 'entity B'],
      ],
    },
  ),
  ...contact([COLLABORATOR])(
    'Contact - Entity Collaborator: They also require an Owner, Editor, or Viewer role on any activities and files they will be working with.',
    {
      no: [
        ['file:R', 'item a1 of A'],
        ['activity:R', 'item a1 of A'],
      ],
    },
  ),
  ...contact([COLLABORATOR, ['contact_viewer', 'item a1']])(
    'Contact - Entity Collaborator with Contact - Viewer on an item: they work with that item, and only it.',
    {
      yes: [['file:R', 'item a1 of A']],
      no: [
        ['file:E', 'item a1 of A'],
        ['file:R', 'item a2 of A'],
      ],
    },
  ),
  ...contact([CONTACT_ACCESS])(
    'A contact can be given the Contact - Entity Access role to read the entity details from the Entities app.',
    {
      yes: [['entity.summary:R', 'entity A']],
      no: [
        ['entity.summary:R', 'entity B'],
        ['entity.summary:E', 'entity A'],
        ['file:C', 'entity A'],
      ],
    },
  ),
  ...contact([CONTACT_ACCESS])(
    'Contact - Entity Access: They also require a Owner, Editor, or Viewer role on any activities and files they will be working with.',
    { no: [['file:R', 'item a1 of A']] },
  ),
  ...contact([['contact_viewer', 'item a1']])(
    'The Contact - Entity Access role can be removed, so the contact can no longer view the entity (and an item role alone then does nothing).',
    {
      no: [
        ['entity.summary:R', 'entity A'],
        ['file:R', 'item a1 of A'],
        ['activity.comment:C', 'item a1 of A'],
      ],
    },
  ),
  ...contact([['contact_owner', 'item a1']])(
    'A contact needs an entity-level contact role and an item role to touch an item: Contact - Owner alone deletes nothing.',
    {
      no: [
        ['file:D', 'item a1 of A'],
        ['file:R', 'item a1 of A'],
      ],
    },
  ),
  ...contact([
    ['contact_entity_access', 'entity B'],
    ['contact_editor', 'item a1'],
  ])('An entity-level contact role at another entity does not admit the contact to this entity’s items.', {
    yes: [['entity.summary:R', 'entity B']],
    no: [
      ['file:R', 'item a1 of A'],
      ['file:E', 'item a1 of A'],
    ],
  }),
  ...contact([CONTACT_ACCESS, ['contact_owner', 'item a1']])(
    "Contact - Owner: The contact's Owner role is the only contact role that grants the permission to delete an item. This role does not provide permissions to share items.",
    {
      yes: [
        ['file:R', 'item a1 of A'],
        ['file:E', 'item a1 of A'],
        ['file:D', 'item a1 of A'],
        ['file:D', 'item a1 of A, in a folder'],
        ['activity:D', 'item a1 of A'],
      ],
      no: [
        ['file:S', 'item a1 of A'],
        ['file:A', 'item a1 of A'],
        ['file:D', 'item a2 of A'],
      ],
    },
  ),
  ...contact([CONTACT_ACCESS, ['contact_editor', 'item a1']])(
    'The Contact - Editor role enables the contact the ability to edit and download the file or activity where they have this role. This role does not provide permissions to share items.',
    {
      yes: [
        ['file:R', 'item a1 of A'],
        ['file:E', 'item a1 of A'],
        ['activity:E', 'item a1 of A'],
      ],
      no: [
        ['file:D', 'item a1 of A'],
        ['file:S', 'item a1 of A'],
        ['file:E', 'item a2 of A'],
      ],
    },
  ),
  ...contact([COLLABORATOR, ['contact_viewer', 'item a1']])(
    'The Contact - Viewer role enables the contact the ability to view the file or activity where they have this role and comment on the activities. This role does not provide permissions to share items.',
    {
      yes: [
        ['file:R', 'item a1 of A'],
        ['activity:R', 'item a1 of A'],
        ['activity.comment:C', 'item a1 of A'],
      ],
      no: [
        ['file:E', 'item a1 of A'],
        ['file:D', 'item a1 of A'],
        ['file:S', 'item a1 of A'],
      ],
    },
  ),
  ...contact([['associated', 'entity A']])(
    'Associated: This role is assigned to contacts to associate them to an entity and without the ability to sign in to Cloud, receive notifications, or access any features.',
    {
      no: [
        ['entity.summary:R', 'entity A'],
        ['file:C', 'entity A'],
      ],
    },
  ),
  ...contact([
    ['associated', 'entity A'],
    ['contact_viewer', 'item a1'],
  ])('Associated gives access to no feature, so it admits the contact to no item either.', {
    no: [['file:R', 'item a1 of A']],
  }),
];

const KINDS: Row[] = [
  ...contact([
    ['owner', 'system'],
    ['admin', 'system'],
  ])('These roles are assigned to staff: a staff role given to a contact grants nothing.', {
    no: [
      ['entity.summary:R', 'entity A'],
      ['file:R', 'item a1 of A'],
      ['organization:R', 'the system'],
    ],
  }),
  ...staff([
    ['contact_entity_access', 'entity A'],
    ['contact_owner', 'item a1'],
  ])('These roles are assigned to Contacts: a contact role given to staff grants nothing.', {
    no: [
      ['entity.summary:R', 'entity A'],
      ['file:D', 'item a1 of A'],
    ],
  }),
];

const FULL_ACCESS: Holding = ['portal_full_access', 'portal P'];
const CONTRIBUTOR: Holding = ['portal_contributor', 'portal P'];

/** myob-practice-create-client-portals.txt, step 8: members with full access, and contributors. */
const PORTALS: Row[] = [
  ...contact([FULL_ACCESS])(
    'A portal member with full access sees its clients and every document and task in them.',
    {
      yes: [
        ['entity.summary:R', 'entity A'],
        ['entity.details:R', 'entity A'],
        ['file:C', 'entity A'],
        ['file:R', 'item a1 of A'],
        ['activity:R', 'item a2 of A'],
        ['file:R', 'item a1 of A, in a folder'],
        ['activity.comment:C', 'item a1 of A'],
      ],
      no: [
        ['entity.summary:R', 'entity B'],
        ['file:R', 'item b1 of B'],
        ['file:E', 'item a1 of A'],
        ['file:D', 'item a1 of A'],
        ['entity:S', 'entity A'],
      ],
    },
  ),
  ...contact([CONTRIBUTOR])('Contributors can only access the documents you share with them.', {
    yes: [
      ['entity.summary:R', 'entity A'],
      ['file:C', 'entity A'],
      ['activity:C', 'entity A'],
    ],
    no: [
      ['file:R', 'item a1 of A'],
      ['activity:R', 'item a2 of A'],
      ['entity.summary:R', 'entity B'],
    ],
  }),
  ...contact([CONTRIBUTOR, ['contact_viewer', 'item a1']])(
    'A contributor with Contact - Viewer on a document shared with them sees that document, and only it.',
    {
      yes: [['file:R', 'item a1 of A']],
      no: [
        ['file:R', 'item a2 of A'],
        ['file:E', 'item a1 of A'],
      ],
    },
  ),
  ...staff([FULL_ACCESS])('Portal roles are contact roles: given to staff they grant nothing.', {
    no: [
      ['entity.summary:R', 'entity A'],
      ['file:R', 'item a1 of A'],
    ],
  }),
];

const TABLE: Row[] = [
  ...ADMINISTRATIVE,
  ...OWNER,
  ...EDITOR,
  ...VIEWER,
  ...ENTITY_ACCESS,
  ...CONTACTS,
  ...PORTALS,
  ...KINDS,
];

const describeHolding = (holds: readonly Holding[]) =>
  holds.map(([role, at]) => `${BUILT_IN_ROLES[role].name} at ${at}`).join(' and ');

describe('built-in roles as the seed describes them (caseware-cloud-built-in-roles.txt)', () => {
  const sentences = [...new Set(TABLE.map((row) => row.sentence))];
  describe.each(sentences)('"%s"', (sentence) => {
    for (const { kind, holds, permission, target, allowed } of TABLE.filter((r) => r.sentence === sentence)) {
      it(`a ${kind} with ${describeHolding(holds)} ${allowed ? 'may' : 'may not'} ${permission} on ${target}`, () => {
        const actor = actorHolding(kind, holds);
        expect(can(actor, permission, TARGETS[target])).toBe(allowed);
        expect(explain(actor, permission, TARGETS[target]).length > 0).toBe(allowed);
      });
    }
  });

  it('covers every built-in role at every level the seed allows it', () => {
    const covered = new Set(TABLE.flatMap((r) => r.holds.map(([role, at]) => `${role}@${at.split(' ')[0]}`)));
    const expected = Object.values(BUILT_IN_ROLES).flatMap((r) => r.levels.map((l) => `${r.id}@${l}`));
    expect([...covered].filter((c) => expected.includes(c)).sort()).toEqual(expected.sort());
  });
});

describe('the levels each built-in role may be given at', () => {
  const SEED_LEVELS: Record<BuiltInRoleId, readonly Level[]> = {
    // "Administrative roles typically apply at the system level and cannot be assigned at the entity or item levels."
    admin: ['system'],
    entities_admin: ['system'],
    staff_admin: ['system'],
    settings_admin: ['system'],
    // "Staff roles apply at all object levels (system, entity, and item)"
    owner: ['system', 'entity', 'item'],
    editor: ['system', 'entity', 'item'],
    viewer: ['system', 'entity', 'item'],
    // "[Item level] Entity Access is not applicable at this level."
    entity_access: ['system', 'entity'],
    contact_entity_collaborator: ['entity'],
    contact_entity_access: ['entity'],
    contact_owner: ['item'],
    contact_editor: ['item'],
    contact_viewer: ['item'],
    // "associate them to an entity"
    associated: ['entity'],
    // MYOB: "Add the users who need to access this portal", each with full access or as a contributor.
    portal_full_access: ['portal'],
    portal_contributor: ['portal'],
  };

  it.each(Object.entries(SEED_LEVELS))('%s is given at %j', (id, levels) => {
    expect(BUILT_IN_ROLES[id as BuiltInRoleId].levels).toEqual(levels);
  });
});

describe('what no role but one may do', () => {
  const holding = (letter: string) =>
    Object.values(BUILT_IN_ROLES)
      .filter((r) => !r.administrative && [...r.permissions].some((p) => p.endsWith(`:${letter}`)))
      .map((r) => r.name);

  it('only Owner has Share (S): "users can grant other people security roles on these items where they are the owner"', () => {
    expect(holding('S')).toEqual(['Owner']);
  });

  it('no contact role shares: "This role does not provide permissions to share items."', () => {
    const sharing = Object.values(BUILT_IN_ROLES).filter(
      (r) => r.kind === 'contact' && [...r.permissions].some((p) => p.endsWith(':A') || p.endsWith(':S')),
    );
    expect(sharing).toEqual([]);
  });

  it('Contact - Owner is "the only contact role that grants the permission to delete an item"', () => {
    const deleting = Object.values(BUILT_IN_ROLES)
      .filter((r) => r.kind === 'contact' && (r.permissions.has('file:D') || r.permissions.has('activity:D')))
      .map((r) => r.name);
    expect(deleting).toEqual(['Contact - Owner']);
  });

  it('Editor and Viewer delete nothing; Viewer modifies nothing', () => {
    const letters = (id: BuiltInRoleId) => [...BUILT_IN_ROLES[id].permissions].map((p) => p.split(':')[1]);
    expect(letters('editor')).not.toContain('D');
    expect(letters('viewer')).not.toContain('D');
    expect(BUILT_IN_ROLES.viewer.permissions.has('file:E')).toBe(false);
    expect(BUILT_IN_ROLES.viewer.permissions.has('activity:E')).toBe(false);
  });
});
