/**
 * Slows down repeated sign-in failures, per account (the typed email, whether or not it exists,
 * so the throttle itself reveals nothing) and per client address. Each attempt is counted before
 * the password is checked, by a compare-and-set, so attempts sent in parallel cannot all slip
 * through while the first ones are still being checked. Kept in the database so every app process
 * sees the same counts.
 *
 * The announced wait is honest: an attempt refused because the wait has not ended is not counted,
 * so it never lengthens the wait, and the first attempt after it is judged on its password. The
 * wait doubles only with each password actually checked and found wrong (up to MAX_WAIT_MS).
 */
import type { Db } from '../db/connect.js';
import type { SignInThrottleTable } from '../db/schema.js';
import { normalizeEmail } from '../kernel/names.js';

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

/** The wait owed after `n` counted attempts, from the latest of them. */
function waitAfter(n: number): number {
  return n < FREE_ATTEMPTS ? 0 : Math.min(1000 * 2 ** (n - FREE_ATTEMPTS), MAX_WAIT_MS);
}

type Count = Pick<SignInThrottleTable, 'failures' | 'last_attempt_at'>;

/** Milliseconds this count still makes an attempt wait (0: none). */
function owed(row: Count, now: number): number {
  if (row.last_attempt_at < now - FORGET_AFTER_MS) return 0;
  return Math.max(0, row.last_attempt_at + waitAfter(row.failures) - now);
}

/**
 * Returns how many milliseconds the caller must still wait (0: go ahead and check the password,
 * this attempt is counted under every key). A refused attempt changes nothing.
 */
export async function claimAttempt(db: Db, keys: string[], now = Date.now()): Promise<number> {
  const counts = await db
    .selectFrom('sign_in_throttle')
    .select(['failures', 'last_attempt_at'])
    .where('key', 'in', keys)
    .execute();
  const wait = Math.max(0, ...counts.map((row) => owed(row, now)));
  if (wait > 0) return wait;
  for (const key of keys) {
    const lost = await countAttempt(db, key, now);
    if (lost > 0) return lost;
  }
  return 0;
}

/**
 * Counts one attempt under `key` unless it must wait, by compare-and-set: of attempts racing on
 * the same count only one is counted, and the others see the wait it brings (if any).
 */
async function countAttempt(db: Db, key: string, now: number): Promise<number> {
  await db
    .insertInto('sign_in_throttle')
    .values({ key, failures: 0, last_attempt_at: 0, previous_attempt_at: 0 })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  for (;;) {
    const row = await db
      .selectFrom('sign_in_throttle')
      .select(['failures', 'last_attempt_at'])
      .where('key', '=', key)
      .executeTakeFirstOrThrow();
    const wait = owed(row, now);
    if (wait > 0) return wait;
    const stale = row.last_attempt_at < now - FORGET_AFTER_MS;
    const result = await db
      .updateTable('sign_in_throttle')
      .set({
        failures: stale ? 1 : row.failures + 1,
        previous_attempt_at: row.last_attempt_at,
        last_attempt_at: now,
      })
      .where('key', '=', key)
      .where('failures', '=', row.failures)
      .where('last_attempt_at', '=', row.last_attempt_at)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) return 0;
  }
}

/** "1 second", "5 seconds": the wait as a person reads it (rounded up, as Retry-After is). */
export function secondsToWait(ms: number): { seconds: number; words: string } {
  const seconds = Math.ceil(ms / 1000);
  return { seconds, words: seconds === 1 ? '1 second' : `${seconds} seconds` };
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
