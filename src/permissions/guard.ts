/**
 * The request-side door of the permission module. Every route either declares itself public
 * (`publicRoute`) or calls `authorize`/`requireSignedIn`; `verifyAuthorized` turns a request
 * that did neither into a 500 with a loud log line (Pundit's verify_authorized), in every
 * environment, so a forgotten check can never quietly serve a page.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../kernel/log.js';
import type { Actor } from './actor.js';
import { SYSTEM } from './actor.js';
import { can, type ScopeChain } from './can.js';
import type { Permission } from './catalog.js';

/** The caller is not signed in: they are sent to the sign-in page. */
export class Unauthenticated extends Error {
  constructor() {
    super('Sign in required');
  }
}

/** The caller is signed in but may not do this. */
export class Forbidden extends Error {
  constructor() {
    super('Forbidden');
  }
}

/** Thrown for an id the actor may not see, so it answers exactly like an id that does not exist. */
export class NotFound extends Error {
  constructor() {
    super('Not found');
  }
}

export class UnauthorizedRouteError extends Error {}

/** Marks the route public: it needs no sign-in and decides nothing about access. */
export const publicRoute: MiddlewareHandler = async function publicRoute(c, next) {
  c.set('authz', 'public');
  await next();
};

/** Any signed-in staff or contact may continue; returns the actor. */
export function requireSignedIn(c: Context): Actor {
  c.set('authz', 'checked');
  const actor = c.get('actor');
  if (!actor) throw new Unauthenticated();
  return actor;
}

/** Any signed-in staff member may continue; contacts are refused. */
export function requireStaff(c: Context): Actor {
  const actor = requireSignedIn(c);
  if (actor.user.kind !== 'staff') throw new Forbidden();
  return actor;
}

/**
 * Refuses unless the signed-in staff member holds `permission` on the target's scope chain. Every
 * role-guarded route so far is a staff page: a contact is refused here whatever their roles carry,
 * so a contact role can never open one.
 * @example const actor = authorize(c, 'staff:C');
 */
export function authorize(c: Context, permission: Permission, chain: ScopeChain = [SYSTEM]): Actor {
  const actor = requireStaff(c);
  if (!can(actor, permission, chain)) throw new Forbidden();
  return actor;
}

/** Like `authorize`, but a refusal looks exactly like a missing object (for id-taking routes). */
export function authorizeOrNotFound(c: Context, permission: Permission, chain: ScopeChain = [SYSTEM]): Actor {
  const actor = requireStaff(c);
  if (!can(actor, permission, chain)) throw new NotFound();
  return actor;
}

export function verifyAuthorized(log: Logger): MiddlewareHandler {
  return async function verifyAuthorized(c, next) {
    await next();
    if (c.get('authz') !== undefined) return;
    log.error('route finished without authorize() or publicRoute', {
      requestId: c.get('requestId'),
      method: c.req.method,
      route: routePath(c, -1),
    });
    throw new UnauthorizedRouteError(
      `${c.req.method} ${routePath(c, -1)} neither authorized nor declared public`,
    );
  };
}
