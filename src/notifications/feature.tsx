/**
 * Notifications: Client Portal Notifications (who of the staff hears of a client's activity), and
 * each person's own notifications, in the app and by email, with what became of the email.
 */
import { defineFeature } from '../host/index.js';
import { describeTransport } from '../mail/transport.js';
import { tellOfClientUpload } from './client-uploads.js';
import { inboxOf, unreadCount } from './inbox.js';
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
    r.slot(
      'home.panels',
      async ({ actor, timeZone }) => {
        const items = await inboxOf(deps.db, actor.user.id, { unreadOnly: true, limit: PANEL_SHOWS });
        if (!items.length) return null;
        const unread = items.length < PANEL_SHOWS ? items.length : await unreadCount(deps.db, actor.user.id);
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
