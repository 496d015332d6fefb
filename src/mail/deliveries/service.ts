/**
 * Acting on what Resend said of an email: the state recorded by the furthest-outcome rule
 * (state.ts), and, when the email did not arrive, one audit line naming its recipient and subject,
 * so an Admin can put the address right. Both in one transaction; nothing at all when the webhook
 * says nothing new (a repeat, an older outcome, an email Portico did not send).
 */
import { recordAudit } from '../../audit/record.js';
import type { Db } from '../../db/connect.js';
import { recordOutcome } from './queries.js';
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

export async function hearOutcome(
  db: Db,
  outcome: ResendOutcome,
  now = Date.now(),
): Promise<HeardOutcome | null> {
  return db.transaction().execute(async (trx) => {
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
  });
}
