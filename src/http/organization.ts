/**
 * Loads the firm for every request and, until first-run setup is done, sends every page to
 * /setup, so nothing else of a fresh install can be used before its first Admin exists.
 * The row comes from a short-lived cache (src/db/organization-cache.ts).
 */
import type { MiddlewareHandler } from 'hono';
import type { OrganizationCache } from '../db/organization-cache.js';

const OPEN_BEFORE_SETUP = [/^\/setup$/, /^\/static\//, /^\/healthz$/];

export function organizationMiddleware(cache: OrganizationCache): MiddlewareHandler {
  return async function organization(c, next) {
    const org = await cache.get();
    c.set('organization', org);
    if (!org && !OPEN_BEFORE_SETUP.some((re) => re.test(c.req.path))) {
      c.set('authz', 'public');
      return c.redirect('/setup', 302);
    }
    return next();
  };
}
