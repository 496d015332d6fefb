/**
 * Who signs in with a password, and whose given password still counts. Passwords are for staff:
 * contacts sign in with emailed links (and, later, Google or MYOB), so a contact neither signs in
 * with one nor sets one.
 *
 * A password or set-password link that someone else gave a person is only as good as the giver's
 * right to manage that person now. Otherwise a Staff Admin could hand a new hire a link (or an
 * initial password), wait for an Admin to promote them, and then use it to sign in as an Admin.
 */
import type { Db } from '../db/connect.js';
import type { UserKind } from '../db/schema.js';
import { loadActor } from './actor.js';
import { canManageAccount } from './can.js';

/** True for the kinds of people who sign in with a password: staff. */
export function usesPassword(user: { kind: UserKind }): boolean {
  return user.kind === 'staff';
}

const person = (db: Db, id: string) =>
  db
    .selectFrom('users')
    .select(['id', 'kind', 'email', 'first_name', 'last_name', 'disabled_at'])
    .where('id', '=', id)
    .executeTakeFirst();

/**
 * True when `issuerId` (null: the person themself, or the server's console) may still manage
 * `userId`: the issuer exists, is enabled, and holds everything the person now holds.
 */
export async function issuerMayStillManage(
  db: Db,
  issuerId: string | null,
  userId: string,
): Promise<boolean> {
  if (issuerId === null || issuerId === userId) return true;
  const [issuer, user] = await Promise.all([person(db, issuerId), person(db, userId)]);
  if (!issuer || !user || issuer.disabled_at !== null) return false;
  return canManageAccount(await loadActor(db, issuer), await loadActor(db, user));
}
