/**
 * Reading the email queue for the Outbox page: mail jobs newest first with keyset paging (stable
 * while new email is queued), and one job with the development outbox's copy of its message.
 */
import type { Db } from '../db/connect.js';
import type { JobStatus } from '../db/schema.js';
import type { MailSummary } from './send.js';

export const OUTBOX_PAGE_SIZE = 50;

export interface MailJob extends MailSummary {
  id: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  runAt: number;
  lockedUntil: number | null;
  lastError: string | null;
  createdAt: number;
  doneAt: number | null;
}

type JobRow = {
  id: string;
  payload: string;
  status: JobStatus;
  attempts: number;
  max_attempts: number;
  run_at: number;
  locked_until: number | null;
  last_error: string | null;
  created_at: number;
  done_at: number | null;
};

/** A queued job still holds the whole email; a finished one its summary. Either way: who, what. */
function toMailJob(row: JobRow): MailJob {
  const p = JSON.parse(row.payload) as Partial<MailSummary>;
  return {
    id: row.id,
    to: String(p.to ?? ''),
    subject: String(p.subject ?? ''),
    kind: String(p.kind ?? ''),
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    runAt: row.run_at,
    lockedUntil: row.locked_until,
    lastError: row.last_error,
    createdAt: row.created_at,
    doneAt: row.done_at,
  };
}

const COLUMNS = [
  'id',
  'payload',
  'status',
  'attempts',
  'max_attempts',
  'run_at',
  'locked_until',
  'last_error',
  'created_at',
  'done_at',
] as const;

export async function listMailJobs(db: Db, before?: { at: number; id: string }) {
  let q = db.selectFrom('jobs').select(COLUMNS).where('kind', '=', 'mail.send');
  if (before)
    q = q.where((eb) =>
      eb.or([
        eb('created_at', '<', before.at),
        eb.and([eb('created_at', '=', before.at), eb('id', '<', before.id)]),
      ]),
    );
  const rows = await q
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(OUTBOX_PAGE_SIZE + 1)
    .execute();
  const jobs = rows.slice(0, OUTBOX_PAGE_SIZE).map(toMailJob);
  const last = jobs.at(-1);
  return { jobs, next: rows.length > OUTBOX_PAGE_SIZE && last ? `${last.createdAt}.${last.id}` : null };
}

export async function findMailJob(db: Db, id: string) {
  const row = await db
    .selectFrom('jobs')
    .select(COLUMNS)
    .where('kind', '=', 'mail.send')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return null;
  const message = await db.selectFrom('outbox_messages').selectAll().where('id', '=', id).executeTakeFirst();
  return { job: toMailJob(row), message: message ?? null };
}
