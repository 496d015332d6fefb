/**
 * The limit on what an unsafe request may send (`formSizeLimit`, src/http/security.ts), on a bare
 * Hono app: which limit a path gets (its own, a larger one for a path named with parameters, or a
 * streamed upload's declared length), the boundaries, and that a route's own error after the body
 * passed is never mistaken for a body cut short.
 */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { formSizeLimit } from '../../src/http/security.js';
import { MalformedInput } from '../../src/http/strict-input.js';

class RouteFailed extends Error {}

/** `rethrow`: an error handler that fails in turn, so an error climbs back through every middleware. */
function appWith(limit: ReturnType<typeof formSizeLimit>, rethrow = false) {
  const app = new Hono<{ Variables: { authz?: string } }>();
  // What the request log would say of the request: the limit marks what it refuses.
  app.use(async (c, next) => {
    await next();
    c.header('X-Authz', c.get('authz') ?? 'none');
  });
  app.use(limit);
  app.post('*', async (c) => c.text(`read ${(await c.req.text()).length}`));
  app.put('/fails', async (c) => {
    await c.req.text();
    throw new RouteFailed('the route itself failed');
  });
  app.onError((error, c) => {
    if (rethrow) throw error;
    return c.text(
      error instanceof MalformedInput ? `malformed: ${error.message}` : error.constructor.name,
      500,
    );
  });
  return app;
}

const post = (
  app: ReturnType<typeof appWith>,
  path: string,
  body: string,
  headers: Record<string, string> = {},
) => app.request(path, { method: 'POST', body, headers: { 'Content-Type': 'text/plain', ...headers } });

describe('the size limit on unsafe requests', () => {
  const app = appWith(
    formSizeLimit(10, { '/import/:id/rows': 100, '/export.csv': 100 }, { '/entities/:id/files': 1000 }),
  );

  it('lets a form of exactly the limit through, and refuses one byte more with 413', async () => {
    expect(await (await post(app, '/settings', 'x'.repeat(10))).text()).toBe('read 10');
    const over = await post(app, '/settings', 'x'.repeat(11));
    expect(over.status).toBe(413);
    expect(await over.text()).toBe('This form is too large to send.');
    expect(over.headers.get('X-Authz')).toBe('refused');
  });

  it('gives a path named with a parameter its larger limit, for one path segment only', async () => {
    expect(await (await post(app, '/import/abc/rows', 'x'.repeat(100))).text()).toBe('read 100');
    expect((await post(app, '/import/abc/rows', 'x'.repeat(101))).status).toBe(413);
    expect((await post(app, '/import/a/b/rows', 'x'.repeat(50))).status).toBe(413);
    expect((await post(app, '/import/abc/rows/more', 'x'.repeat(50))).status).toBe(413);
  });

  it('matches a named path character for character: a dot is a dot', async () => {
    expect(await (await post(app, '/export.csv', 'x'.repeat(50))).text()).toBe('read 50');
    expect((await post(app, '/exportXcsv', 'x'.repeat(50))).status).toBe(413);
  });

  it('leaves a streamed upload to its route, refusing at once only a declared length over its limit', async () => {
    const exactly = await post(app, '/entities/e1/files', 'x'.repeat(20), { 'Content-Length': '1000' });
    expect(exactly.status).not.toBe(413);
    const over = await post(app, '/entities/e1/files', 'x'.repeat(20), { 'Content-Length': '1001' });
    expect(over.status).toBe(413);
    expect(await over.text()).toBe('This upload is too large to send.');
    expect(over.headers.get('X-Authz')).toBe('refused');
    // Not read here, so a body over the form limit reaches the route whole.
    expect(await (await post(app, '/entities/e1/files', 'x'.repeat(500))).text()).toBe('read 500');
    expect((await post(app, '/entities/e1/x/files', 'x'.repeat(500))).status).toBe(413);
  });

  it('never checks a safe method', async () => {
    expect((await app.request('/settings', { method: 'GET' })).status).toBe(404);
  });

  it('passes on an error climbing back after the body passed, never calling it a body cut short', async () => {
    const failing = appWith(formSizeLimit(10), true);
    await expect(failing.request('/fails', { method: 'PUT', body: 'small' })).rejects.toBeInstanceOf(
      RouteFailed,
    );
  });

  it('calls a body that stops coming while it is measured a form cut short', async () => {
    const dropped = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('firmName='));
        controller.error(new Error('connection reset'));
      },
    });
    const res = await app.request('/settings', {
      method: 'POST',
      body: dropped,
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      duplex: 'half',
    } as RequestInit);
    expect(await res.text()).toBe('malformed: The form was cut short.');
    expect(res.headers.get('X-Authz')).toBe('refused');
  });

  it('matches a named path from its start', async () => {
    expect((await post(app, '/old/export.csv', 'x'.repeat(50))).status).toBe(413);
  });
});
