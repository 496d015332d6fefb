/**
 * Notifications: Client Portal Notifications (who of the staff hears of a client's activity), and
 * each person's own notifications, in the app and by email, with what became of the email.
 */
import { VersionedCache } from '../db/versioned-cache.js';
import { defineFeature } from '../host/index.js';
import { describeTransport } from '../mail/transport.js';
import { tellOfClientUpload } from './client-uploads.js';
import { hasUnread, inboxOf, unreadCount } from './inbox.js';
import { inboxRoutes } from './inbox-routes.js';
import { UnreadPanel } from './inbox-views.js';
import { notifyRecipientLinks } from './links.js';
import { notifyRecipientRoutes } from './routes.js';

const PANEL_SHOWS = 5;

export const notificationsFeature = defineFeature({
  id: 'notifications',
  register(r, deps) {
    r.routes(notifyRecipientRoutes(deps));
    r.routes(inboxRoutes(deps));
    r.slot('entity.links', ({ actor, entity }) => notifyRecipientLinks(actor, entity.id), 10);
    r.on('files.client_uploaded', tellOfClientUpload(deps.config.baseUrl));
    r.nav({ href: '/notifications', label: 'Notifications', audience: 'staff', order: 5 });
    // Whether each person has anything unread, until a notification is written or read: most visits
    // to the home page find nothing, and then ask the database nothing. The list itself is read
    // afresh, since what became of each email moves with the mail queue, not with this count.
    const anyUnread = new VersionedCache<boolean>(1000);
    r.slot(
      'home.panels',
      async ({ actor, counts, timeZone }) => {
        const userId = actor.user.id;
        const unreadSome = await anyUnread.get(userId, counts.notifications, () =>
          hasUnread(deps.db, userId),
        );
        if (!unreadSome) return null;
        const items = await inboxOf(deps.db, userId, { unreadOnly: true, limit: PANEL_SHOWS });
        if (!items.length) return null;
        const unread = items.length < PANEL_SHOWS ? items.length : await unreadCount(deps.db, userId);
        const accepter = describeTransport(deps.config);
        return {
          id: 'notifications',
          title: 'New notifications',
          body: <UnreadPanel items={items} unread={unread} timeZone={timeZone} accepter={accepter} />,
        };
      },
      5,
    );
  },
});
