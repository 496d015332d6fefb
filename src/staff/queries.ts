/** Reading staff for lists and pages. Queries never decide access: routes authorize first. */
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { User } from '../db/schema.js';
import { containsInsensitive, PAGE_SIZE } from '../http/search.js';

export interface StaffRow {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  disabled: boolean;
  roleIds: string[];
}

/** One page of staff; `total` counts every match (skip it with `count: false` where "more" is enough). */
export async function listStaff(
  db: Db,
  options: { q: string; page: number; count?: boolean },
): Promise<{ rows: StaffRow[]; total: number | null; more: boolean }> {
  let base = db.selectFrom('users as u').where('u.kind', '=', 'staff');
  const q = options.q.trim();
  if (q) {
    base = base.where((eb) =>
      eb.or([
        containsInsensitive(eb.ref('u.email'), q),
        containsInsensitive(eb.ref('u.first_name'), q),
        containsInsensitive(eb.ref('u.last_name'), q),
        containsInsensitive(sql<string>`${eb.ref('u.first_name')} || ' ' || ${eb.ref('u.last_name')}`, q),
      ]),
    );
  }
  const [found, count] = await Promise.all([
    base
      .select(['u.id', 'u.first_name', 'u.last_name', 'u.email', 'u.disabled_at'])
      .orderBy('u.last_name')
      .orderBy('u.first_name')
      .orderBy('u.id')
      .limit(PAGE_SIZE + 1)
      .offset((options.page - 1) * PAGE_SIZE)
      .execute(),
    options.count === false
      ? null
      : base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const users = found.slice(0, PAGE_SIZE);
  const roles = await systemRolesOf(
    db,
    users.map((u) => u.id),
  );
  return {
    total: count ? Number(count.n) : null,
    more: found.length > PAGE_SIZE,
    rows: users.map((u) => ({
      id: u.id,
      firstName: u.first_name,
      lastName: u.last_name,
      email: u.email,
      disabled: u.disabled_at !== null,
      roleIds: roles.get(u.id) ?? [],
    })),
  };
}

/** System-scope roles given directly to each user, in one query for the whole page. */
async function systemRolesOf(db: Db, userIds: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (userIds.length === 0) return map;
  const rows = await db
    .selectFrom('role_bindings')
    .select(['user_id', 'role_id'])
    .where('user_id', 'in', userIds)
    .where('scope_type', '=', 'system')
    .execute();
  for (const r of rows) if (r.user_id) map.set(r.user_id, [...(map.get(r.user_id) ?? []), r.role_id]);
  return map;
}

export function findStaff(db: Db, id: string): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', id)
    .where('kind', '=', 'staff')
    .executeTakeFirst();
}

export async function emailTaken(db: Db, email: string, exceptUserId?: string): Promise<boolean> {
  let q = db.selectFrom('users').select('id').where('email_normalized', '=', email.trim().toLowerCase());
  if (exceptUserId) q = q.where('id', '<>', exceptUserId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function groupsOf(db: Db, userId: string): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('group_members as gm')
    .innerJoin('groups as g', 'g.id', 'gm.group_id')
    .select(['g.id', 'g.name'])
    .where('gm.user_id', '=', userId)
    .orderBy('g.name')
    .execute();
}
