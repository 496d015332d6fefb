/** Role Permissions: the built-in roles' letters and the firm's custom roles (reached from Settings). */
import { defineFeature } from '../host/index.js';
import { roleRoutes } from './routes.js';

export const rolesFeature = defineFeature({
  id: 'roles',
  register(r, deps) {
    r.routes(roleRoutes(deps));
  },
});
