/** The home feature's public face: what other folders may use of it. */

export { homeFeature } from './feature.js';
export { homeRoutes } from './routes.js';
export type { HomePanel, HomePanelProps } from './slots.js';
