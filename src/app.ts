/**
 * Builds the Hono app from its dependencies: middleware in request order, then each feature's
 * routes. No globals: tests build as many apps as they like, each over its own database.
 */
import { Hono } from 'hono';
import { assignRoutes } from './access/assign-routes.js';
import { entityAccessRoutes } from './access/entity-routes.js';
import { auditRoutes } from './audit/routes.js';
import { accountRoutes } from './auth/account-routes.js';
import { forgotPasswordRoutes } from './auth/forgot-routes.js';
import { signInLinkRoutes } from './auth/link-routes.js';
import { sessionMiddleware } from './auth/middleware.js';
import { signInRoutes } from './auth/routes.js';
import { isHttps } from './config.js';
import { contactRoutes } from './contacts/routes.js';
import { entityRoutes } from './entities/routes.js';
import { contactGroupRoutes } from './groups/contact-routes.js';
import { groupRoutes } from './groups/routes.js';
import type { AppDeps } from './http/context.js';
import { errorHandler, notFound } from './http/errors.js';
import { flashMiddleware } from './http/flash.js';
import { homeRoutes } from './http/home.js';
import { requestContext } from './http/request-context.js';
import { formSizeLimit, originCheck, securityHeaders } from './http/security.js';
import { staticRoutes } from './http/static.js';
import { strictAddress } from './http/strict-input.js';
import { IMPORT_BODY_LIMITS, importRoutes } from './import/routes.js';
import { outboxRoutes } from './mail/routes.js';
import { notifyRecipientRoutes } from './notifications/routes.js';
import { publicRoute, verifyAuthorized } from './permissions/guard.js';
import { portalRoutes } from './portal/routes.js';
import { portalShareRoutes } from './portal/share-routes.js';
import { portalsRoutes } from './portals/routes.js';
import { roleRoutes } from './roles/routes.js';
import { settingsRoutes } from './settings/routes.js';
import { organizationCache, organizationMiddleware } from './setup/gate.js';
import { setupRoutes } from './setup/routes.js';
import { staffRoutes } from './staff/routes.js';

export type { AppDeps } from './http/context.js';

/** The largest form body accepted (the CSV import allows more: IMPORT_BODY_LIMITS). */
export const MAX_FORM_BYTES = 64 * 1024;

export function createApp(deps: AppDeps): Hono {
  const { config, db, log } = deps;
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
      await db.selectFrom('organization').select('id').limit(1).execute();
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
