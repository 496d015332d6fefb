/**
 * The kernel's own hourly tidying (a schedule the host registers for itself): finished jobs after
 * a week, failed ones and event delivery records after 30 days (long after any retry could come),
 * and SQLite's planner statistics kept current. Features forget their own rows on their own
 * schedules (auth: sessions and links; setup: tokens; outbox: kept emails).
 */
import { PostgresAdapter, sql } from 'kysely';
import { type Db, FORGET_VOLATILE_STATISTICS } from '../db/connect.js';
import { DAY } from '../kernel/durations.js';

export async function tidyKernel(db: Db, now = Date.now()): Promise<void> {
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
    .deleteFrom('event_deliveries')
    .where('delivered_at', '<=', now - 30 * DAY)
    .execute();
  await refreshPlannerStatistics(db);
}

/**
 * SQLite only: re-analyze the tables that grew or shrank a lot since they were last analyzed, so
 * the planner's statistics (first gathered on opening, src/db/connect.ts) follow the data, leaving
 * none for the volatile tables, as on opening. PostgreSQL's autovacuum does this itself.
 */
async function refreshPlannerStatistics(db: Db): Promise<void> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) return;
  await sql`pragma optimize`.execute(db);
  const { when, statements } = FORGET_VOLATILE_STATISTICS;
  if ((await sql.raw(when).execute(db)).rows.length === 0) return;
  for (const statement of statements) await sql.raw(statement).execute(db);
}
