/** The roles feature's public face: what other folders may use of it. */
export { roleRoutes } from './routes.js';
