/**
 * A second, independent reading of who may do what, for the permission property test: plain data
 * written from the seeds' sentences (caseware-cloud-permissions.txt, caseware-cloud-built-in-roles.txt,
 * caseware-cloud-client-portal-setup.txt, myob-practice-create-client-portals.txt) and docs/access.md,
 * and slow, obviously-correct loops over a world held in memory. It must never import anything from
 * src/permissions/ (not the catalog, not the role table): if it did, a wrong rule there would be
 * copied here and the test comparing the two could not see it.
 */

export type Kind = 'staff' | 'contact';

/** The seed's object types and letters ("Each object type has its own set of object permissions"). */
export const CATALOG: Readonly<Record<string, string>> = {
  // Organization objects
  contact: 'CD',
  'contact.details': 'RE',
  'contact.summary': 'RE',
  contactGroup: 'CED',
  organization: 'RE',
  staff: 'CD',
  'staff.details': 'RE',
  'staff.summary': 'RE',
  staffGroup: 'CED',
  tag: 'CED',
  // Entity objects
  entity: 'CDAS',
  'entity.details': 'RE',
  'entity.summary': 'RE',
  // Content objects
  activity: 'CREDAS',
  'activity.comment': 'CED',
  file: 'CREDAS',
  // Portico's own: the audit log, held only by Admin.
  auditLog: 'R',
};

/** Every `type:letter` of the catalog. */
export const EVERY_PERMISSION: readonly string[] = Object.entries(CATALOG).flatMap(([type, letters]) =>
  [...letters].map((l) => `${type}:${l}`),
);

const letters = (type: string, which: string) => [...which].map((l) => `${type}:${l}`);
const ENTITY_READ = [...letters('entity.summary', 'R'), ...letters('entity.details', 'R')];

export type Level = 'system' | 'portal' | 'entity' | 'item';

export interface BuiltIn {
  kind: Kind;
  levels: readonly Level[];
  grants: readonly string[];
}

/** The built-in roles, each beside the seed sentence it is read from. */
export const BUILT_IN: Readonly<Record<string, BuiltIn>> = {
  // "Users with the Admin role can access all content and perform any action."
  admin: { kind: 'staff', levels: ['system'], grants: EVERY_PERMISSION },
  // "Create, edit and delete contacts, contact groups, entities, and all content within entities."
  // (Reading them comes with editing; giving roles on content is part of "all content": Share A.)
  entities_admin: {
    kind: 'staff',
    levels: ['system'],
    grants: [
      ...letters('contact', 'CD'),
      ...letters('contact.details', 'RE'),
      ...letters('contact.summary', 'RE'),
      ...letters('contactGroup', 'CED'),
      ...letters('entity', 'CDA'),
      ...letters('entity.details', 'RE'),
      ...letters('entity.summary', 'RE'),
      ...letters('activity', 'CREDA'),
      ...letters('activity.comment', 'CED'),
      ...letters('file', 'CREDA'),
    ],
  },
  // "Create, edit and delete staff and staff groups."
  staff_admin: {
    kind: 'staff',
    levels: ['system'],
    grants: [
      ...letters('staff', 'CD'),
      ...letters('staff.details', 'RE'),
      ...letters('staff.summary', 'RE'),
      ...letters('staffGroup', 'CED'),
    ],
  },
  // "Access and modify all system settings." (The organization and its tags.)
  settings_admin: {
    kind: 'staff',
    levels: ['system'],
    grants: [...letters('organization', 'RE'), ...letters('tag', 'CED')],
  },
  // "View, edit and delete items ... In addition, users can grant other people security roles on
  // these items where they are the owner." (Share S: "Assign or remove owned user roles".)
  owner: {
    kind: 'staff',
    levels: ['system', 'entity', 'item'],
    grants: [
      ...ENTITY_READ,
      'entity:S',
      ...letters('activity', 'CREDS'),
      ...letters('activity.comment', 'CED'),
      ...letters('file', 'CREDS'),
    ],
  },
  // "View and edit all items for all entities, but not to delete."
  editor: {
    kind: 'staff',
    levels: ['system', 'entity', 'item'],
    grants: [
      ...ENTITY_READ,
      ...letters('activity', 'CRE'),
      ...letters('activity.comment', 'CE'),
      ...letters('file', 'CRE'),
    ],
  },
  // "View all items for all entities but not to modify this content." (Commenting is not modifying.)
  viewer: {
    kind: 'staff',
    levels: ['system', 'entity', 'item'],
    grants: [...ENTITY_READ, 'activity:R', 'activity.comment:C', 'file:R'],
  },
  // "enables users to access entities ... does not enable the user to view or manage staff and
  // contacts or any items in an entity" ... "[Item level] Entity Access is not applicable".
  entity_access: { kind: 'staff', levels: ['system', 'entity'], grants: ['entity.summary:R'] },
  // "The Contact - Entity Collaborator role grants the same permissions as the Entity Access role,
  // but it also enables contacts to create their own files and activities in their entity."
  contact_entity_collaborator: {
    kind: 'contact',
    levels: ['entity'],
    grants: ['entity.summary:R', 'activity:C', 'file:C'],
  },
  // "The Contact - Entity Access role enables contacts to see the summary information for their
  // client entity".
  contact_entity_access: { kind: 'contact', levels: ['entity'], grants: ['entity.summary:R'] },
  // "The contact's Owner role is the only contact role that grants the permission to delete an
  // item. This role does not provide permissions to share items."
  contact_owner: {
    kind: 'contact',
    levels: ['item'],
    grants: [...letters('activity', 'RED'), 'activity.comment:C', ...letters('file', 'RED')],
  },
  // "enables the contact the ability to edit and download the file or activity".
  contact_editor: {
    kind: 'contact',
    levels: ['item'],
    grants: [...letters('activity', 'RE'), 'activity.comment:C', ...letters('file', 'RE')],
  },
  // "enables the contact the ability to view the file or activity ... and comment on the activities".
  contact_viewer: {
    kind: 'contact',
    levels: ['item'],
    grants: ['activity:R', 'activity.comment:C', 'file:R'],
  },
  // "associate them to an entity and without the ability to sign in to Cloud, receive
  // notifications, or access any features."
  associated: { kind: 'contact', levels: ['entity'], grants: [] },
  // MYOB: a portal's users see its clients; full access users see every document (contributors
  // "can only access the documents you share with them"); both add their own.
  portal_full_access: {
    kind: 'contact',
    levels: ['portal'],
    grants: [...ENTITY_READ, ...letters('activity', 'CR'), 'activity.comment:C', ...letters('file', 'CR')],
  },
  portal_contributor: {
    kind: 'contact',
    levels: ['portal'],
    grants: [...ENTITY_READ, 'activity:C', 'file:C'],
  },
};

/**
 * docs/access.md: "A role for contacts may carry only their entity's summary and details and work
 * on files, activities and comments: never organization objects and never sharing."
 */
export const CONTACT_ROLE_LETTERS: readonly string[] = [
  ...ENTITY_READ,
  ...letters('activity', 'CRED'),
  ...letters('activity.comment', 'CED'),
  ...letters('file', 'CRED'),
];

/**
 * What a contact holds from a role given at an entity or above (the seed's two entity-level
 * contact roles: seeing the entity, creating their own files and activities). "They also require
 * an Owner, Editor, or Viewer role on any activities and files they will be working with."
 */
const CONTACT_ABOVE_ITEMS = ['entity.summary:R', 'entity.details:R', 'activity:C', 'file:C'];

export interface OracleWorld {
  users: { id: string; kind: Kind; disabled: boolean; client: string | null }[];
  groups: { id: string; members: string[] }[];
  /** Entity ids with the portal each is in (null: none). */
  entities: { id: string; portal: string | null }[];
  portals: string[];
  /** Each entity's folders and items: ids only, an item in at most one folder. */
  items: { id: string; entity: string; folder: string | null }[];
  customRoles: { id: string; kind: Kind; grants: string[] }[];
  /** `to` is a user or group id; `at` is 'system' or '<portal|entity|folder|item>:<id>'. */
  bindings: { id: string; to: string; role: string; at: string }[];
}

/** What is asked about: the firm itself, a portal, an entity, a folder or an item. */
export type Target =
  | { type: 'system' }
  | { type: 'portal'; portal: string }
  | { type: 'entity'; entity: string }
  | { type: 'folder'; entity: string; folder: string }
  | { type: 'item'; entity: string; folder: string | null; item: string };

export type OracleBinding = OracleWorld['bindings'][number];

export function roleKind(w: OracleWorld, role: string): Kind | undefined {
  return BUILT_IN[role]?.kind ?? w.customRoles.find((r) => r.id === role)?.kind;
}

function roleGrants(w: OracleWorld, role: string): readonly string[] {
  return BUILT_IN[role]?.grants ?? w.customRoles.find((r) => r.id === role)?.grants ?? [];
}

const userOf = (w: OracleWorld, id: string) => {
  const user = w.users.find((u) => u.id === id);
  if (!user) throw new Error(`no user ${id} in the world`);
  return user;
};

/** True when the binding is the user's: given to them, or to a group they are in. */
export function isTheirs(w: OracleWorld, userId: string, b: OracleBinding): boolean {
  if (b.to === userId) return true;
  return w.groups.some((g) => g.id === b.to && g.members.includes(userId));
}

/** The bindings that apply to the user: theirs, of a role made for their kind of person. */
export function bindingsOf(w: OracleWorld, userId: string): OracleBinding[] {
  const user = userOf(w, userId);
  return w.bindings.filter((b) => isTheirs(w, userId, b) && roleKind(w, b.role) === user.kind);
}

/** "A role at a scope covers everything below it": system → portal → entity → folder → item. */
export function covers(w: OracleWorld, at: string, t: Target): boolean {
  if (at === 'system') return true;
  const [type, id] = splitScope(at);
  const entity = t.type === 'system' || t.type === 'portal' ? null : t.entity;
  switch (type) {
    case 'portal':
      if (t.type === 'portal') return t.portal === id;
      return entity !== null && w.entities.some((e) => e.id === entity && e.portal === id);
    case 'entity':
      return entity === id;
    case 'folder':
      return (t.type === 'folder' || t.type === 'item') && t.folder === id;
    case 'item':
      return t.type === 'item' && t.item === id;
    default:
      return false;
  }
}

export function splitScope(at: string): [type: string, id: string] {
  const colon = at.indexOf(':');
  return [at.slice(0, colon), at.slice(colon + 1)];
}

const insideAnEntity = (at: string) => at.startsWith('folder:') || at.startsWith('item:');

/**
 * What this binding, on its own, gives the user wherever it applies. Staff get every letter of
 * the role. A contact gets, from a binding at an entity or above, only the entity-level letters,
 * except Portal - Full access at its portal ("full access is the one contact role whose item
 * letters count from above the item").
 */
function lettersFrom(w: OracleWorld, userKind: Kind, b: OracleBinding): readonly string[] {
  const grants = roleGrants(w, b.role);
  if (userKind === 'staff' || insideAnEntity(b.at)) return grants;
  if (b.role === 'portal_full_access' && b.at.startsWith('portal:')) return grants;
  return grants.filter((p) => CONTACT_ABOVE_ITEMS.includes(p));
}

/**
 * A contact is admitted to an entity when a binding of theirs at the entity or above lets them see
 * it (Contact - Entity Access, Contact - Entity Collaborator, portal membership, a custom contact
 * role carrying the entity's summary). Associated admits nobody.
 */
export function admitted(w: OracleWorld, userId: string, entity: string): boolean {
  const user = userOf(w, userId);
  const at: Target = { type: 'entity', entity };
  return bindingsOf(w, userId).some(
    (b) =>
      !insideAnEntity(b.at) &&
      covers(w, b.at, at) &&
      lettersFrom(w, user.kind, b).includes('entity.summary:R'),
  );
}

/**
 * True when this one binding grants the user `permission` on the target: it is theirs and of their
 * kind, covers the target, carries the letter, and (for a contact's binding on a folder or item)
 * the contact is admitted to the entity. A disabled user is granted nothing.
 */
export function grantsThrough(
  w: OracleWorld,
  userId: string,
  b: OracleBinding,
  permission: string,
  t: Target,
): boolean {
  const user = userOf(w, userId);
  if (user.disabled) return false;
  if (!isTheirs(w, userId, b) || roleKind(w, b.role) !== user.kind) return false;
  if (!covers(w, b.at, t)) return false;
  if (!lettersFrom(w, user.kind, b).includes(permission)) return false;
  if (user.kind === 'contact' && insideAnEntity(b.at)) {
    if (t.type === 'system' || t.type === 'portal' || !admitted(w, userId, t.entity)) return false;
  }
  return true;
}

/** May the user do `permission` on the target? */
export function holds(w: OracleWorld, userId: string, permission: string, t: Target): boolean {
  return w.bindings.some((b) => grantsThrough(w, userId, b, permission, t));
}

/** The entities a list filtered by `permission` shows the user. */
export function entitiesListed(w: OracleWorld, userId: string, permission: string): string[] {
  return w.entities
    .filter((e) => holds(w, userId, permission, { type: 'entity', entity: e.id }))
    .map((e) => e.id);
}

/**
 * The contacts the contact list shows the user: "Someone with a role at an entity that carries
 * contact permissions sees that entity's contacts and no others"; a contact without a client
 * entity only through a firm-wide grant.
 */
export function contactsListed(w: OracleWorld, userId: string): string[] {
  return w.users
    .filter((c) => c.kind === 'contact')
    .filter((c) =>
      holds(
        w,
        userId,
        'contact.summary:R',
        c.client ? { type: 'entity', entity: c.client } : { type: 'system' },
      ),
    )
    .map((c) => c.id);
}

/**
 * The portals the portal list shows: "staff who may see one of its clients; those who see every
 * client see every portal" (a firm-wide Entity - Summary: Read).
 */
export function portalsListed(w: OracleWorld, userId: string): string[] {
  if (userOf(w, userId).kind !== 'staff') return [];
  if (holds(w, userId, 'entity.summary:R', { type: 'system' })) return [...w.portals];
  return w.portals.filter((p) =>
    w.entities.some(
      (e) => e.portal === p && holds(w, userId, 'entity.summary:R', { type: 'entity', entity: e.id }),
    ),
  );
}

/** Enabled staff holding `permission` at the entity. */
export function staffHolding(w: OracleWorld, permission: string, entity: string): string[] {
  return w.users
    .filter((u) => u.kind === 'staff' && holds(w, u.id, permission, { type: 'entity', entity }))
    .map((u) => u.id);
}

/** Enabled staff holding Admin at the system scope ("at least one user with the Admin user"). */
export function enabledAdmins(w: OracleWorld): number {
  return w.users.filter(
    (u) =>
      u.kind === 'staff' &&
      !u.disabled &&
      bindingsOf(w, u.id).some((b) => b.role === 'admin' && b.at === 'system'),
  ).length;
}

/**
 * The permission half of "may this contact sign in": "they hold at least one contact role other
 * than Associated at some client or portal (directly or through a contact group)".
 */
export function mayEnterPortal(w: OracleWorld, userId: string): boolean {
  if (userOf(w, userId).kind !== 'contact') return false;
  return bindingsOf(w, userId).some(
    (b) => (b.at.startsWith('entity:') || b.at.startsWith('portal:')) && b.role !== 'associated',
  );
}
