/**
 * Forgets what signing in leaves behind once it has expired: sessions, set-password links,
 * sign-in links (a day after they end) and sign-in counts nobody adds to any more. Hourly, as a
 * schedule of the auth feature, once across all app processes.
 */
import type { Db } from '../db/connect.js';
import { DAY } from '../kernel/durations.js';
import { forgetOldAttempts } from './throttle.js';

export async function forgetExpiredSignIns(db: Db, now = Date.now()): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  await db.deleteFrom('password_tokens').where('expires_at', '<=', now).execute();
  // Kept a day past their end, so "send me a new link" from an expired link still knows where to.
  await db
    .deleteFrom('sign_in_links')
    .where('expires_at', '<=', now - DAY)
    .execute();
  await forgetOldAttempts(db, now);
}
