/** The sharing feature's public face: what other folders may use of it. */
export { assignRoutes } from './assign-routes.js';
export { entityAccessRoutes } from './entity-routes.js';
export { sharingFeature } from './feature.js';
