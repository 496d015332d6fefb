/**
 * Turns thrown errors into calm pages (or fragments for htmx): sign-in redirect, 400 for input that
 * cannot be read, 422 for a field sent twice, 403, 404, 500.
 * Internal errors are logged with the request id; the user sees only that id.
 */
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { ERRORS, ErrorPanel } from '../../views/errors.js';
import type { Logger } from '../kernel/log.js';
import { Forbidden, NotFound, Unauthenticated } from '../permissions/index.js';
import { isFragmentRequest, page } from './render.js';
import { CrossOriginRefused } from './security.js';
import { MalformedInput, RepeatedField } from './strict-input.js';

function errorResponse(
  c: Context,
  status: 400 | 403 | 404 | 422 | 500,
  e: { title: string; message: string } = status in ERRORS
    ? ERRORS[status as keyof typeof ERRORS]
    : ERRORS[500],
) {
  const panel = (
    <ErrorPanel
      status={status}
      title={e.title}
      message={e.message}
      requestId={status === 500 ? c.get('requestId') : undefined}
    />
  );
  return isFragmentRequest(c) ? c.html(panel, status) : page(c, e.title, panel, status);
}

function signInRedirect(c: Context) {
  const next =
    c.req.method === 'GET'
      ? `?next=${encodeURIComponent(c.req.path + (new URL(c.req.url).search || ''))}`
      : '';
  const location = `/sign-in${next}`;
  if (c.req.header('HX-Request') === 'true') {
    c.header('HX-Redirect', location);
    return c.body(null, 401);
  }
  return c.redirect(location, c.req.method === 'GET' ? 302 : 303);
}

export function errorHandler(log: Logger): ErrorHandler {
  return function onError(err, c) {
    if (err instanceof Unauthenticated) return signInRedirect(c);
    if (err instanceof Forbidden) return errorResponse(c, 403);
    if (err instanceof CrossOriginRefused) {
      return errorResponse(c, 403, {
        title: 'This form came from another site',
        message: err.message,
      });
    }
    if (err instanceof NotFound) return errorResponse(c, 404);
    if (err instanceof MalformedInput || err instanceof RepeatedField) {
      // Refused while reading input, which a route may do before it decides on access: the
      // refusal shows nothing, so it needs no decision of its own.
      if (c.get('authz') === undefined) c.set('authz', 'refused');
      return err instanceof RepeatedField
        ? errorResponse(c, 422, { title: 'A field was sent more than once', message: err.message })
        : errorResponse(c, 400, {
            title: 'This request could not be read',
            message: `${err.message} Go back, check what you typed, and send it again.`,
          });
    }
    if (err instanceof HTTPException && err.status < 500) {
      const status = err.status as ContentfulStatusCode;
      return c.text(err.message || 'Bad request', status);
    }
    log.error('unhandled error', { requestId: c.get('requestId'), error: err });
    return errorResponse(c, 500);
  };
}

export const notFound: NotFoundHandler = function notFound(c) {
  c.set('authz', 'refused');
  return errorResponse(c, 404);
};
