/**
 * The client's side (the portal contacts sign in to), and "Share in Client Portal" on an entity's
 * People and access tab.
 */
import { defineFeature } from '../host/index.js';
import { pendingInvitationsPanel } from './home-panel.js';
import { portalRoutes } from './routes.js';
import { portalShareFor } from './share.js';
import { portalShareRoutes } from './share-routes.js';
import { PortalShareForm } from './share-views.js';

export const clientPortalFeature = defineFeature({
  id: 'client-portal',
  register(r, deps) {
    const { db } = deps;
    r.routes(portalRoutes(deps));
    r.routes(portalShareRoutes(deps));
    r.slot('home.panels', pendingInvitationsPanel(deps), 20);
    // Contacts have their own side: the portal, and no staff navigation at all.
    r.nav({ href: '/portal', label: 'Client portal', audience: 'contact', order: 0 });
    r.slot('entity.access', async ({ actor, entity }) => {
      const share = await portalShareFor(db, actor, entity);
      return share ? <PortalShareForm {...share} /> : null;
    });
  },
});
