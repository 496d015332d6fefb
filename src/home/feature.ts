/** The staff home page. */
import { defineFeature } from '../host/index.js';
import { homeRoutes } from './routes.js';

export const homeFeature = defineFeature({
  id: 'home',
  register(r, deps) {
    r.routes(homeRoutes(deps));
    r.nav({ href: '/', label: 'Home', audience: 'staff', order: 0 });
  },
});
