/** The staff feature's public face: what other folders may use of it. */

export { staffFeature } from './feature.js';
export { findStaff, listStaff } from './queries.js';
export { staffRoutes } from './routes.js';
export { RoleCheckboxes, type RoleChoice, StaffTable } from './views.js';
