/**
 * Security headers on every response (a per-request CSP nonce, no inline code allowed) and
 * CSRF protection by Origin checking on every unsafe method, whatever the Content-Type.
 */
import { randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { MalformedInput } from './strict-input.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The headers of a page shown only inside a sandboxed frame of one of ours (the Outbox's preview
 * of an email's HTML part): no script, no form, no request anywhere, and no origin of its own; the
 * inline styles that mail clients need are let through; only our pages may frame it.
 */
export function sandboxedPreviewHeaders(c: Context): void {
  c.header(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'self'",
  );
  c.header('X-Frame-Options', 'SAMEORIGIN');
}

/**
 * Sets a header that every response to this request carries, whatever makes the response. Served by
 * Node, it goes straight onto the outgoing message, where Node puts it under the response's own
 * headers: a route's own Cache-Control or Content-Security-Policy still wins, and no fetch `Headers`
 * object is filled for the headers every page shares (undici checks and sorts each one: a few
 * percent of the home page's throughput in `npm run bench`). With no Node server beneath (tests'
 * `app.request`), it goes onto the context.
 */
export function baseHeaders(c: Context): (name: string, value: string) => void {
  const outgoing = (c.env as { outgoing?: ServerResponse } | undefined)?.outgoing;
  if (outgoing) return (name, value) => outgoing.setHeader(name, value);
  return (name, value) => c.header(name, value);
}

export function securityHeaders(options: { https: boolean }): MiddlewareHandler {
  const hsts = options.https ? 'max-age=31536000; includeSubDomains' : null;
  const cspTail =
    "; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-src 'self'; frame-ancestors 'none'";
  return async function securityHeaders(c, next) {
    // A UUID is 122 random bits from Node's pooled generator: cheap, and valid nonce characters.
    const nonce = randomUUID();
    c.set('nonce', nonce);
    // Set before the handler runs, so every response to this request (errors and redirects
    // included) carries them without reading the response back.
    const header = baseHeaders(c);
    header('Content-Security-Policy', `default-src 'none'; script-src 'self' 'nonce-${nonce}'${cspTail}`);
    header('X-Content-Type-Options', 'nosniff');
    header('Referrer-Policy', 'same-origin');
    header('X-Frame-Options', 'DENY');
    header('Cross-Origin-Opener-Policy', 'same-origin');
    header('Permissions-Policy', 'camera=(), microphone=(), geolocation=()');
    // Pages carry clients' data: never keep them in a cache, so Back after signing out shows nothing.
    // Static assets set their own long-lived Cache-Control.
    header('Cache-Control', 'no-store');
    if (hsts) header('Strict-Transport-Security', hsts);
    await next();
  };
}

/** An unsafe request that did not come from Portico's own pages; its message is the 403 page's. */
export class CrossOriginRefused extends Error {
  constructor(allowed: string) {
    super(
      `For your safety Portico only accepts forms sent from its own pages at ${allowed}. If you opened Portico at another address, go to ${allowed} and try again.`,
    );
  }
}

/**
 * Refuses an unsafe request unless its Origin is the configured BASE_URL's. Browsers send Origin
 * on every cross-site POST (forms, fetch, htmx, text/plain alike); a request with neither Origin
 * nor `Sec-Fetch-Site: same-origin` is refused too.
 */
export function originCheck(options: {
  baseUrl: string;
  /**
   * Exact paths called by another server, never by a browser (a provider's webhook): their route
   * proves the sender itself (a signature) and acts on no session, so no origin is asked of them.
   */
  serverToServer?: readonly string[];
}): MiddlewareHandler {
  const allowed = new URL(options.baseUrl).origin;
  const exempt = new Set(options.serverToServer ?? []);
  // Not async: a GET passes straight through without a promise of its own.
  return function originCheck(c, next) {
    if (SAFE_METHODS.has(c.req.method) || exempt.has(c.req.path)) return next();
    const origin = c.req.header('Origin');
    const fetchSite = c.req.header('Sec-Fetch-Site');
    const ok = origin !== undefined ? origin === allowed : fetchSite === 'same-origin';
    if (!ok) {
      c.set('authz', 'refused');
      throw new CrossOriginRefused(allowed);
    }
    return next();
  };
}

/**
 * Forms are small: a public POST must not be able to make the process hold a gigabyte. Only
 * unsafe methods are checked, since even looking at a GET's body makes @hono/node-server build a
 * full web Request, which costs every page view. An upload route names its path in `larger` with
 * its own limit (and refuses a file over its smaller, documented limit itself, beside the field);
 * a path may hold parameters, as its route's does (`/entities/:id/files`).
 */
/** `/entities/:id/files` → a pattern matching that path with any one segment for `:id`. */
function pathPattern(path: string): RegExp {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z]+/g, '[^/]+');
  return new RegExp(`^${escaped}$`);
}

export function formSizeLimit(
  maxSize: number,
  larger: Readonly<Record<string, number>> = {},
  /** Upload paths whose route reads the body as a stream and counts it itself, with their limit. */
  streamed: Readonly<Record<string, number>> = {},
): MiddlewareHandler {
  const limitOf = (size: number) =>
    bodyLimit({
      maxSize: size,
      onError: (c) => {
        c.set('authz', 'refused');
        return c.text('This form is too large to send.', 413);
      },
    });
  const limit = limitOf(maxSize);
  const byPath = Object.entries(larger).map(([path, size]) => ({
    pattern: pathPattern(path),
    limit: limitOf(size),
  }));
  const streamedPaths = Object.entries(streamed).map(([path, size]) => ({
    pattern: pathPattern(path),
    size,
  }));
  return async function formSizeLimit(c, next) {
    if (SAFE_METHODS.has(c.req.method)) return next();
    const path = c.req.path;
    const stream = streamedPaths.find((p) => p.pattern.test(path));
    if (stream) {
      // Never read here: hono's limit would hold a chunked body in memory to count it. The route
      // counts what arrives itself; a declared length over the limit is refused at once.
      const declared = Number(c.req.header('content-length') ?? 0);
      if (declared > stream.size) {
        c.set('authz', 'refused');
        return c.text('This upload is too large to send.', 413);
      }
      return next();
    }
    let passed = false;
    try {
      return await (byPath.find((p) => p.pattern.test(path))?.limit ?? limit)(c, () => {
        passed = true;
        return next();
      });
    } catch (error) {
      if (passed) throw error;
      // The body stopped coming while it was being measured (a dropped connection).
      c.set('authz', 'refused');
      throw new MalformedInput('The form was cut short.');
    }
  };
}
