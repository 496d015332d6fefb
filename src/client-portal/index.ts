/** The client-portal feature's public face: what other folders may use of it. */
export { clientPortalFeature } from './feature.js';
export { portalAccessOf } from './queries.js';
export { portalRoutes } from './routes.js';
export { type Site, setPortalAccess } from './service.js';
export { portalShareRoutes } from './share-routes.js';
export {
  fileSharedLetter,
  noneTold,
  type TellOutcome,
  type TellSite,
  tellShared,
  tellWith,
  toldMessage,
} from './tell-shared.js';
export { PortalSwitch } from './views.js';
