/**
 * Builds the Hono app from its dependencies: middleware in request order, then the routes the
 * features registered (src/features.ts). No globals: tests build as many apps as they like, each
 * over its own database.
 */
import { Hono } from 'hono';
import { sessionMiddleware } from './auth/index.js';
import { pingDatabase } from './db/connect.js';
import { type OrganizationCache, organizationCache } from './db/organization-cache.js';
import { FEATURES } from './features.js';
import { uploadBodyLimits } from './files/index.js';
import { createHost, type Feature, type Host } from './host/index.js';
import type { AppDeps } from './http/context.js';
import { errorHandler, notFound } from './http/errors.js';
import { flashMiddleware } from './http/flash.js';
import { organizationMiddleware } from './http/organization.js';
import { requestContext } from './http/request-context.js';
import { formSizeLimit, originCheck, securityHeaders } from './http/security.js';
import { staticRoutes } from './http/static.js';
import { strictAddress } from './http/strict-input.js';
import { themeStylesheet } from './http/theme.js';
import { IMPORT_BODY_LIMITS } from './import/index.js';
import { isHttps } from './kernel/config.js';
import { RESEND_WEBHOOK_PATH, WEBHOOK_BODY_LIMITS } from './mail/deliveries/index.js';
import { publicRoute, verifyAuthorized } from './permissions/index.js';
import { type Plugins, pluginsFrom } from './plugins/index.js';

export type { AppDeps } from './http/context.js';

/** The largest form body accepted (the CSV import allows more: IMPORT_BODY_LIMITS). */
export const MAX_FORM_BYTES = 64 * 1024;

/** What one process runs: the features' and plugins' registrations, shared by the app and the worker. */
export interface Assembly {
  host: Host;
  organization: OrganizationCache;
  plugins: Plugins;
}

/**
 * The `core` features, `extra` ones (tests) and `plugins` (none by default) over these dependencies.
 * Throws, naming it, when a service the kernel promises has no provider among them.
 */
export function assemble(
  deps: AppDeps,
  plugins: Plugins = pluginsFrom([], deps.db),
  extra: readonly Feature[] = [],
  core: readonly Feature[] = FEATURES,
): Assembly {
  const organization = organizationCache(deps.db);
  const host = createHost({ ...deps, organization }, [...core, ...extra, ...plugins.features]);
  host.services.requireAll();
  return { host, organization, plugins };
}

export function createApp(deps: AppDeps, assembly: Assembly = assemble(deps)): Hono {
  const { config, db, log } = deps;
  const { host, organization, plugins } = assembly;
  const secure = isHttps(config);
  const app = new Hono();

  app.use(requestContext({ log, trustProxy: config.trustProxy }));
  app.use(securityHeaders({ https: secure }));
  app.use(verifyAuthorized(log));
  app.use(strictAddress);
  // Resend's webhooks come from its servers, not a page of ours: their signature is their proof.
  app.use(originCheck({ baseUrl: config.baseUrl, serverToServer: [RESEND_WEBHOOK_PATH] }));
  app.use(
    formSizeLimit(
      MAX_FORM_BYTES,
      { ...IMPORT_BODY_LIMITS, ...WEBHOOK_BODY_LIMITS },
      uploadBodyLimits(config),
    ),
  );
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
  app.use(organizationMiddleware(organization));
  app.use(async (c, next) => {
    c.set('host', host);
    // Whether each plugin is configured decides what it shows on this page.
    await plugins.refresh();
    await next();
  });
  app.get('/theme.css', publicRoute, themeStylesheet);
  app.use(flashMiddleware);
  app.use(sessionMiddleware({ db, secure }));

  for (const mounted of host.routes) app.route(mounted.prefix, mounted.app);

  app.notFound(notFound);
  app.onError(errorHandler(log));
  return app;
}
