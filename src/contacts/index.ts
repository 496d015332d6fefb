/** The contacts feature's public face: what other folders may use of it. */
export { resolveClient } from './client.js';
export { contactsFeature } from './feature.js';
export { type Contact, findContact } from './queries.js';
export { contactRoutes } from './routes.js';
export { type DetailsInput, detailsSchema, summarySchema } from './schema.js';
export { type ContactSummary, createContact } from './service.js';
