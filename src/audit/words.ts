/**
 * What an audit event changed, in words a firm's Admin reads: each recorded field gets a label
 * ("Send as", not "sendAs"), ids become the names of what they name (looked up by the route, or
 * "(deleted)"), yes/no for true/false, and a record shows the fields of what was made or removed,
 * the before → after of what was edited. Never "[object Object]", never a raw id.
 */
import { builtInRole, OBJECT_TYPES, type ObjectType } from '../permissions/index.js';

/** Field labels; `{entities}` becomes the firm's word ("Clients", "Matters"). */
const LABELS: Record<string, string> = {
  firmName: 'Firm name',
  folder: 'Folder',
  sha256: 'Content fingerprint',
  size: 'Size in bytes',
  restoredFrom: 'Restored from version',
  virus: 'Virus found',
  file: 'File',
  version: 'Version',
  entityLabel: 'Label for client workspaces',
  timeZone: 'Time zone',
  firstName: 'First name',
  lastName: 'Last name',
  email: 'Email',
  roles: 'Roles',
  role: 'Role',
  disabled: 'Disabled',
  via: 'How',
  sessionsEnded: 'Other sessions ended',
  to: 'Given to',
  from: 'Taken from',
  recipients: 'Recipients',
  members: 'Members',
  administrator: 'Administrator',
  sendAs: 'Send as',
  notify: 'Notify',
  bulkAssignees: 'Bulk task assignees',
  entities: '{entities}',
  name: 'Name',
  description: 'Description',
  kind: 'Kind',
  permissions: 'Permissions',
  bindingsRemoved: 'Role assignments removed',
  roleBindingsRemoved: 'Role assignments removed',
  contactsLeftWithoutClient: 'Contacts left without a client',
  what: 'What',
  rows: 'Rows in the file',
  imported: 'Imported',
  leftOut: 'Left out',
  admin: 'First Admin',
  contact: 'Contact',
  emailed: 'Emailed',
  portalAccess: 'Client portal',
  client: 'Client',
  reference: 'Reference',
  taxNumber: 'Tax number',
  phone: 'Phone',
  address: 'Address',
  notes: 'Notes',
  access: 'Access',
  recipient: 'Recipient',
  outcome: 'What happened',
  reason: 'Reason given',
};

/** Machine-only fields: ids kept for tracing, shown through the names beside them. */
const HIDDEN = new Set(['principal']);
const isHidden = (key: string) => HIDDEN.has(key) || /Ids?$/.test(key);

/** Fields whose values are ids of people, groups, clients or roles. */
const ID_FIELDS = new Set([
  'members',
  'entities',
  'administrator',
  'sendAs',
  'notify',
  'bulkAssignees',
  'roles',
  'role',
  'recipients',
]);
const ID_SHAPE = /^[a-z2-7]{16}$/;

const ACCESS: Record<string, string> = { full: 'Full access', contributor: 'Contributor' };

export interface AuditWords {
  /** Names of the people, groups, clients, roles and portals the page's events name by id. */
  names: ReadonlyMap<string, string>;
  /** The firm's plural word for entities ("Clients"). */
  entitiesWord: string;
}

function labelOf(key: string, w: AuditWords): string {
  const label = LABELS[key];
  if (label) return label.replace('{entities}', w.entitiesWord);
  const words = key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function shown(key: string, value: unknown, w: AuditWords): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean')
    return key === 'portalAccess' ? (value ? 'On' : 'Off') : value ? 'Yes' : 'No';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') {
    if (key === 'access') return ACCESS[value] ?? value;
    if (key === 'what' && value === 'entities') return w.entitiesWord.toLowerCase();
    if (ID_FIELDS.has(key)) {
      const named = w.names.get(value) ?? builtInRole(value)?.name;
      if (named) return named;
      if (ID_SHAPE.test(value)) return '(deleted)';
    }
    return value;
  }
  if (key === 'permissions' && Array.isArray(value)) return permissionsInWords(value.map(String));
  if (Array.isArray(value)) return value.length ? value.map((x) => shown(key, x, w)).join(', ') : '(none)';
  if (typeof value === 'object') {
    const o = value as Record<string, unknown>;
    const who = o.name ?? o.label ?? o.id;
    const rest = Object.entries(o).filter(([k]) => !['name', 'label', 'id'].includes(k) && !isHidden(k));
    const head = who === undefined ? '' : shown(key, who, w);
    const tail = rest.map(([k, v]) => shown(k, v, w)).join(', ');
    return head && tail ? `${head} (${tail})` : head || tail || '—';
  }
  return '—';
}

/** `['file:R', 'file:E', 'tag:C']` as the seed writes them: "File (R E), Tag (C)". */
function permissionsInWords(permissions: string[]): string {
  if (permissions.length === 0) return '(none)';
  const byType = new Map<string, string[]>();
  for (const p of permissions) {
    const [type = '', letter = ''] = p.split(':');
    byType.set(type, [...(byType.get(type) ?? []), letter]);
  }
  return [...byType]
    .map(([type, letters]) => {
      const known = OBJECT_TYPES[type as ObjectType];
      const order: readonly string[] = known?.letters ?? [];
      const sorted = [...letters].sort((a, b) => order.indexOf(a) - order.indexOf(b));
      return `${known?.label ?? type} (${sorted.join(' ')})`;
    })
    .join(', ');
}

const parse = (json: string | null): Record<string, unknown> | null =>
  json ? (JSON.parse(json) as Record<string, unknown>) : null;

/** One line per field: "Label: value" for what was made or removed, "Label: old → new" for an edit. */
export function changeLines(beforeJson: string | null, afterJson: string | null, w: AuditWords): string[] {
  const before = parse(beforeJson);
  const after = parse(afterJson);
  const keys = [...new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])].filter(
    (k) => !isHidden(k),
  );
  if (before && after) {
    return keys
      .filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]))
      .map((k) => `${labelOf(k, w)}: ${shown(k, before[k], w)} → ${shown(k, after[k], w)}`);
  }
  const only = before ?? after ?? {};
  return keys
    .filter((k) => only[k] !== '' && only[k] !== null && only[k] !== undefined)
    .map((k) => `${labelOf(k, w)}: ${shown(k, only[k], w)}`);
}

/** Every id-shaped string the events' records hold, for the route to look up names of. */
export function idsIn(jsons: (string | null)[]): string[] {
  const ids = new Set<string>();
  const walk = (x: unknown): void => {
    if (typeof x === 'string') {
      if (ID_SHAPE.test(x)) ids.add(x);
    } else if (Array.isArray(x)) x.forEach(walk);
    else if (x && typeof x === 'object') Object.values(x).forEach(walk);
  };
  for (const json of jsons) if (json) walk(JSON.parse(json));
  return [...ids];
}
