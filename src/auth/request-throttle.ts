/**
 * How often someone may ask Portico to email a link: a sign-in link, a password reset, a staff
 * invitation. Each request is counted under whom it is for and under the client's address, with
 * the sign-in throttle's counts (src/auth/throttle.ts) but under keys of its own, so asking for
 * emails and failing to sign in never use up each other's allowance.
 */
import type { Context } from 'hono';
import type { Db } from '../db/connect.js';
import { addressKey, claimAttempt, secondsToWait } from './throttle.js';

/** What is being asked for: each kind of request has its own counts. */
export type EmailRequestKind = 'link' | 'reset' | 'invitation';

/**
 * Counts this request for `who` (e.g. `accountKey(email)`) and, unless `perClient` is false (a
 * signed-in staff member's request), the client's address; returns the wait (0 seconds: go
 * ahead, with words for a message), and when there is a wait sets Retry-After to it.
 */
export async function emailRequestWait(
  db: Db,
  c: Context,
  kind: EmailRequestKind,
  who: string,
  options: { perClient?: boolean } = {},
): Promise<{ seconds: number; words: string }> {
  const keys = [`${kind}:${who}`];
  if (options.perClient !== false) keys.push(`${kind}:${addressKey(c.get('clientIp')())}`);
  const wait = secondsToWait(await claimAttempt(db, keys));
  if (wait.seconds > 0) c.header('Retry-After', String(wait.seconds));
  return wait;
}
