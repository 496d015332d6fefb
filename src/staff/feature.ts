/** The firm's staff: the directory, each member's page, invitations. */
import { defineFeature } from '../host/index.js';
import { can } from '../permissions/index.js';
import { staffRoutes } from './routes.js';

export const staffFeature = defineFeature({
  id: 'staff',
  register(r, deps) {
    r.routes(staffRoutes(deps));
    r.nav({
      href: '/staff',
      label: 'Staff',
      audience: 'staff',
      section: 'admin',
      visible: (actor) => can(actor, 'staff.summary:R'),
      order: 50,
    });
  },
});
