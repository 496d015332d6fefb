/**
 * Reading a Resend webhook's JSON: `{ type, created_at, data: { email_id, … } }`, with a bounce's
 * `data.bounce`, a failure's `data.failed` and a suppression's `data.suppressed` saying why. Only
 * what tells what became of an email is read; anything else, or any other shape, reads as nothing
 * (the route answers it and changes nothing, so Resend does not send it again).
 */
import { type DeliveryState, RESEND_EVENTS } from './state.js';

export interface ResendOutcome {
  /** Resend's id for the email, as its send answered. */
  emailId: string;
  state: DeliveryState;
  /** What the receiving server or Resend said, when the email did not arrive. */
  reason: string | null;
}

const REASON_MAX = 300;

const isRecord = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

const text = (x: unknown): string | null => (typeof x === 'string' && x.trim() ? x : null);

/** One line of plain words: control characters and runs of space collapsed, cut to a readable length. */
function oneLine(s: string): string {
  const line = s.replace(/[\p{Cc}\p{Cf}\s]+/gu, ' ').trim();
  return line.length > REASON_MAX ? `${line.slice(0, REASON_MAX - 1)}…` : line;
}

function reasonOf(data: Record<string, unknown>): string | null {
  const { bounce, failed, suppressed } = data;
  let said: string | null = null;
  if (isRecord(bounce)) {
    // "Permanent, General: 550 5.1.1 mailbox unavailable"
    const kind = [text(bounce.type), text(bounce.subType)].filter(Boolean).join(', ');
    said = [kind, text(bounce.message)].filter(Boolean).join(': ') || null;
  } else if (isRecord(failed)) said = text(failed.reason);
  else if (isRecord(suppressed)) said = text(suppressed.message);
  return said ? oneLine(said) : null;
}

/** The outcome a webhook's body tells, or null when it tells none Portico records. */
export function readResendEvent(body: unknown): ResendOutcome | null {
  if (!isRecord(body) || typeof body.type !== 'string') return null;
  const state = RESEND_EVENTS.get(body.type);
  const data = body.data;
  if (!state || !isRecord(data)) return null;
  const emailId = data.email_id;
  if (typeof emailId !== 'string' || !emailId) return null;
  return { emailId, state, reason: reasonOf(data) };
}
