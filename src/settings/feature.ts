/** The firm's settings: its name, its word for an entity, its time zone. */
import { defineFeature } from '../host/index.js';
import { can } from '../permissions/index.js';
import { settingsRoutes } from './routes.js';

export const settingsFeature = defineFeature({
  id: 'settings',
  register(r, deps) {
    r.routes(settingsRoutes(deps));
    r.nav({
      href: '/settings',
      label: 'Settings',
      audience: 'staff',
      section: 'admin',
      visible: (actor) => can(actor, 'organization:R'),
      order: 70,
    });
  },
});
