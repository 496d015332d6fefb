/**
 * Loads the firm for every request and, until first-run setup is done, sends every page to
 * /setup, so nothing else of a fresh install can be used before its first Admin exists.
 */
import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/connect.js';

const OPEN_BEFORE_SETUP = [/^\/setup$/, /^\/static\//, /^\/healthz$/];

export function organizationMiddleware(db: Db): MiddlewareHandler {
  return async function organization(c, next) {
    const org =
      (await db.selectFrom('organization').selectAll().where('id', '=', 1).executeTakeFirst()) ?? null;
    c.set('organization', org);
    if (!org && !OPEN_BEFORE_SETUP.some((re) => re.test(c.req.path))) {
      c.set('authz', 'public');
      return c.redirect('/setup', 302);
    }
    return next();
  };
}
