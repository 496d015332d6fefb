/** The notifications page, and the home page's panel of the unread ones. */
import type { FC } from 'hono/jsx';
import { Form } from '../../views/forms.js';
import { formatDateTime } from '../http/time.js';
import type { EmailState, Notification } from './inbox.js';

/** What became of the email, in words: what the queue and Resend's webhooks know, never more. */
export function emailWords(state: EmailState, accepter: string): string | null {
  switch (state) {
    case 'none':
      return null;
    case 'queued':
      return 'Email queued, not sent yet';
    case 'retrying':
      return 'Email not sent yet: the last try failed, it will be tried again';
    case 'accepted':
      return accepter === 'the development outbox'
        ? 'Email kept in the development outbox, not sent'
        : `Email accepted by ${accepter}`;
    case 'failed':
      return 'Email failed: it could not be sent';
    case 'untracked':
      return 'Email sent or failed over a month ago';
    case 'delayed':
      return "Email delayed: the recipient's mail server has not taken it yet, Resend keeps trying";
    case 'delivered':
      return "Email delivered to the recipient's mail server";
    case 'complained':
      return 'Email delivered, then marked as spam by the recipient';
    case 'suppressed':
      return 'Email not sent: Resend holds back this address, which bounced or reported spam before';
    case 'bounced':
      return "Email bounced: the recipient's mail server refused it";
  }
}

export const NotificationList: FC<{ items: Notification[]; timeZone: string; accepter: string }> = ({
  items,
  timeZone,
  accepter,
}) => (
  <ul class="panel-list notifications">
    {items.map((n) => {
      const words = emailWords(n.email, accepter);
      return (
        <li class={n.read ? undefined : 'unread'}>
          {n.read ? null : <span class="status-label">New</span>} <a href={n.href}>{n.text}</a>{' '}
          <span class="muted">
            <time datetime={new Date(n.createdAt).toISOString()}>
              {formatDateTime(n.createdAt, timeZone)}
            </time>
            {words ? ` · ${words}` : ''}
          </span>
        </li>
      );
    })}
  </ul>
);

export const NotificationsPage: FC<{
  items: Notification[];
  unread: number;
  next: string | null;
  timeZone: string;
  accepter: string;
}> = ({ items, unread, next, timeZone, accepter }) => (
  <section class="stack" aria-labelledby="notifications-heading">
    <h1 id="notifications-heading">Notifications</h1>
    {items.length ? (
      <NotificationList items={items} timeZone={timeZone} accepter={accepter} />
    ) : (
      <p>Nothing yet. When a client sends files from the portal, you are told here and by email.</p>
    )}
    {next ? (
      <p>
        <a href={`/notifications?before=${next}`}>Older notifications</a>
      </p>
    ) : null}
    {unread ? (
      <Form action="/notifications/read">
        <button type="submit" class="secondary">
          Mark all as read ({unread} new)
        </button>
      </Form>
    ) : null}
  </section>
);

/** The home page's panel: the newest unread notifications, and the way to all of them. */
export const UnreadPanel: FC<{
  items: Notification[];
  unread: number;
  timeZone: string;
  accepter: string;
}> = ({ items, unread, timeZone, accepter }) => (
  <>
    <NotificationList items={items} timeZone={timeZone} accepter={accepter} />
    <p>
      <a href="/notifications">
        {unread > items.length ? `All ${unread} new notifications` : 'All notifications'}
      </a>
    </p>
  </>
);
