/** Staff groups and contact groups. */
import { defineFeature } from '../host/index.js';
import { can, canAnywhere } from '../permissions/index.js';
import { contactGroupRoutes } from './contact-routes.js';
import { groupRoutes } from './routes.js';

export const groupsFeature = defineFeature({
  id: 'groups',
  register(r, deps) {
    r.routes(groupRoutes(deps));
    r.routes(contactGroupRoutes(deps));
    r.nav({
      href: '/contact-groups',
      label: 'Contact groups',
      audience: 'staff',
      visible: (actor) => canAnywhere(actor, 'contact.summary:R'),
      order: 30,
    });
    // Who is in which group, with which roles, is part of Staff - Details.
    r.nav({
      href: '/groups',
      label: 'Staff groups',
      audience: 'staff',
      section: 'admin',
      visible: (actor) => can(actor, 'staff.details:R'),
      order: 60,
    });
  },
});
