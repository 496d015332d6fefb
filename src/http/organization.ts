/**
 * Loads the firm for every request and, until first-run setup is done, sends every page to
 * /setup, so nothing else of a fresh install can be used before its first Admin exists.
 * The firm's row is kept in memory for a moment: it changes rarely, and this process forgets it
 * at once when it changes it; other processes see a change within FRESH_MS.
 */
import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/connect.js';
import type { Organization } from '../db/schema.js';

const OPEN_BEFORE_SETUP = [/^\/setup$/, /^\/static\//, /^\/healthz$/];
const FRESH_MS = 2000;

export interface OrganizationCache {
  get(): Promise<Organization | null>;
  /** Call after changing the organization row. */
  forget(): void;
}

export function organizationCache(db: Db): OrganizationCache {
  let cached: { org: Organization | null; at: number } | null = null;
  return {
    async get() {
      const now = Date.now();
      if (cached && now - cached.at < FRESH_MS) return cached.org;
      const org =
        (await db.selectFrom('organization').selectAll().where('id', '=', 1).executeTakeFirst()) ?? null;
      cached = { org, at: now };
      return org;
    },
    forget() {
      cached = null;
    },
  };
}

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
