/** Reading the audit log, newest first, with filters and keyset paging (stable under new writes). */
import type { Db } from '../db/connect.js';
import { containsInsensitive } from '../http/search.js';
import { userLabel } from '../kernel/names.js';
import { roleNames } from '../permissions/index.js';

export const AUDIT_PAGE_SIZE = 50;

export interface AuditFilter {
  action?: string | undefined;
  actor?: string | undefined;
  object?: string | undefined;
  from?: number | undefined;
  to?: number | undefined;
  /** Cursor: events strictly older than (at, id). */
  before?: { at: number; id: string } | undefined;
}

export async function listAuditEvents(db: Db, f: AuditFilter) {
  let q = db.selectFrom('audit_events').selectAll();
  if (f.action) q = q.where('action', '=', f.action);
  if (f.actor) q = q.where((eb) => containsInsensitive(eb.ref('actor_label'), f.actor ?? ''));
  if (f.object) q = q.where((eb) => containsInsensitive(eb.ref('object_label'), f.object ?? ''));
  if (f.from !== undefined) q = q.where('at', '>=', f.from);
  if (f.to !== undefined) q = q.where('at', '<', f.to);
  const before = f.before;
  if (before) {
    q = q.where((eb) =>
      eb.or([eb('at', '<', before.at), eb.and([eb('at', '=', before.at), eb('id', '<', before.id)])]),
    );
  }
  const rows = await q
    .orderBy('at', 'desc')
    .orderBy('id', 'desc')
    .limit(AUDIT_PAGE_SIZE + 1)
    .execute();
  const more = rows.length > AUDIT_PAGE_SIZE;
  const events = rows.slice(0, AUDIT_PAGE_SIZE);
  const last = events.at(-1);
  return { events, next: more && last ? `${last.at}.${last.id}` : null };
}

export function parseCursor(raw: string | undefined): AuditFilter['before'] {
  const m = raw?.match(/^(\d{1,15})\.([a-z0-9]{1,40})$/);
  return m ? { at: Number(m[1]), id: m[2]! } : undefined;
}

/**
 * The names of the people, groups, clients, roles and portals with these ids, for the log's words.
 * Today's names: events written before names were recorded hold only ids.
 */
export async function namesOf(db: Db, ids: string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  const users = await db
    .selectFrom('users')
    .select(['id', 'first_name', 'last_name', 'email'])
    .where('id', 'in', ids)
    .execute();
  for (const u of users) names.set(u.id, userLabel(u));
  for (const table of ['groups', 'entities', 'portals'] as const) {
    const rows = await db.selectFrom(table).select(['id', 'name']).where('id', 'in', ids).execute();
    for (const r of rows) names.set(r.id, r.name);
  }
  for (const [id, name] of await roleNames(db, ids)) names.set(id, name);
  return names;
}
