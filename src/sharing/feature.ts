/**
 * Sharing: "Who can see it" on an entity's page, and "Assign to clients" on the pages of the staff
 * members, contacts and groups roles can be given to.
 */
import { defineFeature } from '../host/index.js';
import { assignRoutes } from './assign-routes.js';
import { entityAccessRoutes } from './entity-routes.js';
import { accessLinks, assignLinks } from './links.js';

export const sharingFeature = defineFeature({
  id: 'sharing',
  register(r, deps) {
    r.routes(assignRoutes(deps));
    r.routes(entityAccessRoutes(deps));
    r.slot('entity.links', ({ actor, entity }) => accessLinks(actor, entity.id), 20);
    for (const page of ['staff.links', 'contact.links', 'group.links'] as const)
      r.slot(page, ({ actor, href, words }) => assignLinks(actor, href, words));
  },
});
