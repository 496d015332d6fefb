/** The portals feature's public face: what other folders may use of it. */
export { portalsFeature } from './feature.js';
export { portalsRoutes } from './routes.js';
