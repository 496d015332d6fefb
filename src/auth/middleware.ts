/**
 * Resolves the session cookie into an actor (user + role bindings) once per request, and re-sends
 * the cookie when the sliding expiry moved. An invalid cookie is cleared, never trusted. A contact
 * who may no longer enter the portal (their last role other than Associated was taken away) is
 * signed out by the same request, as a disabled user is: nobody stays signed in on a path they
 * could not sign in by.
 */
import type { MiddlewareHandler } from 'hono';
import type { Db } from '../db/connect.js';
import { actorLoader, mayEnterPortal } from '../permissions/index.js';
import {
  clearSessionCookie,
  invalidateSession,
  readSessionCookie,
  setSessionCookie,
  validateSessionToken,
} from './sessions.js';

export function sessionMiddleware(options: { db: Db; secure: boolean }): MiddlewareHandler {
  const { db, secure } = options;
  const loadActor = actorLoader(db);
  return async function session(c, next) {
    c.set('sessionId', null);
    c.set('actor', null);
    c.set('changeCounts', null);
    const token = readSessionCookie(c, secure);
    if (token) {
      const session = await validateSessionToken(db, token);
      if (!session) clearSessionCookie(c, secure);
      else {
        const actor = await loadActor(session.user, session.changeCounts.permissions);
        if (actor.user.kind === 'contact' && !mayEnterPortal(actor)) {
          await invalidateSession(db, session.id);
          clearSessionCookie(c, secure);
        } else {
          c.set('sessionId', session.id);
          c.set('changeCounts', session.changeCounts);
          c.set('actor', actor);
          if (session.renewed) setSessionCookie(c, token, session.expiresAt, secure);
        }
      }
    }
    await next();
  };
}
