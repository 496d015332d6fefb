/**
 * Starts a fresh session at every sign-in (never reusing an old one), sets its cookie, and notes
 * when the person last signed in (shown on a contact's page).
 */
import type { Context } from 'hono';
import type { Db } from '../db/connect.js';
import { createSession, setSessionCookie } from './sessions.js';

export async function startSession(c: Context, db: Db, userId: string, secure: boolean): Promise<void> {
  const old = c.get('sessionId');
  if (old) await db.deleteFrom('sessions').where('id', '=', old).execute();
  const session = await createSession(db, userId);
  await db.updateTable('users').set({ last_signed_in_at: Date.now() }).where('id', '=', userId).execute();
  setSessionCookie(c, session.token, session.expiresAt, secure);
}
