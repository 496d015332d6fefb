/**
 * /notifications: the signed-in staff member's own notifications, newest first, each with what
 * became of its email; POST /notifications/read marks them all read. Only ever one's own: the
 * queries take the person from the session, never from the request.
 */
import { Hono } from 'hono';
import { parseCursor } from '../audit/queries.js';
import type { AppDeps } from '../http/context.js';
import { setFlash } from '../http/flash.js';
import { query } from '../http/forms.js';
import { page } from '../http/render.js';
import { describeTransport } from '../mail/transport.js';
import { Forbidden, requireSignedIn, signedInRoute } from '../permissions/index.js';
import { INBOX_PAGE_SIZE, inboxOf, markAllRead, unreadCount } from './inbox.js';
import { NotificationsPage } from './inbox-views.js';

export function inboxRoutes({ db, config }: AppDeps): Hono {
  const app = new Hono();
  const staff = (c: Parameters<typeof requireSignedIn>[0]) => {
    const actor = requireSignedIn(c);
    if (actor.user.kind !== 'staff') throw new Forbidden();
    return actor;
  };

  app.get('/notifications', signedInRoute, async (c) => {
    const actor = staff(c);
    const items = await inboxOf(db, actor.user.id, {
      before: parseCursor(query(c, 'before')),
      limit: INBOX_PAGE_SIZE + 1,
    });
    const shown = items.slice(0, INBOX_PAGE_SIZE);
    const last = shown.at(-1);
    const next = items.length > INBOX_PAGE_SIZE && last ? `${last.createdAt}.${last.id}` : null;
    return page(
      c,
      'Notifications',
      <NotificationsPage
        items={shown}
        unread={await unreadCount(db, actor.user.id)}
        next={next}
        timeZone={c.get('organization')?.time_zone ?? 'UTC'}
        accepter={describeTransport(config)}
      />,
    );
  });

  app.post('/notifications/read', signedInRoute, async (c) => {
    const actor = staff(c);
    const marked = await markAllRead(db, actor.user.id);
    setFlash(c, 'success', marked ? 'Every notification is marked as read.' : 'Nothing was unread.');
    return c.redirect('/notifications', 303);
  });

  return app;
}
