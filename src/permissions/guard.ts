/**
 * The request-side door of the permission module. Every route either declares what it needs
 * (`publicRoute`: nothing; `signedInRoute`: a signed-in user, whoever they are) or asks the module
 * (`authorize`, `authorizeOrNotFound`, `requireStaff`, `requirePortalContact`); `verifyAuthorized`
 * turns a request that did none of these into a 500 with a loud log line (Pundit's
 * verify_authorized), in every environment, so a forgotten check can never quietly serve a page.
 * `requireSignedIn` only hands over the actor: a route that calls nothing else must say so with
 * `signedInRoute`, so "signed in is enough" is always a declaration, never an accident.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { Logger } from '../kernel/log.js';
import type { Actor } from './actor.js';
import { SYSTEM } from './actor.js';
import { can, type ScopeChain } from './can.js';
import type { Permission } from './catalog.js';
import { mayContinueUpload } from './files.js';

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

/**
 * Marks the route as one any signed-in user may use, staff or contact (their own account, the home
 * page's redirect); the anonymous are sent to sign in. The handler takes the actor with `requireSignedIn`.
 */
export const signedInRoute: MiddlewareHandler = async function signedInRoute(c, next) {
  // Set before refusing, so the anonymous caller's sign-in redirect is this route's answer, not a 500.
  c.set('authz', 'signed-in');
  requireSignedIn(c);
  await next();
};

/**
 * The signed-in actor, or Unauthenticated. Decides nothing: alone it does not count as
 * authorizing the request (declare the route `signedInRoute`, or ask a question below).
 */
export function requireSignedIn(c: Context): Actor {
  const actor = c.get('actor');
  if (!actor) throw new Unauthenticated();
  return actor;
}

/** The signed-in actor, with the request marked as decided here: for the checks of this module. */
export function checkedActor(c: Context): Actor {
  c.set('authz', 'checked');
  return requireSignedIn(c);
}

/** Any signed-in staff member may continue; contacts are refused. */
export function requireStaff(c: Context): Actor {
  const actor = checkedActor(c);
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

/**
 * Like `authorizeOrNotFound`, for the few routes staff and contacts share (a file's download): a
 * signed-in user of either kind, when `can` says yes on the target. A contact's roles are held to
 * the contact rule by `can` itself.
 */
export function authorizeAnyoneOrNotFound(c: Context, permission: Permission, chain: ScopeChain): Actor {
  const actor = checkedActor(c);
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
      `${c.req.method} ${routePath(c, -1)} neither authorized nor declared public or signed-in`,
    );
  };
}

/**
 * For a resumable upload's own routes (its chunks, progress, outcome, cancelling): the person who
 * started it, while they may still add files where it goes; anyone else, and a missing upload,
 * are answered alike.
 */
export function authorizeUploader(
  c: Context,
  upload: { user_id: string } | undefined,
  place: ScopeChain,
): Actor {
  const actor = checkedActor(c);
  if (!upload || !mayContinueUpload(actor, upload, place)) throw new NotFound();
  return actor;
}
