/** The firm's contacts: the people at its clients. */
import { defineFeature } from '../host/index.js';
import { canAnywhere } from '../permissions/index.js';
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
  },
});
