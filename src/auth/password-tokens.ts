/**
 * One-time set-password links: the one an Admin hands over or emails as a staff invitation, and the
 * one a staff member asks for at "Forgot your password?". Only the SHA-256 is stored; a newer link
 * voids older ones; using a link consumes it, sets the password and ends every session.
 */

import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/connect.js';
import { generateToken, hashToken } from '../kernel/tokens.js';
import { issuerMayStillManage } from '../permissions/index.js';
import { hashPassword } from './password.js';
import { invalidateUserSessions } from './sessions.js';

export const PASSWORD_LINK_TTL = 72 * 60 * 60 * 1000;

/** Where a link's token is used: the one place this path is spelt for a token. */
export const setPasswordPath = (token: string) => `/set-password/${token}`;

/** `createdBy`: who hands the link over (null: the person themself, or the server's console). */
export async function createPasswordToken(
  db: Db,
  userId: string,
  createdBy: string | null,
  ttlMs = PASSWORD_LINK_TTL,
  now = Date.now(),
) {
  const token = generateToken();
  // A newer link replaces older ones, so only the last link handed over works.
  await db.deleteFrom('password_tokens').where('user_id', '=', userId).execute();
  await db
    .insertInto('password_tokens')
    .values({
      id: hashToken(token),
      user_id: userId,
      created_at: now,
      expires_at: now + ttlMs,
      created_by: createdBy,
    })
    .execute();
  return { token, expiresAt: now + ttlMs };
}

/** The live link's person, or undefined when it is unknown, used, expired, or its giver may no longer manage them. */
export async function findPasswordToken(db: Db, token: string, now = Date.now()) {
  const found = await db
    .selectFrom('password_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['u.id as userId', 'u.email', 't.created_by'])
    .where('t.id', '=', hashToken(token))
    .where('t.expires_at', '>', now)
    .where('u.disabled_at', 'is', null)
    .where('u.kind', '=', 'staff')
    .executeTakeFirst();
  if (!found || !(await issuerMayStillManage(db, found.created_by, found.userId))) return undefined;
  return found;
}

/**
 * Sets a user's password (`setBy`: who chose it, when not the person themself), ends all their
 * sessions and voids any set-password link still out, in the caller's transaction.
 */
export async function setPassword(
  db: Db,
  userId: string,
  passwordHash: string,
  setBy: string | null,
  now = Date.now(),
): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, password_set_by: setBy, updated_at: now })
    .where('id', '=', userId)
    .execute();
  await invalidateUserSessions(db, userId);
  await db.deleteFrom('password_tokens').where('user_id', '=', userId).execute();
}

/** Returns the user id, or null when the link was used or expired meanwhile (single use under races). */
export async function consumePasswordToken(
  db: Db,
  token: string,
  password: string,
  requestId: string | null,
) {
  const passwordHash = await hashPassword(password);
  return db.transaction().execute(async (trx) => {
    const found = await findPasswordToken(trx, token);
    if (!found) return null;
    const deleted = await trx
      .deleteFrom('password_tokens')
      .where('id', '=', hashToken(token))
      .executeTakeFirst();
    if (Number(deleted.numDeletedRows) !== 1) return null;
    await setPassword(trx, found.userId, passwordHash, null);
    await recordAudit(trx, {
      actor: { id: found.userId, label: found.email },
      action: 'user.password_set',
      object: { type: 'user', id: found.userId, label: found.email },
      after: { via: 'set-password link' },
      requestId,
    });
    return found.userId;
  });
}
