/**
 * Who holds which role where, read for feature pages that list people and groups. Each answers
 * with ids and counts; naming and arranging them for a page stays with the feature.
 */
import type { Db } from '../db/connect.js';

/** How many roles are given to the person directly (not through a group), at any scope. */
export async function countUserBindings(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('role_bindings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The roles each of these groups holds at the system scope, by group id (a group with none is left out). */
export async function systemRolesOfGroups(
  db: Db,
  groupIds: readonly string[],
): Promise<Map<string, string[]>> {
  const byGroup = new Map<string, string[]>();
  if (groupIds.length === 0) return byGroup;
  const rows = await db
    .selectFrom('role_bindings')
    .select(['group_id', 'role_id'])
    .where('group_id', 'in', [...groupIds])
    .where('scope_type', '=', 'system')
    .execute();
  for (const r of rows)
    if (r.group_id) byGroup.set(r.group_id, [...(byGroup.get(r.group_id) ?? []), r.role_id]);
  return byGroup;
}

/**
 * One row (user_id, role_id) per role given to a person directly at the system scope: a derived
 * table for a list of people to left-join, so a page of staff and their roles stays one query.
 * @example db.selectFrom(page.as('p')).leftJoin(systemRoleRows(db).as('sr'), 'sr.user_id', 'p.id')
 */
export function systemRoleRows(db: Db) {
  return db.selectFrom('role_bindings').select(['user_id', 'role_id']).where('scope_type', '=', 'system');
}

/**
 * The roles for contacts given to people directly at the entity (Associated included), by binding
 * id: who is linked to it, or has it shared with them, by a role of their own.
 */
export async function contactBindingsAtEntity(
  db: Db,
  entityId: string,
): Promise<{ id: string; roleId: string; userId: string }[]> {
  const rows = await db
    .selectFrom('role_bindings as rb')
    .innerJoin('roles as r', 'r.id', 'rb.role_id')
    .select(['rb.id', 'rb.role_id', 'rb.user_id'])
    .where('rb.scope_type', '=', 'entity')
    .where('rb.scope_id', '=', entityId)
    .where('r.kind', '=', 'contact')
    .where('rb.user_id', 'is not', null)
    .orderBy('rb.id')
    .execute();
  return rows.map((r) => ({ id: r.id, roleId: r.role_id, userId: r.user_id ?? '' }));
}
