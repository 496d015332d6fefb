/** What the client's side adds to staff pages: "Share in Client Portal" on an entity's page. */
import { defineFeature } from '../host/index.js';
import { portalShareFor } from './share.js';
import { PortalShareForm } from './share-views.js';

export const clientPortalFeature = defineFeature({
  id: 'client-portal',
  register(r, { db }) {
    r.slot('entity.panels', async ({ actor, entity }) => {
      const share = await portalShareFor(db, actor, entity);
      return share ? <PortalShareForm {...share} /> : null;
    });
  },
});
