/**
 * The object types and permission letters of the seed "caseware-cloud-permissions.txt", exactly:
 * each type has only the letters the seed gives it, so `'tag:R'` is a compile error. `auditLog` is
 * Portico's own addition (the seed has no audit log) and is held only by Admin.
 */

export const LETTERS = {
  C: 'Create',
  R: 'Read',
  E: 'Edit',
  D: 'Delete',
  A: 'Share (assign or remove any role)',
  S: 'Share (assign or remove roles on what you own)',
} as const;
export type Letter = keyof typeof LETTERS;

export const OBJECT_TYPES = {
  contact: { label: 'Contact', group: 'Organization objects', letters: ['C', 'D'] },
  'contact.details': { label: 'Contact - Details', group: 'Organization objects', letters: ['R', 'E'] },
  'contact.summary': { label: 'Contact - Summary', group: 'Organization objects', letters: ['R', 'E'] },
  contactGroup: { label: 'Contact Group', group: 'Organization objects', letters: ['C', 'E', 'D'] },
  organization: { label: 'Organization', group: 'Organization objects', letters: ['R', 'E'] },
  staff: { label: 'Staff', group: 'Organization objects', letters: ['C', 'D'] },
  'staff.details': { label: 'Staff - Details', group: 'Organization objects', letters: ['R', 'E'] },
  'staff.summary': { label: 'Staff - Summary', group: 'Organization objects', letters: ['R', 'E'] },
  staffGroup: { label: 'Staff Group', group: 'Organization objects', letters: ['C', 'E', 'D'] },
  tag: { label: 'Tag', group: 'Organization objects', letters: ['C', 'E', 'D'] },
  entity: { label: 'Entity', group: 'Entity objects', letters: ['C', 'D', 'A', 'S'] },
  'entity.details': { label: 'Entity - Details', group: 'Entity objects', letters: ['R', 'E'] },
  'entity.summary': { label: 'Entity - Summary', group: 'Entity objects', letters: ['R', 'E'] },
  activity: { label: 'Activity', group: 'Content objects', letters: ['C', 'R', 'E', 'D', 'A', 'S'] },
  'activity.comment': { label: 'Activity - Comment', group: 'Content objects', letters: ['C', 'E', 'D'] },
  file: { label: 'File', group: 'Content objects', letters: ['C', 'R', 'E', 'D', 'A', 'S'] },
  auditLog: { label: 'Audit Log', group: 'Portico', letters: ['R'] },
} as const satisfies Record<string, { label: string; group: string; letters: readonly Letter[] }>;

export type ObjectType = keyof typeof OBJECT_TYPES;

/** `'<object type>:<letter>'`, only for letters the object type has. */
export type Permission = {
  [T in ObjectType]: `${T}:${(typeof OBJECT_TYPES)[T]['letters'][number]}`;
}[ObjectType];

export const ALL_PERMISSIONS: readonly Permission[] = (Object.keys(OBJECT_TYPES) as ObjectType[]).flatMap(
  (type) => OBJECT_TYPES[type].letters.map((letter) => `${type}:${letter}` as Permission),
);
