/** The settings feature's public face: what other folders may use of it. */

export { settingsFeature } from './feature.js';
export { settingsRoutes } from './routes.js';
export { ENTITY_LABELS, settingsFields, timeZones } from './schema.js';
export type { SettingsLink } from './slots.js';
