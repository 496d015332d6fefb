/**
 * Acting on what Resend said of an email: the state recorded by the furthest-outcome rule
 * (state.ts), and, when the email did not arrive, one audit line naming its recipient and subject,
 * so an Admin can put the address right. Both in one transaction; nothing at all when the webhook
 * says nothing new (a repeat, an older outcome).
 *
 * An outcome for an email whose Resend id is not saved (yet: the worker died between Resend's
 * answer and saving it, and runs the job again later) is held, and acted on when the id is saved;
 * the hourly tidying settles one held while the id was being saved, and forgets the rest after a
 * day (emails of another app on the same Resend account).
 */
import { recordAudit } from '../../audit/record.js';
import type { Db } from '../../db/connect.js';
import { heldNowSent, holdOutcome, insertSent, isSent, recordOutcome, takeHeld } from './queries.js';
import type { ResendOutcome } from './resend-events.js';
import type { DeliveryState } from './state.js';

/** The outcomes that mean the email did not arrive, in the audit line's words. */
const UNDELIVERED_WORDS: Partial<Record<DeliveryState, string>> = {
  bounced: "Bounced: the recipient's mail server refused it",
  failed: 'Resend could not send it',
  suppressed: 'Resend did not send it: this address bounced, or marked an earlier email as spam',
};

/** What changed: the email's job, its kind and whether it arrived (for the log); null: nothing. */
export interface HeardOutcome {
  jobId: string;
  kind: string | null;
  undelivered: boolean;
}

/** The email a job sent, while the job is kept (a week once done): who it was to, what about. */
async function mailOfJob(db: Db, jobId: string) {
  const job = await db.selectFrom('jobs').select('payload').where('id', '=', jobId).executeTakeFirst();
  if (!job) return null;
  const p = JSON.parse(job.payload) as Record<string, unknown>;
  const str = (x: unknown) => (typeof x === 'string' ? x : null);
  return { to: str(p.to), subject: str(p.subject), kind: str(p.kind) };
}

/** Records `outcome` for its email, in the caller's transaction; null when it changed nothing. */
async function applyOutcome(trx: Db, outcome: ResendOutcome, now: number): Promise<HeardOutcome | null> {
  const jobId = await recordOutcome(trx, outcome.emailId, outcome.state, now);
  if (!jobId) return null;
  const mail = await mailOfJob(trx, jobId);
  const words = UNDELIVERED_WORDS[outcome.state];
  if (words)
    await recordAudit(trx, {
      actor: { id: null, label: 'Resend' },
      action: 'email.undelivered',
      object: { type: 'email', id: jobId, label: mail?.subject ?? 'An email' },
      after: { recipient: mail?.to ?? null, outcome: words, reason: outcome.reason },
      at: now,
    });
  return { jobId, kind: mail?.kind ?? null, undelivered: words !== undefined };
}

/** What a webhook said; an outcome for an email whose id is not saved is held for it. */
export async function hearOutcome(
  db: Db,
  outcome: ResendOutcome,
  now = Date.now(),
): Promise<HeardOutcome | null> {
  return db.transaction().execute(async (trx) => {
    const heard = await applyOutcome(trx, outcome, now);
    if (!heard && !(await isSent(trx, outcome.emailId))) await holdOutcome(trx, outcome, now);
    return heard;
  });
}

/**
 * Saves Resend's id for the email job `jobId` sent, and acts on any outcome heard for it before.
 * @returns what that outcome changed, or null
 */
export async function recordSent(
  db: Db,
  jobId: string,
  providerId: string,
  now = Date.now(),
): Promise<HeardOutcome | null> {
  return db.transaction().execute(async (trx) => {
    await insertSent(trx, jobId, providerId, now);
    const held = await takeHeld(trx, providerId);
    return held ? applyOutcome(trx, held, now) : null;
  });
}

/** Acts on outcomes held while their emails' ids were being saved (hourly, with the tidying). */
export async function settleHeldOutcomes(db: Db, now = Date.now()): Promise<void> {
  for (const providerId of await heldNowSent(db))
    await db.transaction().execute(async (trx) => {
      const held = await takeHeld(trx, providerId);
      if (held) await applyOutcome(trx, held, now);
    });
}
