/** Security headers on every response, and CSRF refusal by Origin for every unsafe request. */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/kernel/log.js';
import { BASE_URL, buildApp, Client } from '../helpers/app.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import { signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';

describe.each(DIALECTS)('security (%s)', (dialect) => {
  const firm = useFirm(dialect);

  it.each(['/', '/sign-in', '/healthz', '/static/app.css', '/no-such-page'])(
    'sends the security headers on %s',
    async (path) => {
      const res = await (await signedIn(firm.app, firm.db, firm.admin)).get(path);
      const csp = res.headers.get('Content-Security-Policy')!;
      expect(csp).toMatch(/script-src 'self' 'nonce-[0-9a-f-]{36}'/);
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("default-src 'none'");
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      // The whole policy, written out: loosening any one directive fails here.
      const nonce = csp.match(/'nonce-([0-9a-f-]{36})'/)![1];
      expect(csp).toBe(
        `default-src 'none'; script-src 'self' 'nonce-${nonce}'; style-src 'self'; img-src 'self' data:; ` +
          "font-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-src 'self'; " +
          "frame-ancestors 'none'",
      );
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(res.headers.get('Referrer-Policy')).toBe('same-origin');
      expect(res.headers.get('X-Frame-Options')).toBe('DENY');
      expect(res.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
      expect(res.headers.get('Permissions-Policy')).toBe('camera=(), microphone=(), geolocation=()');
      if (!path.startsWith('/static/')) expect(res.headers.get('Cache-Control')).toBe('no-store');
      expect(res.headers.get('Strict-Transport-Security')).toBeNull();
      expect(res.headers.get('X-Request-Id')).toMatch(/^[0-9a-f]{12}$/);
    },
  );

  it('served by Node itself, puts them on the response Node writes, where a route’s own header wins', async () => {
    // Node's server hands the app its outgoing message, which the headers go onto directly.
    const server = serve({ fetch: firm.app.fetch, port: 0, hostname: '127.0.0.1' });
    await once(server, 'listening');
    const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const page = await fetch(`${origin}/sign-in`);
      expect(page.status).toBe(200);
      expect(page.headers.get('Content-Security-Policy')).toMatch(
        /^default-src 'none'; script-src 'self' 'nonce-/,
      );
      expect(page.headers.get('X-Frame-Options')).toBe('DENY');
      expect(page.headers.get('Cache-Control')).toBe('no-store');
      const asset = await fetch(`${origin}/static/app.css`);
      expect(asset.headers.get('Cache-Control')).toMatch(/^public, max-age=\d+/);
      expect(asset.headers.get('X-Content-Type-Options')).toBe('nosniff');
    } finally {
      server.close();
    }
  });

  it('uses a new nonce on every request, and puts it on each of the page scripts', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    // The second page is assembled from the cached shell.
    const [a, b] = [await client.get('/'), await client.get('/')];
    const nonce = (r: Response) => r.headers.get('Content-Security-Policy')!.match(/nonce-([^']+)/)![1];
    expect(nonce(a)).not.toBe(nonce(b));
    const scripts = [
      ...(await b.text()).matchAll(/<script src="\/static\/([^?]+)\?v=[0-9a-f]{12}" nonce="([^"]+)"/g),
    ];
    expect(scripts.map(([, file, n]) => [file, n])).toEqual([
      ['htmx.min.js', nonce(b)],
      ['menu.js', nonce(b)],
    ]);
  });

  it('names each static file by a hash of its content, so a new release is never served from cache', async () => {
    const html = await (await new Client(firm.app).get('/sign-in')).text();
    for (const name of ['app.css', 'htmx.min.js', 'menu.js', 'icon.svg']) {
      const version = html.match(new RegExp(`/static/${name.replace('.', '\\.')}\\?v=([0-9a-f]+)`))?.[1];
      const body = await (await new Client(firm.app).get(`/static/${name}`)).text();
      expect([name, version]).toEqual([name, createHash('sha256').update(body).digest('hex').slice(0, 12)]);
    }
  });

  it('serves an icon at /favicon.ico, where browsers look by themselves, and links the same icon from every page', async () => {
    const ico = await new Client(firm.app).get('/favicon.ico');
    expect([ico.status, ico.headers.get('Content-Type')]).toEqual([200, 'image/vnd.microsoft.icon']);
    expect([...new Uint8Array(await ico.arrayBuffer()).slice(0, 4)]).toEqual([0, 0, 1, 0]);
    const html = await (await new Client(firm.app).get('/sign-in')).text();
    expect(html).toMatch(
      /<link rel="icon" href="\/static\/icon\.svg\?v=[0-9a-f]{12}" type="image\/svg\+xml">/,
    );
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    'answers /static/%s with 404, not an empty file cached for a year',
    async (name) => {
      const res = await new Client(firm.app).get(`/static/${name}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('Cache-Control')).not.toContain('max-age');
    },
  );

  it('serves htmx from the app itself, never a CDN', async () => {
    const res = await new Client(firm.app).get('/static/htmx.min.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toMatch(/javascript/);
    expect(await res.text()).toContain('htmx');
  });

  const bodies: [string, string, string][] = [
    ['form', 'application/x-www-form-urlencoded', 'firmName=Evil&entityLabel=Case&timeZone=UTC'],
    [
      'multipart',
      'multipart/form-data; boundary=x',
      '--x\r\nContent-Disposition: form-data; name="firmName"\r\n\r\nEvil\r\n--x--\r\n',
    ],
    ['text/plain', 'text/plain', 'firmName=Evil'],
    ['Text/Plain (any case)', 'Text/Plain', 'firmName=Evil'],
    ['json', 'application/json', '{"firmName":"Evil"}'],
  ];

  it.each(bodies)(
    'refuses a cross-origin %s POST with 403 and changes nothing',
    async (_name, type, body) => {
      const client = await signedIn(firm.app, firm.db, firm.admin);
      const before = await snapshot(firm.db);
      const res = await client.request('/settings', {
        method: 'POST',
        body,
        headers: { 'Content-Type': type, Origin: 'https://evil.example' },
      });
      expect(res.status).toBe(403);
      expect(await snapshot(firm.db)).toEqual(before);
    },
  );

  it.each([
    ['a longer host that starts with ours', 'http://portico.test.evil.example'],
    ['a host that ends with ours', 'http://evilportico.test'],
    ['a subdomain of ours', 'http://www.portico.test'],
    ['another port', 'http://portico.test:8080'],
    ['another scheme', 'https://portico.test'],
    ['userinfo before our host', 'http://user@portico.test'],
    ['a trailing dot', 'http://portico.test.'],
    ['a trailing slash', 'http://portico.test/'],
    ['upper case', 'HTTP://PORTICO.TEST'],
    ['an IDN look-alike (Cyrillic o)', 'http://xn--prtico-6ve.test'],
    ['the opaque origin', 'null'],
    ['an empty Origin', ''],
  ])(
    'refuses a look-alike origin, %s (%s), with 403, even when the browser says same-origin',
    async (_what, origin) => {
      const client = await signedIn(firm.app, firm.db, firm.admin);
      const before = await snapshot(firm.db);
      const res = await client.request('/settings', {
        method: 'POST',
        body: new URLSearchParams({ firmName: 'Evil', entityLabel: 'Case', timeZone: 'UTC' }),
        headers: { Origin: origin, 'Sec-Fetch-Site': 'same-origin' },
      });
      expect(res.status).toBe(403);
      // The page names the one address forms are taken from.
      expect(await res.text()).toContain(
        'For your safety Portico only accepts forms sent from its own pages at http://portico.test. If you opened Portico at another address, go to http://portico.test and try again.',
      );
      expect(await snapshot(firm.db)).toEqual(before);
    },
  );

  it('never asks a safe method where it came from: GET, HEAD and OPTIONS with no Origin are not refused', async () => {
    const answers = [];
    for (const method of ['GET', 'HEAD', 'OPTIONS'])
      answers.push([method, (await firm.app.request(`${BASE_URL}/sign-in`, { method })).status]);
    // OPTIONS has no route here: its answer is the router's, never the origin check's 403.
    expect(answers).toEqual([
      ['GET', 200],
      ['HEAD', 200],
      ['OPTIONS', 404],
    ]);
  });

  it('refuses a form larger than 64 KB before reading it, changing nothing', async () => {
    const client = new Client(firm.app);
    const before = await snapshot(firm.db);
    const res = await client.post('/sign-in', { email: 'a@example.com', password: 'x'.repeat(70 * 1024) });
    expect(res.status).toBe(413);
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('refuses an htmx request from another origin too', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const elsewhere = await signedIn(firm.app, firm.db, firm.admin);
    const before = await snapshot(firm.db);
    const res = await client.request('/account/sign-out-others', {
      method: 'POST',
      headers: { 'HX-Request': 'true', Origin: 'null' },
    });
    expect(res.status).toBe(403);
    expect(await snapshot(firm.db)).toEqual(before);
    expect((await elsewhere.get('/account')).status).toBe(200);
  });

  it('refuses an unsafe request with no Origin unless the browser says it is same-origin', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const bare = await firm.app.request(`${BASE_URL}/sign-out`, {
      method: 'POST',
      headers: { Cookie: `portico_session=${client.cookies.get('portico_session')}` },
    });
    expect(bare.status).toBe(403);
    expect((await client.get('/account')).status).toBe(200);
    const sameSite = await firm.app.request(`${BASE_URL}/sign-out`, {
      method: 'POST',
      headers: {
        Cookie: `portico_session=${client.cookies.get('portico_session')}`,
        'Sec-Fetch-Site': 'same-origin',
      },
    });
    expect(sameSite.status).toBe(303);
    expect((await client.get('/account')).status).toBe(302);
    expect(await firm.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
  });

  it('accepts the same origin', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const res = await client.post('/settings', {
      firmName: 'Clearwater & Co',
      entityLabel: 'Case',
      timeZone: 'UTC',
    });
    expect(res.status).toBe(303);
    expect(await firm.db.selectFrom('organization').select(['name', 'entity_label']).execute()).toEqual([
      { name: 'Clearwater & Co', entity_label: 'Case' },
    ]);
  });

  it('shows a calm 404 page, and a 500 page without a stack trace', async () => {
    const res404 = await new Client(firm.app).get('/no-such-page');
    expect(res404.status).toBe(404);
    expect(await res404.text()).toContain('Page not found');

    const errors: unknown[] = [];
    const broken = buildApp(firm.db, {}, { ...silentLogger, error: (_m, f) => errors.push(f) });
    broken.get('/explode', (c) => {
      c.set('authz', 'public');
      throw new Error('kaboom at line 42');
    });
    const res = await new Client(broken).get('/explode');
    const html = await res.text();
    expect(res.status).toBe(500);
    expect(html).toContain('Something went wrong');
    expect(html).not.toContain('kaboom');
    expect(html).not.toMatch(/at .*\.ts:\d+/);
    expect(html).toContain(res.headers.get('X-Request-Id')!);
    expect(errors).toHaveLength(1);
  });

  it('reports database reachability at /healthz', async () => {
    const res = await new Client(firm.app).get('/healthz');
    expect(await res.json()).toEqual({ status: 'ok', database: 'ok' });
  });
});
