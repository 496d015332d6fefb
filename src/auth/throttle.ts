/**
 * Slows down repeated sign-in failures, per account (the typed email, whether or not it exists,
 * so the throttle itself reveals nothing) and per client address. Kept in the database so every
 * app process sees the same counts.
 */
import type { Db } from '../db/connect.js';

/** Failures allowed before any wait is imposed. */
const FREE_FAILURES = 5;
const MAX_WAIT_MS = 15 * 60 * 1000;
/** Failures older than this are forgotten. */
const FORGET_AFTER_MS = 60 * 60 * 1000;

export function throttleKeys(email: string, ip: string): string[] {
  return [`account:${email.trim().toLowerCase()}`, `ip:${ip}`];
}

function waitFor(failures: number): number {
  if (failures < FREE_FAILURES) return 0;
  return Math.min(1000 * 2 ** (failures - FREE_FAILURES), MAX_WAIT_MS);
}

/** Milliseconds the caller must still wait before another attempt (0 when they may try now). */
export async function retryAfter(db: Db, keys: string[], now = Date.now()): Promise<number> {
  const rows = await db.selectFrom('sign_in_throttle').selectAll().where('key', 'in', keys).execute();
  let wait = 0;
  for (const r of rows) {
    if (now - r.last_failure_at > FORGET_AFTER_MS) continue;
    wait = Math.max(wait, r.last_failure_at + waitFor(r.failures) - now);
  }
  return Math.max(0, wait);
}

export async function recordFailure(db: Db, keys: string[], now = Date.now()): Promise<void> {
  for (const key of keys) {
    const row = await db.selectFrom('sign_in_throttle').selectAll().where('key', '=', key).executeTakeFirst();
    const failures = row && now - row.last_failure_at <= FORGET_AFTER_MS ? row.failures + 1 : 1;
    await db
      .insertInto('sign_in_throttle')
      .values({ key, failures, last_failure_at: now })
      .onConflict((oc) => oc.column('key').doUpdateSet({ failures, last_failure_at: now }))
      .execute();
  }
}

/** A successful sign-in clears the account's count; the address keeps its history. */
export async function recordSuccess(db: Db, email: string): Promise<void> {
  await db
    .deleteFrom('sign_in_throttle')
    .where('key', '=', `account:${email.trim().toLowerCase()}`)
    .execute();
}
