/** Role Permissions: the built-in roles' letters and the firm's custom roles (reached from Settings). */
import { defineFeature } from '../host/index.js';
import { can } from '../permissions/index.js';
import { roleRoutes } from './routes.js';

export const rolesFeature = defineFeature({
  id: 'roles',
  register(r, deps) {
    r.routes(roleRoutes(deps));
    // Role Permissions is read by whoever may read Settings (its routes ask organization:R).
    r.slot('settings.links', ({ actor }) =>
      can(actor, 'organization:R')
        ? {
            href: '/settings/roles',
            label: 'Role Permissions',
            about: 'every built-in and custom role, and what each may do',
          }
        : null,
    );
  },
});
