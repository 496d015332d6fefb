/**
 * Sessions as Lucia's guide builds them: a random token in the cookie, its SHA-256 as the row id,
 * a 30-day sliding expiry renewed when less than half remains, and revocation by deleting rows.
 */
import type { Context } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import { type ChangeCounts, changeCountOf } from '../db/change-counters.js';
import type { Db } from '../db/connect.js';
import { KeptWhileUnchanged } from '../db/kept-while-unchanged.js';
import { precompiled } from '../db/precompile.js';
import type { User } from '../db/schema.js';
import { readCookie } from '../http/cookies.js';
import { generateToken, hashToken } from '../kernel/tokens.js';

const DAY = 24 * 60 * 60 * 1000;
export const SESSION_TTL = 30 * DAY;
const RENEW_WHEN_LEFT = 15 * DAY;

export type SessionUser = Pick<User, 'id' | 'kind' | 'email' | 'first_name' | 'last_name'>;

export interface ValidSession {
  id: string;
  expiresAt: number;
  /** True when this request pushed the expiry forward, so the cookie must be re-sent. */
  renewed: boolean;
  user: SessionUser;
  changeCounts: ChangeCounts;
}

export async function createSession(db: Db, userId: string, now = Date.now()) {
  const token = generateToken();
  const id = hashToken(token);
  const expiresAt = now + SESSION_TTL;
  await db
    .insertInto('sessions')
    .values({ id, user_id: userId, created_at: now, expires_at: expiresAt })
    .execute();
  return { token, id, expiresAt };
}

const findSession = precompiled(1, (db: Db, id: string) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      's.id',
      's.expires_at',
      'u.id as user_id',
      'u.kind',
      'u.email',
      'u.first_name',
      'u.last_name',
      'u.disabled_at',
    ])
    .select([
      changeCountOf(db, 'users').as('users_changes'),
      changeCountOf(db, 'permissions').as('permissions_changes'),
      changeCountOf(db, 'clients').as('clients_changes'),
      changeCountOf(db, 'plugins').as('plugins_changes'),
      changeCountOf(db, 'notifications').as('notifications_changes'),
    ])
    .where('s.id', '=', id),
);

type SessionRow = Awaited<ReturnType<typeof findSession>>[number];

/**
 * The session's row and its user's, with the change counts, kept between requests on SQLite while
 * the database has not changed: any write at all, a session's end or a user's disabling among them,
 * drops them. Most page views change nothing, and this query was a quarter of a page's time (`npm
 * run bench`). At most 10,000 sessions' rows are kept between two changes.
 */
const sessionRows = new KeptWhileUnchanged<SessionRow | undefined>(10_000);
const sessionRow = (db: Db, id: string) =>
  sessionRows.get(db, id, async () => (await findSession(db, id))[0]);

/** Resolves a cookie's token to its live session and user, or null (expired ones are deleted). */
export async function validateSessionToken(
  db: Db,
  token: string,
  now = Date.now(),
): Promise<ValidSession | null> {
  const id = hashToken(token);
  const row = await sessionRow(db, id);
  if (!row) return null;
  if (row.expires_at <= now || row.disabled_at !== null) {
    await db.deleteFrom('sessions').where('id', '=', id).execute();
    return null;
  }
  let expiresAt = row.expires_at;
  let renewed = false;
  if (expiresAt - now < RENEW_WHEN_LEFT) {
    expiresAt = now + SESSION_TTL;
    renewed = true;
    await db.updateTable('sessions').set({ expires_at: expiresAt }).where('id', '=', id).execute();
  }
  return {
    id,
    expiresAt,
    renewed,
    user: {
      id: row.user_id,
      kind: row.kind,
      email: row.email,
      first_name: row.first_name,
      last_name: row.last_name,
    },
    changeCounts: {
      users: Number(row.users_changes),
      permissions: Number(row.permissions_changes),
      clients: Number(row.clients_changes),
      plugins: Number(row.plugins_changes),
      notifications: Number(row.notifications_changes),
    },
  };
}

export async function invalidateSession(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Ends every session of the user, except `keep` (the caller's own, for "sign out elsewhere"). */
export async function invalidateUserSessions(db: Db, userId: string, keep?: string): Promise<number> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) q = q.where('id', '<>', keep);
  const result = await q.executeTakeFirst();
  return Number(result.numDeletedRows);
}

export function sessionCookieName(secure: boolean): string {
  return secure ? '__Host-portico_session' : 'portico_session';
}

export function readSessionCookie(c: Context, secure: boolean): string | undefined {
  return readCookie(c, sessionCookieName(secure));
}

export function setSessionCookie(c: Context, token: string, expiresAt: number, secure: boolean): void {
  setCookie(c, sessionCookieName(secure), token, {
    httpOnly: true,
    sameSite: 'Lax',
    secure,
    path: '/',
    expires: new Date(expiresAt),
  });
}

export function clearSessionCookie(c: Context, secure: boolean): void {
  deleteCookie(c, sessionCookieName(secure), { path: '/', secure });
}
