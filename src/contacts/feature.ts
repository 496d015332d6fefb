/** The firm's contacts: the people at its clients, and "Add a contact" on a client's Overview. */
import { defineFeature } from '../host/index.js';
import { canAnywhere, mayCreateContactAt } from '../permissions/index.js';
import { contactRoutes } from './routes.js';

export const contactsFeature = defineFeature({
  id: 'contacts',
  register(r, deps) {
    r.routes(contactRoutes(deps));
    r.nav({
      href: '/contacts',
      label: 'Contacts',
      audience: 'staff',
      visible: (actor) => canAnywhere(actor, 'contact.summary:R'),
      order: 20,
    });
    r.slot(
      'entity.links',
      ({ actor, entity }) =>
        mayCreateContactAt(actor, entity.id)
          ? [{ href: `/contacts/new?entity=${entity.id}`, label: 'Add a contact' }]
          : null,
      30,
    );
  },
});
