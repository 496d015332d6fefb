/**
 * Gives each request an id (echoed in X-Request-Id and every log line) and logs one line when it
 * ends: method, route pattern (never the raw path, which may carry a one-time token), status, time.
 * The client's address is worked out only when a route asks for it (sign-in throttling).
 */
import { randomUUID } from 'node:crypto';
import { getConnInfo } from '@hono/node-server/conninfo';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../kernel/log.js';
import { baseHeaders } from './security.js';

export function requestContext(options: { log: Logger; trustProxy: boolean }): MiddlewareHandler {
  const { log, trustProxy } = options;
  return async function requestContext(c, next) {
    const start = performance.now();
    const requestId = randomUUID().slice(24);
    c.set('requestId', requestId);
    c.set('clientIp', clientIp);
    baseHeaders(c)('X-Request-Id', requestId);
    await next();
    if (!log.enabled('info')) return;
    log.info('request', {
      requestId,
      method: c.req.method,
      route: routePath(c, -1),
      status: c.res.status,
      ms: Math.round((performance.now() - start) * 10) / 10,
      user: c.get('actor')?.user.id,
      // The deepest handler the request reached (a route's, or the middleware that answered it),
      // and whether a route answered (public / checked) or the request was stopped before one.
      reached: routePath(c),
      authz: c.get('authz'),
    });

    function clientIp(): string {
      if (trustProxy) {
        // The right-most entry is the one our own proxy appended; entries left of it are whatever
        // the client chose to send.
        const forwarded = c.req.header('X-Forwarded-For')?.split(',').at(-1)?.trim();
        if (forwarded) return forwarded;
      }
      try {
        return getConnInfo(c).remote.address ?? 'unknown';
      } catch {
        return 'unknown';
      }
    }
  };
}
