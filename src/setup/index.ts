/** The setup feature's public face: what other folders may use of it. */

export { setupFeature } from './feature.js';
export { setupRoutes } from './routes.js';
export { issueSetupToken } from './service.js';
