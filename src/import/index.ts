/** The import feature's public face: what other folders may use of it. */

export { importFeature } from './feature.js';
export { IMPORT_BODY_LIMITS, importRoutes } from './routes.js';
