/**
 * The Outbox pages: every email Portico queued, with where it stands, and one email's page. The
 * HTML part of a kept message is shown inside a sandboxed iframe (its own address with its own
 * CSP, /outbox/:id/html: no scripts, no forms, no same-origin access) and as escaped source, never
 * as markup of this page.
 */
import type { FC } from 'hono/jsx';
import { EmailAddress } from '../../views/email-address.js';
import { DataTable } from '../../views/table.js';
import type { OutboxMessageTable } from '../db/schema.js';
import { formatDateTime } from '../http/time.js';
import type { MailJob } from './queries.js';

/**
 * Where an email stands, in words. `kept`: the development outbox handled it, which keeps an email
 * rather than sending it, so "Sent" would not be true.
 */
export function mailStatus(job: MailJob, now: number, timeZone: string, kept: boolean): string {
  if (job.status === 'done') return kept ? 'Kept, not sent' : 'Sent';
  if (job.status === 'failed') return `Failed after ${job.attempts} attempt${job.attempts === 1 ? '' : 's'}`;
  if (job.lockedUntil !== null && job.lockedUntil > now) return 'Sending';
  if (job.attempts === 0) return 'Waiting to be sent';
  return `Will retry ${formatDateTime(job.runAt, timeZone)} (attempt ${job.attempts + 1} of ${job.maxAttempts})`;
}

const When: FC<{ at: number; timeZone: string }> = ({ at, timeZone }) => (
  <time datetime={new Date(at).toISOString()}>{formatDateTime(at, timeZone)}</time>
);

export const OutboxPage: FC<{
  jobs: MailJob[];
  next: string | null;
  transport: string;
  isOutbox: boolean;
  now: number;
  timeZone: string;
}> = (p) => (
  <section id="outbox">
    <h1>Outbox</h1>
    {p.isOutbox ? (
      <p>
        No email transport is configured, so emails are kept here in the development outbox and not sent. Set
        RESEND_API_KEY or SMTP_URL to send them.
      </p>
    ) : (
      <p>Emails are sent through {p.transport}. Failed emails stay listed with the reason.</p>
    )}
    <form method="post" action="/outbox/test">
      <button type="submit" class="secondary">
        Send a test email to yourself
      </button>
    </form>
    <DataTable
      caption={`Emails, newest first (times in ${p.timeZone})`}
      columns={['Queued', 'To', 'Subject', 'Status']}
    >
      <tbody>
        {p.jobs.length === 0 ? (
          <tr>
            <td colspan={4}>No emails yet.</td>
          </tr>
        ) : (
          p.jobs.map((job) => (
            <tr>
              <td>
                <When at={job.createdAt} timeZone={p.timeZone} />
              </td>
              <td>
                <EmailAddress address={job.to} />
              </td>
              <td>
                <a href={`/outbox/${job.id}`}>{job.subject || '(no subject)'}</a>
              </td>
              <td>{mailStatus(job, p.now, p.timeZone, p.isOutbox)}</td>
            </tr>
          ))
        )}
      </tbody>
    </DataTable>
    <nav class="pager" aria-label="Pages">
      <a href="/outbox">Newest emails</a>
      {p.next ? <a href={`/outbox?before=${p.next}`}>Older emails</a> : null}
    </nav>
  </section>
);

export const MessagePage: FC<{
  job: MailJob;
  message: OutboxMessageTable | null;
  now: number;
  timeZone: string;
}> = ({ job, message, now, timeZone }) => (
  <section id="outbox-message">
    <p>
      <a href="/outbox">Back to the Outbox</a>
    </p>
    <h1>{job.subject || '(no subject)'}</h1>
    <dl>
      <dt>To</dt>
      <dd>{job.to}</dd>
      {message ? (
        <>
          <dt>From</dt>
          <dd>{message.from_address}</dd>
        </>
      ) : null}
      {message?.reply_to ? (
        <>
          <dt>Reply to</dt>
          <dd>{message.reply_to}</dd>
        </>
      ) : null}
      <dt>Kind</dt>
      <dd>{job.kind}</dd>
      <dt>Queued</dt>
      <dd>
        <When at={job.createdAt} timeZone={timeZone} />
      </dd>
      <dt>Status</dt>
      <dd>{mailStatus(job, now, timeZone, Boolean(message))}</dd>
      {job.lastError ? (
        <>
          <dt>Last error</dt>
          <dd>{job.lastError}</dd>
        </>
      ) : null}
    </dl>
    {message ? (
      <>
        <section aria-labelledby="text-part">
          <h2 id="text-part">Text part</h2>
          <pre class="email-text">{message.text_body}</pre>
        </section>
        <h2>HTML part</h2>
        <iframe
          class="email-html"
          title="The HTML part of the email"
          sandbox=""
          referrerpolicy="no-referrer"
          src={`/outbox/${job.id}/html`}
        />
        <details>
          <summary>HTML source</summary>
          <pre class="email-text">{message.html_body}</pre>
        </details>
      </>
    ) : (
      <p>
        Portico keeps the content of an email only in the development outbox: an email for a real transport
        may carry a sign-in link, so once sent only who it was to and its subject are kept.
      </p>
    )}
  </section>
);
