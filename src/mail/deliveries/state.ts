/**
 * What Resend's webhooks can say of an email, and the one rule for combining what they say: the
 * furthest outcome wins, whatever order the webhooks arrive in. Resend does not promise order and
 * retries a webhook it could not deliver, so "the last one heard" would let a late, retried
 * "delivered" hide a bounce. Furthest, from least to most final:
 *
 *   delayed < delivered < complained < suppressed < failed < bounced
 *
 * A delay is only ever on the way to something else. A complaint needs the email delivered first.
 * A bounce outranks delivery because a receiving server may take an email and bounce it afterwards
 * (Resend then reports both); what staff must act on is that it did not arrive. Suppressed, failed
 * and bounced (Resend did not send it; could not; the recipient's server refused it) never come
 * together; they are ranked only so that the rule is total. Since the state only ever moves up,
 * the same webhook twice, or any old one replayed, changes nothing.
 */
import type { DeliveryState } from '../../db/schema.js';

export type { DeliveryState } from '../../db/schema.js';

/** How far each outcome is (a Record, so a state added to the type must be placed here too). */
const FURTHER: Readonly<Record<DeliveryState, number>> = {
  delayed: 1,
  delivered: 2,
  complained: 3,
  suppressed: 4,
  failed: 5,
  bounced: 6,
};

/** The states `state` may replace (so the update can say so in its WHERE). */
export function statesBelow(state: DeliveryState): DeliveryState[] {
  return (Object.keys(FURTHER) as DeliveryState[]).filter((s) => FURTHER[s] < FURTHER[state]);
}

/**
 * Resend's event types that tell what became of an email, by the state each records. Every other
 * type (sent, opened, clicked, contacts, domains, …) is answered and ignored: `email.sent` says no
 * more than Resend's answer to the send did, and opens and clicks are not Portico's business.
 */
export const RESEND_EVENTS: ReadonlyMap<string, DeliveryState> = new Map<string, DeliveryState>([
  ['email.delivery_delayed', 'delayed'],
  ['email.delivered', 'delivered'],
  ['email.complained', 'complained'],
  ['email.suppressed', 'suppressed'],
  ['email.failed', 'failed'],
  ['email.bounced', 'bounced'],
]);
