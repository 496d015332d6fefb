/**
 * One-time set-password links that an Admin creates and hands over (email arrives later). Only
 * the SHA-256 is stored; using a link consumes it, sets the password and ends old sessions.
 */

import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/connect.js';
import { hashPassword } from './password.js';
import { invalidateUserSessions } from './sessions.js';
import { generateToken, hashToken } from './tokens.js';

export const PASSWORD_LINK_TTL = 72 * 60 * 60 * 1000;

export async function createPasswordToken(
  db: Db,
  userId: string,
  createdBy: string | null,
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
      expires_at: now + PASSWORD_LINK_TTL,
      created_by: createdBy,
    })
    .execute();
  return { token, expiresAt: now + PASSWORD_LINK_TTL };
}

export async function findPasswordToken(db: Db, token: string, now = Date.now()) {
  return db
    .selectFrom('password_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['u.id as userId', 'u.email'])
    .where('t.id', '=', hashToken(token))
    .where('t.expires_at', '>', now)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
}

/** Sets a user's password and ends all their sessions, in the caller's transaction. */
export async function setPassword(
  db: Db,
  userId: string,
  passwordHash: string,
  now = Date.now(),
): Promise<void> {
  await db
    .updateTable('users')
    .set({ password_hash: passwordHash, updated_at: now })
    .where('id', '=', userId)
    .execute();
  await invalidateUserSessions(db, userId);
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
    await setPassword(trx, found.userId, passwordHash);
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
