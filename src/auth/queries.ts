/** What the sign-in and account pages read about people and their sessions. */
import type { Db } from '../db/connect.js';
import { normalizeEmail } from '../kernel/names.js';

/** The person signing in with this email, with what decides whether their password may work. */
export function signInCandidate(db: Db, email: string) {
  return db
    .selectFrom('users')
    .select([
      'id',
      'password_hash',
      'password_set_by',
      'disabled_at',
      'kind',
      'email',
      'first_name',
      'last_name',
    ])
    .where('email_normalized', '=', normalizeEmail(email))
    .executeTakeFirst();
}

/** How many sessions the user has besides `sessionId` ("Sign out of other sessions"). */
export async function otherSessionCount(db: Db, userId: string, sessionId: string): Promise<number> {
  const row = await db
    .selectFrom('sessions')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('id', '<>', sessionId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The user's stored password hash (null: no password set). */
export async function passwordHashOf(db: Db, userId: string): Promise<string | null> {
  const row = await db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', userId)
    .executeTakeFirstOrThrow();
  return row.password_hash;
}
