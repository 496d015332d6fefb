/** The firm's clients, cases or matters. */
import { defineFeature } from '../host/index.js';
import { canAnywhere } from '../permissions/index.js';
import { recentEntitiesPanel } from './home-panel.js';
import { entityRoutes } from './routes.js';

export const entitiesFeature = defineFeature({
  id: 'entities',
  register(r, deps) {
    r.routes(entityRoutes(deps));
    r.slot('home.panels', recentEntitiesPanel(deps), 10);
    r.nav({
      href: '/entities',
      label: (words) => words.many,
      audience: 'staff',
      visible: (actor) => canAnywhere(actor, 'entity.summary:R'),
      order: 10,
    });
  },
});
