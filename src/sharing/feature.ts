/**
 * Sharing: the People and access tab of an entity's workspace ("Who can see it", under the
 * entity's name, leads there), and "Assign to clients" on the pages of the staff members, contacts
 * and groups roles can be given to.
 */
import { defineFeature } from '../host/index.js';
import { assignRoutes } from './assign-routes.js';
import { entityAccessRoutes } from './entity-routes.js';
import { accessFacts, accessTab, assignLinks } from './links.js';

export const sharingFeature = defineFeature({
  id: 'sharing',
  register(r, deps) {
    r.routes(assignRoutes(deps));
    r.routes(entityAccessRoutes(deps));
    r.slot('entity.tabs', ({ actor, entity }) => accessTab(actor, entity.id), 80);
    const accessFact = accessFacts(deps.db);
    r.slot('entity.header', ({ actor, entity, counts }) => accessFact(actor, entity.id, counts), 80);
    for (const page of ['staff.links', 'contact.links', 'group.links'] as const)
      r.slot(page, ({ actor, href, words }) => assignLinks(actor, href, words));
  },
});
