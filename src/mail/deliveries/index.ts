/** Mail deliveries' public face: what the app, the mail worker and notifications use of it. */
export { mailDeliveriesFeature } from './feature.js';
export { RESEND_WEBHOOK_PATH, WEBHOOK_BODY_LIMITS } from './routes.js';
export { recordSent } from './service.js';
export type { DeliveryState } from './state.js';
