/** The home feature's public face: what other folders may use of it. */
export { homeRoutes } from './routes.js';
