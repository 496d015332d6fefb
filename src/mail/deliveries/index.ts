/** Mail deliveries' public face: what the app, the mail worker and notifications use of it. */
export { recordSent } from './queries.js';
export type { DeliveryState } from './state.js';
