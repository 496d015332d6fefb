/**
 * Deletes what has expired: sessions, set-password links, sign-in links a day after they end, sign-in counts nobody adds to any more,
 * setup tokens left by processes that started before setup was done, sent emails' jobs after a
 * week, failed ones, the development outbox's messages and
 * events' delivery records after 30 days; and keeps SQLite's planner
 * statistics current. Runs hourly as a schedule (src/features.ts), once across all app processes;
 * safe to run from several at once all the same.
 */
import { PostgresAdapter, sql } from 'kysely';
import { forgetOldAttempts } from './auth/index.js';
import { type Db, FORGET_VOLATILE_STATISTICS } from './db/connect.js';

export async function cleanupExpired(db: Db, now = Date.now()): Promise<void> {
  await db.deleteFrom('sessions').where('expires_at', '<=', now).execute();
  await db.deleteFrom('password_tokens').where('expires_at', '<=', now).execute();
  // Kept a day past their end, so "send me a new link" from an expired link still knows where to.
  await db
    .deleteFrom('sign_in_links')
    .where('expires_at', '<=', now - DAY)
    .execute();
  await forgetOldAttempts(db, now);
  const setUp = await db.selectFrom('organization').select('id').executeTakeFirst();
  if (setUp) await db.deleteFrom('setup_tokens').execute();
  await db
    .deleteFrom('jobs')
    .where('status', '=', 'done')
    .where('done_at', '<=', now - 7 * DAY)
    .execute();
  await db
    .deleteFrom('jobs')
    .where('status', '=', 'failed')
    .where('done_at', '<=', now - 30 * DAY)
    .execute();
  await db
    .deleteFrom('outbox_messages')
    .where('created_at', '<=', now - 30 * DAY)
    .execute();
  // Long after any retry of its delivery could come.
  await db
    .deleteFrom('event_deliveries')
    .where('delivered_at', '<=', now - 30 * DAY)
    .execute();
  await refreshPlannerStatistics(db);
}

/**
 * SQLite only: re-analyze the tables that grew or shrank a lot since they were last analyzed, so
 * the planner's statistics (first gathered on opening, src/db/connect.ts) follow the data, leaving
 * none for the volatile tables, as on opening.
 * PostgreSQL's autovacuum does this itself.
 */
async function refreshPlannerStatistics(db: Db): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`pragma optimize`.execute(db);
  const { when, statements } = FORGET_VOLATILE_STATISTICS;
  if ((await sql.raw(when).execute(db)).rows.length === 0) return;
  for (const statement of statements) await sql.raw(statement).execute(db);
}

const HOUR = 60 * 60 * 1000;
const DAY = 24 * HOUR;
