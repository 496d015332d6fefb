/**
 * Reading custom roles (the roles table's rows with built_in = 0, their letters in
 * role_permissions). Built-in roles come from code (BUILT_IN_ROLES), never from here.
 */
import type { Db } from '../db/connect.js';
import type { UserKind } from '../db/schema.js';
import { loadRolePermissions, type RoleDefinition } from '../permissions/index.js';

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
