/**
 * The built-in roles of the seed "caseware-cloud-built-in-roles.txt": what each grants and at
 * which levels it may be given. Built-in roles are read-only; custom roles (stored in
 * role_permissions) pick letters per object type and are read by the actor loader.
 */
import type { UserKind } from '../db/schema.js';
import { ALL_PERMISSIONS, type Permission } from './catalog.js';

export type Level = 'system' | 'portal' | 'entity' | 'item';

export const BUILT_IN_ROLE_IDS = [
  'admin',
  'entities_admin',
  'staff_admin',
  'settings_admin',
  'owner',
  'editor',
  'viewer',
  'entity_access',
  'contact_entity_collaborator',
  'contact_entity_access',
  'contact_owner',
  'contact_editor',
  'contact_viewer',
  'associated',
  'portal_full_access',
  'portal_contributor',
] as const;
export type BuiltInRoleId = (typeof BUILT_IN_ROLE_IDS)[number];

export interface RoleDefinition {
  id: string;
  name: string;
  kind: UserKind;
  builtIn: boolean;
  /** Administrative roles apply at the system level only. */
  administrative: boolean;
  levels: readonly Level[];
  permissions: ReadonlySet<Permission>;
  description: string;
}

function role(
  id: BuiltInRoleId,
  name: string,
  kind: UserKind,
  levels: readonly Level[],
  permissions: readonly Permission[],
  description: string,
): RoleDefinition {
  const administrative = ['admin', 'entities_admin', 'staff_admin', 'settings_admin'].includes(id);
  return {
    id,
    name,
    kind,
    builtIn: true,
    administrative,
    levels,
    permissions: new Set(permissions),
    description,
  };
}

const ENTITY_READ: Permission[] = ['entity.summary:R', 'entity.details:R'];

export const BUILT_IN_ROLES: Readonly<Record<BuiltInRoleId, RoleDefinition>> = {
  admin: role(
    'admin',
    'Admin',
    'staff',
    ['system'],
    ALL_PERMISSIONS,
    'Can access all content and perform any action.',
  ),
  entities_admin: role(
    'entities_admin',
    'Entities Admin',
    'staff',
    ['system'],
    [
      'contact:C',
      'contact:D',
      'contact.details:R',
      'contact.details:E',
      'contact.summary:R',
      'contact.summary:E',
      'contactGroup:C',
      'contactGroup:E',
      'contactGroup:D',
      'entity:C',
      'entity:D',
      'entity:A',
      'entity.details:R',
      'entity.details:E',
      'entity.summary:R',
      'entity.summary:E',
      'activity:C',
      'activity:R',
      'activity:E',
      'activity:D',
      'activity:A',
      'activity.comment:C',
      'activity.comment:E',
      'activity.comment:D',
      'file:C',
      'file:R',
      'file:E',
      'file:D',
      'file:A',
    ],
    // "All content within entities" includes giving roles on it (Share A), so an Entities Admin can
    // make someone an entity's Owner.
    'Create, edit and delete contacts, contact groups, entities, and all content within entities.',
  ),
  staff_admin: role(
    'staff_admin',
    'Staff Admin',
    'staff',
    ['system'],
    [
      'staff:C',
      'staff:D',
      'staff.details:R',
      'staff.details:E',
      'staff.summary:R',
      'staff.summary:E',
      'staffGroup:C',
      'staffGroup:E',
      'staffGroup:D',
    ],
    'Create, edit and delete staff and staff groups.',
  ),
  settings_admin: role(
    'settings_admin',
    'Settings Admin',
    'staff',
    ['system'],
    ['organization:R', 'organization:E', 'tag:C', 'tag:E', 'tag:D'],
    'Access and modify all system settings.',
  ),
  owner: role(
    'owner',
    'Owner',
    'staff',
    ['system', 'entity', 'item'],
    [
      ...ENTITY_READ,
      'entity:S',
      'activity:C',
      'activity:R',
      'activity:E',
      'activity:D',
      'activity:S',
      'activity.comment:C',
      'activity.comment:E',
      'activity.comment:D',
      'file:C',
      'file:R',
      'file:E',
      'file:D',
      'file:S',
    ],
    'View, edit and delete items; grant others roles on items where they are the owner.',
  ),
  editor: role(
    'editor',
    'Editor',
    'staff',
    ['system', 'entity', 'item'],
    [
      ...ENTITY_READ,
      'activity:C',
      'activity:R',
      'activity:E',
      'activity.comment:C',
      'activity.comment:E',
      'file:C',
      'file:R',
      'file:E',
    ],
    'View and edit items, but not delete them.',
  ),
  viewer: role(
    'viewer',
    'Viewer',
    'staff',
    ['system', 'entity', 'item'],
    [...ENTITY_READ, 'activity:R', 'activity.comment:C', 'file:R'],
    'View items but not modify them.',
  ),
  entity_access: role(
    'entity_access',
    'Entity Access',
    'staff',
    ['system', 'entity'],
    ['entity.summary:R'],
    'Know that an entity exists, without access to its items, staff or contacts.',
  ),
  contact_entity_collaborator: role(
    'contact_entity_collaborator',
    'Contact - Entity Collaborator',
    'contact',
    ['entity'],
    ['entity.summary:R', 'activity:C', 'file:C'],
    'Collaborate on activities and files within the entity; create and upload their own.',
  ),
  contact_entity_access: role(
    'contact_entity_access',
    'Contact - Entity Access',
    'contact',
    ['entity'],
    ['entity.summary:R'],
    'Read the summary of their client entity.',
  ),
  contact_owner: role(
    'contact_owner',
    'Contact - Owner',
    'contact',
    ['item'],
    ['activity:R', 'activity:E', 'activity:D', 'activity.comment:C', 'file:R', 'file:E', 'file:D'],
    'Given on what the contact creates; the only contact role that may delete an item.',
  ),
  contact_editor: role(
    'contact_editor',
    'Contact - Editor',
    'contact',
    ['item'],
    ['activity:R', 'activity:E', 'activity.comment:C', 'file:R', 'file:E'],
    'Edit and download the file or activity.',
  ),
  contact_viewer: role(
    'contact_viewer',
    'Contact - Viewer',
    'contact',
    ['item'],
    ['activity:R', 'activity.comment:C', 'file:R'],
    'View the file or activity and comment on activities.',
  ),
  associated: role(
    'associated',
    'Associated',
    'contact',
    ['entity'],
    [],
    'Linked to an entity; cannot sign in, receive notifications or use any feature.',
  ),
  // A portal's members (MYOB's "full access" users and contributors), given at the portal: a
  // binding there covers every entity in it. Full access is Collaborator and Viewer together on
  // everything in those entities (and it is the one contact role whose item letters count from
  // above an item: see grantedBy); a contributor adds their own files and activities and sees only
  // what is shared with them. Neither shares, edits or deletes what others made.
  portal_full_access: role(
    'portal_full_access',
    'Portal - Full access',
    'contact',
    ['portal'],
    [...ENTITY_READ, 'activity:C', 'activity:R', 'activity.comment:C', 'file:C', 'file:R'],
    'A portal member who sees its entities and every file and activity in them.',
  ),
  portal_contributor: role(
    'portal_contributor',
    'Portal - Contributor',
    'contact',
    ['portal'],
    [...ENTITY_READ, 'activity:C', 'file:C'],
    'A portal member who adds files and activities and sees only what is shared with them.',
  ),
};

/** The portal member roles: what membership "with full access" and "as a contributor" means. */
export const PORTAL_ROLES = {
  full: 'portal_full_access',
  contributor: 'portal_contributor',
} as const satisfies Record<string, BuiltInRoleId>;
export type PortalAccess = keyof typeof PORTAL_ROLES;

/**
 * What a role for contacts may carry: their entity's summary and details, and work on files,
 * activities and comments. Never organization objects (staff, contacts, groups, settings) and never
 * sharing: the seed's contact roles "do not provide permissions to share".
 */
export const CONTACT_ROLE_PERMISSIONS: ReadonlySet<Permission> = new Set<Permission>([
  'entity.summary:R',
  'entity.details:R',
  'activity:C',
  'activity:R',
  'activity:E',
  'activity:D',
  'activity.comment:C',
  'activity.comment:E',
  'activity.comment:D',
  'file:C',
  'file:R',
  'file:E',
  'file:D',
]);

export const ADMINISTRATIVE_ROLES: readonly RoleDefinition[] = Object.values(BUILT_IN_ROLES).filter(
  (r) => r.administrative,
);

export function builtInRole(id: string): RoleDefinition | undefined {
  return (BUILT_IN_ROLES as Record<string, RoleDefinition | undefined>)[id];
}
