/** The roles feature's public face: what other folders may use of it. */

export { rolesFeature } from './feature.js';
export { roleRoutes } from './routes.js';
