/**
 * The mail_deliveries table: Resend's id for each email it accepted, and the furthest outcome its
 * webhooks told of (state.ts). Rows are forgotten after 30 days, as failed jobs are; by then a
 * notification says only that its email was sent or failed over a month ago.
 */
import type { Db } from '../../db/connect.js';
import { DAY } from '../../kernel/durations.js';
import { type DeliveryState, statesBelow } from './state.js';

export const KEEP_DELIVERIES_MS = 30 * DAY;

/**
 * Remembers Resend's id for the email job `jobId` sent. A job run again after it sent (at least
 * once: the process died before marking it done) sends with the same idempotency key, so Resend
 * answers with the same id; the first row stays either way.
 */
export async function recordSent(db: Db, jobId: string, providerId: string, now = Date.now()): Promise<void> {
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

export async function forgetOldDeliveries(db: Db, now = Date.now()): Promise<void> {
  await db
    .deleteFrom('mail_deliveries')
    .where('sent_at', '<=', now - KEEP_DELIVERIES_MS)
    .execute();
}
