/** The notifications feature's public face: what other folders may use of it. */
export { notificationsFeature } from './feature.js';
export { notifyRecipientRoutes } from './routes.js';
