/**
 * The custom roles as stored: the roles table's rows with built_in = 0 and their letters in
 * role_permissions. Built-in roles come from code (BUILT_IN_ROLES) and are never read or written
 * here. Whether the actor may make or change a role is decided by assertMayShapeRole, before these
 * writes; the feature records the audit event.
 */
import type { Db } from '../db/connect.js';
import type { UserKind } from '../db/schema.js';
import { generateId } from '../kernel/tokens.js';
import { loadRolePermissions } from './actor.js';
import type { Permission } from './catalog.js';
import { builtInRole, type RoleDefinition } from './roles.js';

/** What a custom role is made of. */
export interface CustomRoleInput {
  name: string;
  kind: UserKind;
  permissions: readonly Permission[];
}

async function withPermissions(
  db: Db,
  rows: { id: string; name: string; kind: UserKind }[],
): Promise<RoleDefinition[]> {
  const permissions = await loadRolePermissions(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => ({
    ...r,
    builtIn: false,
    administrative: false,
    levels: [],
    permissions: permissions.get(r.id) ?? new Set(),
    description: '',
  }));
}

const customRows = (db: Db) =>
  db.selectFrom('roles').select(['id', 'name', 'kind']).where('built_in', '=', 0);

/** Every custom role with its permissions, by name. */
export async function listCustomRoles(db: Db): Promise<RoleDefinition[]> {
  const rows = await customRows(db).execute();
  rows.sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
  return withPermissions(db, rows);
}

/** A custom role with its permissions; undefined for a built-in role's id or an unknown one. */
export async function findCustomRole(db: Db, id: string): Promise<RoleDefinition | undefined> {
  const row = await customRows(db).where('id', '=', id).executeTakeFirst();
  return row ? (await withPermissions(db, [row]))[0] : undefined;
}

/** How many bindings give this role to someone (a person or a group, at any scope). */
export async function countRoleBindings(db: Db, roleId: string): Promise<number> {
  const row = await db
    .selectFrom('role_bindings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('role_id', '=', roleId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every role's name, built-in and custom, to keep names unique. */
export function allRoleNames(db: Db): Promise<{ id: string; name: string }[]> {
  return db.selectFrom('roles').select(['id', 'name']).execute();
}

/** Role names by id: built-in ones from code, custom ones from the roles table (unknown ids left out). */
export async function roleNames(db: Db, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  const custom: string[] = [];
  for (const id of new Set(ids)) {
    const role = builtInRole(id);
    if (role) names.set(id, role.name);
    else custom.push(id);
  }
  if (custom.length) {
    const rows = await db.selectFrom('roles').select(['id', 'name']).where('id', 'in', custom).execute();
    for (const r of rows) names.set(r.id, r.name);
  }
  return names;
}

/** A built-in id reaching a write here is a bug in the caller, not a request to refuse politely. */
function assertCustom(roleId: string): void {
  if (builtInRole(roleId)) throw new Error(`${roleId} is a built-in role: it is never written`);
}

async function writePermissions(db: Db, roleId: string, permissions: readonly Permission[]): Promise<void> {
  await db.deleteFrom('role_permissions').where('role_id', '=', roleId).execute();
  if (permissions.length === 0) return;
  await db
    .insertInto('role_permissions')
    .values(
      permissions.map((p) => {
        const [object_type, letter] = p.split(':') as [string, string];
        return { role_id: roleId, object_type, letter };
      }),
    )
    .execute();
}

/**
 * Stores a new custom role with its letters and returns its id. A name another role has fails
 * with the database's unique violation (the caller turns it into its message).
 */
export async function createCustomRole(db: Db, role: CustomRoleInput): Promise<string> {
  const id = generateId();
  await db
    .insertInto('roles')
    .values({ id, name: role.name, kind: role.kind, built_in: 0, created_at: Date.now() })
    .execute();
  await writePermissions(db, id, role.permissions);
  return id;
}

/** Renames a custom role and sets its kind; replaces its letters only when `permissions` is given. */
export async function updateCustomRole(
  db: Db,
  roleId: string,
  change: Omit<CustomRoleInput, 'permissions'> & { permissions?: readonly Permission[] },
): Promise<void> {
  assertCustom(roleId);
  await db
    .updateTable('roles')
    .set({ name: change.name, kind: change.kind })
    .where('id', '=', roleId)
    .where('built_in', '=', 0)
    .execute();
  if (change.permissions) await writePermissions(db, roleId, change.permissions);
}

/** Deletes a custom role and every binding that gives it; returns how many bindings went with it. */
export async function deleteCustomRole(db: Db, roleId: string): Promise<number> {
  assertCustom(roleId);
  // Removed here rather than by the foreign key's cascade, so the caller can say how many went.
  const removed = await db.deleteFrom('role_bindings').where('role_id', '=', roleId).executeTakeFirst();
  await db.deleteFrom('roles').where('id', '=', roleId).where('built_in', '=', 0).execute();
  return Number(removed.numDeletedRows);
}
