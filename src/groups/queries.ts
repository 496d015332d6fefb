/** Reading staff groups and their members. */
import type { Db } from '../db/connect.js';
import type { Group } from '../db/schema.js';

export interface GroupRow {
  id: string;
  name: string;
  description: string;
  members: number;
  roleIds: string[];
}

export async function listGroups(db: Db): Promise<GroupRow[]> {
  const groups = await db
    .selectFrom('groups as g')
    .leftJoin('group_members as gm', 'gm.group_id', 'g.id')
    .select(['g.id', 'g.name', 'g.description'])
    .select((eb) => eb.fn.count<number>('gm.user_id').as('members'))
    .where('g.kind', '=', 'staff')
    .groupBy(['g.id', 'g.name', 'g.description'])
    .orderBy('g.name')
    .execute();
  const roles =
    groups.length === 0
      ? []
      : await db
          .selectFrom('role_bindings')
          .select(['group_id', 'role_id'])
          .where(
            'group_id',
            'in',
            groups.map((g) => g.id),
          )
          .where('scope_type', '=', 'system')
          .execute();
  return groups.map((g) => ({
    ...g,
    members: Number(g.members),
    roleIds: roles.filter((r) => r.group_id === g.id).map((r) => r.role_id),
  }));
}

export function findGroup(db: Db, id: string): Promise<Group | undefined> {
  return db
    .selectFrom('groups')
    .selectAll()
    .where('id', '=', id)
    .where('kind', '=', 'staff')
    .executeTakeFirst();
}

export async function memberIds(db: Db, groupId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('group_members')
    .select('user_id')
    .where('group_id', '=', groupId)
    .execute();
  return rows.map((r) => r.user_id);
}

/** Every staff member, for choosing group members (a firm has at most a few hundred). */
export function allStaff(db: Db) {
  return db
    .selectFrom('users')
    .select(['id', 'first_name', 'last_name', 'email', 'disabled_at'])
    .where('kind', '=', 'staff')
    .orderBy('last_name')
    .orderBy('first_name')
    .execute();
}

export async function groupNameTaken(db: Db, name: string, exceptId?: string): Promise<boolean> {
  let q = db
    .selectFrom('groups')
    .select('id')
    .where('kind', '=', 'staff')
    .where('name_normalized', '=', name.trim().toLowerCase());
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}
