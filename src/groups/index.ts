/** The groups feature's public face: what other folders may use of it. */
export { contactGroupRoutes } from './contact-routes.js';
export { groupsFeature } from './feature.js';
export { type ContactChoice, contactChoices, findGroup } from './queries.js';
export { groupRoutes } from './routes.js';
