/**
 * Portals: their pages for staff; on a contact's page, the Client portal switch (with when they
 * last signed in) and the portals they are a member of, as far as the viewer may see them; and
 * under an entity's name in its workspace, the portal it is in.
 */
import { contactWhoMaySignIn } from '../auth/index.js';
import { PortalSwitch, portalAccessOf } from '../client-portal/index.js';
import { defineFeature } from '../host/index.js';
import { wordsFor } from '../http/entity-words.js';
import { formatDateTime } from '../http/time.js';
import { mayListPortals, visiblePortals } from '../permissions/index.js';
import { portalOfEntity, portalsOfMember } from './queries.js';
import { portalsRoutes } from './routes.js';
import { ACCESS_LABELS } from './schema.js';

export const portalsFeature = defineFeature({
  id: 'portals',
  register(r, deps) {
    const { db } = deps;
    r.routes(portalsRoutes(deps));
    // The seed's "Contacts → Portal list".
    r.nav({ href: '/portals', label: 'Portals', audience: 'staff', visible: mayListPortals, order: 40 });
    r.slot(
      'entity.header',
      async ({ actor, entity }) => {
        const portal = await portalOfEntity(db, entity.id, visiblePortals(db, actor, 'p.id'));
        return portal ? { label: 'Portal', text: portal.name, href: `/portals/${portal.id}` } : null;
      },
      50,
    );
    r.slot('contact.panels', async ({ c, actor, contact, mayEdit }) => {
      const on = await portalAccessOf(db, contact.id);
      return (
        <PortalSwitch
          contactId={contact.id}
          on={on}
          canSignIn={on && (await contactWhoMaySignIn(db, contact.id)) !== undefined}
          mayChange={mayEdit}
          lastSignedIn={
            contact.lastSignedInAt === null
              ? null
              : formatDateTime(contact.lastSignedInAt, c.get('organization')?.time_zone ?? 'UTC')
          }
          entityWord={wordsFor(c).lower}
          portals={(await portalsOfMember(db, contact.id, visiblePortals(db, actor, 'p.id'))).map((p) => ({
            ...p,
            access: ACCESS_LABELS[p.access],
          }))}
        />
      );
    });
  },
});
