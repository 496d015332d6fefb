/** The entities feature's public face: what other folders may use of it. */

export { entitiesFeature } from './feature.js';
export { type EntityChoice, entitiesById, entityChoices, findEntity } from './queries.js';
export { entityRoutes } from './routes.js';
export {
  type DetailsInput,
  detailsSchema,
  ENTITY_KINDS,
  type SummaryInput,
  summarySchema,
} from './schema.js';
export { createEntity } from './service.js';
export type { EntityFact, EntitySlotProps, EntityTab, WorkspacePage } from './slots.js';
export { entityWorkspace, visibleEntity } from './workspace.js';
