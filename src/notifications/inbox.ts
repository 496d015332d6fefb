/**
 * A person's notifications: written by a feature's listener in its delivery transaction, beside
 * the email that tells them the same (so both commit once, or neither), and read newest first with
 * what became of that email: from its queue job, still queued, accepted by the relay or Resend, or
 * failed; and, where Resend's delivery webhooks are set up, what Resend said after (delivered,
 * bounced, …). Never "delivered" unless Resend said so: of a relay Portico knows only that it
 * accepted the email.
 */
import type { Db } from '../db/connect.js';
import type { DeliveryState, JobStatus } from '../db/schema.js';
import { DAY } from '../kernel/durations.js';
import { generateId } from '../kernel/tokens.js';

export const INBOX_PAGE_SIZE = 30;

export interface NewNotification {
  userId: string;
  kind: string;
  text: string;
  /** A path inside the app. */
  href: string;
  mailJobId: string | null;
}

export async function notify(db: Db, n: NewNotification): Promise<void> {
  await db
    .insertInto('notifications')
    .values({
      id: generateId(),
      user_id: n.userId,
      kind: n.kind,
      text: n.text,
      href: n.href,
      mail_job_id: n.mailJobId,
      created_at: Date.now(),
      read_at: null,
    })
    .execute();
}

/**
 * What became of the email beside a notification, as far as the queue and Resend's webhooks know
 * (a webhook's 'failed' is the queue's: it could not be sent).
 */
export type EmailState =
  | 'none'
  | 'queued'
  | 'retrying'
  | 'accepted'
  | 'failed'
  | 'untracked'
  | Exclude<DeliveryState, 'failed'>;

export interface Notification {
  id: string;
  text: string;
  href: string;
  createdAt: number;
  read: boolean;
  email: EmailState;
}

/**
 * The state of the email: what Resend said of it, if it said anything, else what its job says.
 * Finished jobs are tidied away (done ones after 7 days, failed ones after 30), so a job gone within
 * 30 days was done; past that, no one can say (what Resend said is forgotten after 30 days too).
 */
export function emailState(
  mailJobId: string | null,
  job: { status: JobStatus; attempts: number } | null,
  createdAt: number,
  now = Date.now(),
  delivery: DeliveryState | null = null,
): EmailState {
  if (!mailJobId) return 'none';
  if (delivery) return delivery;
  if (!job) return now - createdAt < 30 * DAY ? 'accepted' : 'untracked';
  if (job.status === 'done') return 'accepted';
  if (job.status === 'failed') return 'failed';
  return job.attempts > 0 ? 'retrying' : 'queued';
}

/** The person's notifications, newest first; `before` pages on (created_at, id). */
export async function inboxOf(
  db: Db,
  userId: string,
  options: { limit?: number; unreadOnly?: boolean; before?: { at: number; id: string } } = {},
): Promise<Notification[]> {
  let q = db
    .selectFrom('notifications as n')
    .leftJoin('jobs as j', 'j.id', 'n.mail_job_id')
    .leftJoin('mail_deliveries as d', 'd.job_id', 'n.mail_job_id')
    .select([
      'n.id',
      'n.text',
      'n.href',
      'n.created_at',
      'n.read_at',
      'n.mail_job_id',
      'j.status',
      'j.attempts',
      'd.state as delivery',
    ])
    .where('n.user_id', '=', userId);
  if (options.unreadOnly) q = q.where('n.read_at', 'is', null);
  const before = options.before;
  if (before)
    q = q.where((eb) =>
      eb.or([
        eb('n.created_at', '<', before.at),
        eb.and([eb('n.created_at', '=', before.at), eb('n.id', '<', before.id)]),
      ]),
    );
  const rows = await q
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(options.limit ?? INBOX_PAGE_SIZE)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    text: r.text,
    href: r.href,
    createdAt: Number(r.created_at),
    read: r.read_at !== null,
    email: emailState(
      r.mail_job_id,
      r.status ? { status: r.status, attempts: Number(r.attempts ?? 0) } : null,
      Number(r.created_at),
      Date.now(),
      r.delivery,
    ),
  }));
}

export async function hasUnread(db: Db, userId: string): Promise<boolean> {
  const row = await db
    .selectFrom('notifications')
    .select('id')
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export async function unreadCount(db: Db, userId: string): Promise<number> {
  const row = await db
    .selectFrom('notifications')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Marks every notification of the person read; returns how many were unread. */
export async function markAllRead(db: Db, userId: string): Promise<number> {
  const result = await db
    .updateTable('notifications')
    .set({ read_at: Date.now() })
    .where('user_id', '=', userId)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
