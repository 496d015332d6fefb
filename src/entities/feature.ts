/** The firm's clients, cases or matters, and the workspace each one opens into. */
import { defineFeature } from '../host/index.js';
import { canAnywhere } from '../permissions/index.js';
import { recentEntitiesPanel } from './home-panel.js';
import { entityRoutes } from './routes.js';
import { overviewTab, settingsTab } from './tabs.js';
import { entityWorkspace, visibleEntity } from './workspace.js';

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
    r.slot('entity.tabs', ({ actor, entity }) => overviewTab(actor, entity), 0);
    r.slot('entity.tabs', ({ actor, entity }) => settingsTab(actor, entity), 90);
    // For plugins, which have only the entity's id: the frame loads it, refusing as a missing one.
    r.frame('entity.workspace', async (c, { entityId, ...page }) => {
      const { actor, entity } = await visibleEntity(deps.db, c, entityId);
      return entityWorkspace(c, { actor, entity, ...page });
    });
  },
});
