/**
 * Slows down repeated sign-in failures, per account (the typed email, whether or not it exists,
 * so the throttle itself reveals nothing) and per client address. Each attempt is counted before
 * the password is checked, in one atomic statement, so attempts sent in parallel cannot all slip
 * through while the first ones are still being checked. Kept in the database so every app process
 * sees the same counts.
 *
 * The price: someone hammering an account keeps it waiting (up to MAX_WAIT_MS) for as long as they
 * hammer; its owner can still be let in by an Admin's set-password link.
 */
import type { Db } from '../db/connect.js';
import { normalizeEmail } from '../people/names.js';

/** Attempts allowed before any wait is imposed. */
const FREE_ATTEMPTS = 5;
const MAX_WAIT_MS = 15 * 60 * 1000;
/** A count whose last attempt is older than this starts again. */
const FORGET_AFTER_MS = 60 * 60 * 1000;

export const accountKey = (email: string) => `account:${normalizeEmail(email)}`;

/**
 * The address key. IPv6 clients are keyed by their /64, since one host usually holds a whole /64.
 */
export function addressKey(ip: string): string {
  if (!ip.includes(':') || ip.startsWith('::ffff:')) return `ip:${ip.replace(/^::ffff:/, '')}`;
  const [head = ''] = ip.split('::');
  const groups = ip.includes('::') ? head.split(':').filter(Boolean) : ip.split(':');
  return `ip:${[...groups, '0', '0', '0', '0'].slice(0, 4).join(':')}::/64`;
}

export function throttleKeys(email: string, ip: string): string[] {
  return [accountKey(email), addressKey(ip)];
}

/** The wait owed after `n` uncleared attempts, counted from the latest of them. */
function waitAfter(n: number): number {
  return n < FREE_ATTEMPTS ? 0 : Math.min(1000 * 2 ** (n - FREE_ATTEMPTS), MAX_WAIT_MS);
}

/**
 * Counts this attempt under every key and returns how many milliseconds the caller must still
 * wait (0: go ahead and check the password). A refused attempt counts too.
 */
export async function claimAttempt(db: Db, keys: string[], now = Date.now()): Promise<number> {
  let wait = 0;
  for (const key of keys) {
    const row = await db
      .insertInto('sign_in_throttle')
      .values({ key, failures: 1, last_attempt_at: now, previous_attempt_at: 0 })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet((eb) => ({
          failures: eb
            .case()
            .when('sign_in_throttle.last_attempt_at', '<', now - FORGET_AFTER_MS)
            .then(1)
            .else(eb('sign_in_throttle.failures', '+', 1))
            .end(),
          previous_attempt_at: eb.ref('sign_in_throttle.last_attempt_at'),
          last_attempt_at: now,
        })),
      )
      .returning(['failures', 'previous_attempt_at'])
      .executeTakeFirstOrThrow();
    wait = Math.max(wait, row.previous_attempt_at + waitAfter(row.failures - 1) - now);
  }
  return Math.max(0, wait);
}

/** A success clears the account's count and takes this attempt back off the address's count. */
export async function clearAfterSuccess(db: Db, email: string, ip: string): Promise<void> {
  await db.deleteFrom('sign_in_throttle').where('key', '=', accountKey(email)).execute();
  await db
    .updateTable('sign_in_throttle')
    .set((eb) => ({
      failures: eb
        .case()
        .when('failures', '>', 0)
        .then(eb('failures', '-', 1))
        .else(0)
        .end(),
    }))
    .where('key', '=', addressKey(ip))
    .execute();
}

/** Forgets counts nobody has added to for a while (run from the cleanup job). */
export async function forgetOldAttempts(db: Db, now = Date.now()): Promise<void> {
  await db
    .deleteFrom('sign_in_throttle')
    .where('last_attempt_at', '<', now - FORGET_AFTER_MS - MAX_WAIT_MS)
    .execute();
}
