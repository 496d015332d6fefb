/**
 * Builds the Hono app from its dependencies: middleware in request order, then each feature's
 * routes. No globals: tests build as many apps as they like, each over its own database.
 */
import { Hono } from 'hono';
import { auditRoutes } from './audit/routes.js';
import {
  accountRoutes,
  forgotPasswordRoutes,
  sessionMiddleware,
  signInLinkRoutes,
  signInRoutes,
} from './auth/index.js';
import { clientPortalFeature, portalRoutes, portalShareRoutes } from './client-portal/index.js';
import { contactRoutes } from './contacts/index.js';
import { pingDatabase } from './db/connect.js';
import { entityRoutes } from './entities/index.js';
import { contactGroupRoutes, groupRoutes } from './groups/index.js';
import { homeRoutes } from './home/index.js';
import { createHost, type Feature } from './host/index.js';
import type { AppDeps } from './http/context.js';
import { errorHandler, notFound } from './http/errors.js';
import { flashMiddleware } from './http/flash.js';
import { organizationCache, organizationMiddleware } from './http/organization.js';
import { requestContext } from './http/request-context.js';
import { formSizeLimit, originCheck, securityHeaders } from './http/security.js';
import { staticRoutes } from './http/static.js';
import { strictAddress } from './http/strict-input.js';
import { IMPORT_BODY_LIMITS, importRoutes } from './import/index.js';
import { isHttps } from './kernel/config.js';
import { outboxRoutes } from './mail/routes.js';
import { notificationsFeature, notifyRecipientRoutes } from './notifications/index.js';
import { publicRoute, verifyAuthorized } from './permissions/index.js';
import { portalsFeature, portalsRoutes } from './portals/index.js';
import { roleRoutes } from './roles/index.js';
import { settingsRoutes } from './settings/index.js';
import { setupRoutes } from './setup/index.js';
import { assignRoutes, entityAccessRoutes, sharingFeature } from './sharing/index.js';
import { staffRoutes } from './staff/index.js';

export type { AppDeps } from './http/context.js';

/** The largest form body accepted (the CSV import allows more: IMPORT_BODY_LIMITS). */
export const MAX_FORM_BYTES = 64 * 1024;

/** The features that fill other features' slots, in the order their parts show. */
const FEATURES: readonly Feature[] = [
  clientPortalFeature,
  notificationsFeature,
  portalsFeature,
  sharingFeature,
];

export function createApp(appDeps: AppDeps): Hono {
  const { config, db, log } = appDeps;
  const deps = { ...appDeps, host: createHost(appDeps, FEATURES) };
  const secure = isHttps(config);
  const app = new Hono();

  app.use(requestContext({ log, trustProxy: config.trustProxy }));
  app.use(securityHeaders({ https: secure }));
  app.use(verifyAuthorized(log));
  app.use(strictAddress);
  app.use(originCheck({ baseUrl: config.baseUrl }));
  app.use(formSizeLimit(MAX_FORM_BYTES, IMPORT_BODY_LIMITS));
  app.route('/', staticRoutes());
  app.get('/healthz', publicRoute, async (c) => {
    try {
      await pingDatabase(db);
      return c.json({ status: 'ok', database: 'ok' });
    } catch (error) {
      log.error('health check failed', { error });
      return c.json({ status: 'error', database: 'unreachable' }, 503);
    }
  });
  const organization = organizationCache(db);
  app.use(organizationMiddleware(organization));
  app.use(flashMiddleware);
  app.use(sessionMiddleware({ db, secure }));

  app.route('/', setupRoutes(deps, organization));
  app.route('/', signInRoutes(deps));
  app.route('/', signInLinkRoutes(deps));
  app.route('/', forgotPasswordRoutes(deps));
  app.route('/', accountRoutes(deps));
  app.route('/', homeRoutes(deps));
  app.route('/', staffRoutes(deps));
  app.route('/', groupRoutes(deps));
  // Before the entity and contact routes: /entities/import is not an entity's id.
  app.route('/', importRoutes(deps));
  app.route('/', entityRoutes(deps));
  app.route('/', contactRoutes(deps));
  app.route('/', portalRoutes(deps));
  app.route('/', portalsRoutes(deps));
  app.route('/', contactGroupRoutes(deps));
  app.route('/', assignRoutes(deps));
  app.route('/', entityAccessRoutes(deps));
  app.route('/', portalShareRoutes(deps));
  app.route('/', notifyRecipientRoutes(deps));
  app.route('/', settingsRoutes(deps, organization));
  app.route('/', roleRoutes(deps));
  app.route('/', auditRoutes(deps));
  app.route('/', outboxRoutes(deps));

  app.notFound(notFound);
  app.onError(errorHandler(log));
  return app;
}
