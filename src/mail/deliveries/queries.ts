/**
 * The mail_deliveries table: Resend's id for each email it accepted, and the furthest outcome its
 * webhooks told of (state.ts). Rows are forgotten after 30 days, as failed jobs are; by then a
 * notification says only that its email was sent or failed over a month ago.
 */
import type { Db } from '../../db/connect.js';
import { DAY } from '../../kernel/durations.js';
import type { ResendOutcome } from './resend-events.js';
import { type DeliveryState, statesBelow } from './state.js';

export const KEEP_DELIVERIES_MS = 30 * DAY;

/** How long an outcome heard before its email's id was saved waits for it (migration 0026). */
export const HOLD_UNMATCHED_MS = DAY;

/**
 * Remembers Resend's id for the email job `jobId` sent. A job run again after it sent (at least
 * once: the process died before marking it done) sends with the same idempotency key, so Resend
 * answers with the same id; the first row stays either way.
 */
export async function insertSent(db: Db, jobId: string, providerId: string, now = Date.now()): Promise<void> {
  await db
    .insertInto('mail_deliveries')
    .values({ job_id: jobId, provider_id: providerId, state: null, sent_at: now, updated_at: null })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

/**
 * Records that Resend said `state` of its email `providerId`, unless a further outcome is known
 * already. Returns the email's job id when this changed the state, else null (an email Portico did
 * not send, or nothing new): one conditional UPDATE, so two webhooks at once still end at the
 * further of the two.
 */
export async function recordOutcome(
  db: Db,
  providerId: string,
  state: DeliveryState,
  now = Date.now(),
): Promise<string | null> {
  const below = statesBelow(state);
  const row = await db
    .updateTable('mail_deliveries')
    .set({ state, updated_at: now })
    .where('provider_id', '=', providerId)
    .where((eb) => eb.or([eb('state', 'is', null), ...(below.length ? [eb('state', 'in', below)] : [])]))
    .returning('job_id')
    .executeTakeFirst();
  return row?.job_id ?? null;
}

/** Whether Portico saved Resend's id `providerId` for an email it sent. */
export async function isSent(db: Db, providerId: string): Promise<boolean> {
  const row = await db
    .selectFrom('mail_deliveries')
    .select('job_id')
    .where('provider_id', '=', providerId)
    .executeTakeFirst();
  return row !== undefined;
}

/** Holds `outcome` until its email's id is saved; of two held for one email, the further stays. */
export async function holdOutcome(db: Db, outcome: ResendOutcome, now = Date.now()): Promise<void> {
  const below = statesBelow(outcome.state);
  await db
    .insertInto('mail_outcomes_held')
    .values({ provider_id: outcome.emailId, state: outcome.state, reason: outcome.reason, heard_at: now })
    .onConflict((oc) =>
      below.length
        ? oc
            .column('provider_id')
            .doUpdateSet({ state: outcome.state, reason: outcome.reason, heard_at: now })
            .where('mail_outcomes_held.state', 'in', below)
        : oc.column('provider_id').doNothing(),
    )
    .execute();
}

/** Takes (reads and forgets) what was held for Resend's id `providerId`. */
export async function takeHeld(db: Db, providerId: string): Promise<ResendOutcome | null> {
  const row = await db
    .deleteFrom('mail_outcomes_held')
    .where('provider_id', '=', providerId)
    .returning(['provider_id', 'state', 'reason'])
    .executeTakeFirst();
  return row ? { emailId: row.provider_id, state: row.state, reason: row.reason } : null;
}

/** Resend ids with an outcome held whose email's id has been saved since (a race the hourly tidying settles). */
export async function heldNowSent(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('mail_outcomes_held')
    .innerJoin('mail_deliveries', 'mail_deliveries.provider_id', 'mail_outcomes_held.provider_id')
    .select('mail_outcomes_held.provider_id')
    .execute();
  return rows.map((r) => r.provider_id);
}

export async function forgetOldDeliveries(db: Db, now = Date.now()): Promise<void> {
  await db
    .deleteFrom('mail_deliveries')
    .where('sent_at', '<=', now - KEEP_DELIVERIES_MS)
    .execute();
  await db
    .deleteFrom('mail_outcomes_held')
    .where('heard_at', '<=', now - HOLD_UNMATCHED_MS)
    .execute();
}
