/** Reading staff for lists and pages. Queries never decide access: routes authorize first. */
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../db/connect.js';
import { precompiled } from '../db/precompile.js';
import type { Database, User } from '../db/schema.js';
import { PAGE_SIZE, searchMatches } from '../http/search.js';
import { systemRoleRows } from '../permissions/index.js';

export interface StaffRow {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  disabled: boolean;
  /** No password yet: added with an invitation they have not used (see service.isInvited). */
  invited: boolean;
  roleIds: string[];
}

// Whether there is a password, never the hash itself: 1 when there is none.
const noPassword = (eb: ExpressionBuilder<Database & { u: Database['users'] }, 'u'>) =>
  eb.case().when('u.password_hash', 'is', null).then(1).else(0).end().as('no_password');

function matching(db: Db, q: string) {
  const base = db.selectFrom('users as u').where('u.kind', '=', 'staff');
  if (!q) return base;
  return base.where(searchMatches(db, 'user', 'u', q));
}

/** One page in name order, plus one row to tell whether there is more. */
function pageQuery(db: Db, q: string, offset: number) {
  return matching(db, q)
    .select(['u.id', 'u.first_name', 'u.last_name', 'u.email', 'u.disabled_at', noPassword])
    .orderBy('u.last_name')
    .orderBy('u.first_name')
    .orderBy('u.id')
    .limit(PAGE_SIZE + 1)
    .offset(offset);
}

/** That page with each person's system-scope roles (one row per role, or one with none), in one query. */
function pageWithRolesQuery(db: Db, q: string, offset: number) {
  return db
    .selectFrom(pageQuery(db, q, offset).as('p'))
    .leftJoin(systemRoleRows(db).as('sr'), 'sr.user_id', 'p.id')
    .select([
      'p.id',
      'p.first_name',
      'p.last_name',
      'p.email',
      'p.disabled_at',
      'p.no_password',
      'sr.role_id',
    ])
    .orderBy('p.last_name')
    .orderBy('p.first_name')
    .orderBy('p.id')
    .orderBy('sr.role_id');
}

// The unfiltered directory (the home page and /staff) is the hot path: compiled once.
const unfilteredPageWithRoles = precompiled(1, (db: Db, offset: number) =>
  pageWithRolesQuery(db, '', offset),
);
const unfilteredPage = precompiled(1, (db: Db, offset: number) => pageQuery(db, '', offset));

type PageRow = Awaited<ReturnType<typeof unfilteredPage>>[number] & { role_id?: string | null };

function fetchPage(db: Db, q: string, offset: number, roles: boolean): Promise<PageRow[]> {
  if (roles) return q ? pageWithRolesQuery(db, q, offset).execute() : unfilteredPageWithRoles(db, offset);
  return q ? pageQuery(db, q, offset).execute() : unfilteredPage(db, offset);
}

/**
 * One page of staff. `total` counts every match (skip it with `count: false` where "more" is
 * enough); `roles: false` skips the roles, for viewers who will not see them.
 */
export async function listStaff(
  db: Db,
  options: { q: string; page: number; count?: boolean; roles: boolean },
): Promise<{ rows: StaffRow[]; total: number | null; more: boolean }> {
  const q = options.q.trim();
  const offset = (options.page - 1) * PAGE_SIZE;
  const [rows, count] = await Promise.all([
    fetchPage(db, q, offset, options.roles),
    options.count === false
      ? null
      : matching(db, q)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow(),
  ]);
  const people: StaffRow[] = [];
  for (const r of rows) {
    const last = people.at(-1);
    if (last?.id === r.id) {
      if (r.role_id) last.roleIds.push(r.role_id);
      continue;
    }
    people.push({
      id: r.id,
      firstName: r.first_name,
      lastName: r.last_name,
      email: r.email,
      disabled: r.disabled_at !== null,
      invited: Number(r.no_password) === 1,
      roleIds: r.role_id ? [r.role_id] : [],
    });
  }
  return {
    total: count ? Number(count.n) : null,
    more: people.length > PAGE_SIZE,
    rows: people.slice(0, PAGE_SIZE),
  };
}

export function findStaff(db: Db, id: string): Promise<User | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where('id', '=', id)
    .where('kind', '=', 'staff')
    .executeTakeFirst();
}
