/**
 * Signing in and out: generic failures, throttling, ?next=, the session cookie and its lifecycle
 * (fresh at every sign-in, sliding expiry, ended by disable, password change and sign-out-elsewhere).
 */
import { Hono } from 'hono';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sessionMiddleware } from '../../src/auth/middleware.js';
import { createSession, SESSION_TTL, validateSessionToken } from '../../src/auth/sessions.js';
import { hashToken } from '../../src/kernel/tokens.js';
import { buildApp, Client } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { buildStaff, buildUser, PASSWORD, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';

const DAY = 24 * 60 * 60 * 1000;

/** The page with what legitimately differs per request (nonce, request id) blanked out. */
const normalize = (html: string) =>
  html
    .replace(/nonce[^"]*"[^"]*"/g, 'nonce')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, 'N');

describe.each(DIALECTS)('signing in (%s)', (dialect) => {
  const firm = useFirm(dialect, { admin: { email: 'Ada@Example.com' } });

  const signIn = (client: Client, email: string, password: string, next = '') =>
    client.post('/sign-in', { email, password, next }, { 'X-Forwarded-For': '203.0.113.5' });

  it('signs a staff member in with email (any case) and password, with a safe session cookie', async () => {
    const client = new Client(firm.app);
    const res = await signIn(client, 'ada@example.COM', PASSWORD);
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/');
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('portico_session='))!;
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/);
    const token = client.cookies.get('portico_session')!;
    const row = await firm.db.selectFrom('sessions').selectAll().executeTakeFirstOrThrow();
    expect(row.id).toBe(hashToken(token));
    expect(row.id).not.toContain(token);
    expect((await client.get('/')).status).toBe(200);
  });

  it('marks the cookie Secure (and __Host-) when served over HTTPS', async () => {
    const https = buildApp(firm.db, { baseUrl: 'https://portal.example.com' });
    const client = new Client(https, 'https://portal.example.com');
    const res = await client.post('/sign-in', { email: firm.admin.email, password: PASSWORD });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-portico_session='))!;
    expect(cookie).toMatch(/Secure/);
    expect(res.headers.get('Strict-Transport-Security')).toMatch(/max-age=\d+/);
  });

  it('gives one generic answer for a wrong password, an unknown email and a disabled account', async () => {
    await buildStaff(firm.db, [], { email: 'gone@example.com', disabled: true });
    const answers = [];
    for (const [email, password] of [
      [firm.admin.email, 'wrong password!!'],
      ['nobody@example.com', 'wrong password!!'],
      ['gone@example.com', PASSWORD],
    ] as const) {
      const res = await new Client(firm.app).post(
        '/sign-in',
        { email, password },
        { 'X-Forwarded-For': `198.51.100.${answers.length}` },
      );
      const html = await res.text();
      expect(html).toContain('That email and password do not match an account that can sign in.');
      answers.push({ status: res.status, page: normalize(html.replace(email, 'EMAIL')) });
    }
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(await firm.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
  });

  it('keeps the typed email but never echoes the password', async () => {
    const html = await (await signIn(new Client(firm.app), firm.admin.email, 'wrong password!!')).text();
    expect(html).toContain(`value="${firm.admin.email}"`);
    expect(html).not.toContain('wrong password!!');
  });

  it('a contact cannot sign in with a password', async () => {
    const contact = await buildUser(firm.db, { kind: 'contact', email: 'client@example.com' });
    const client = new Client(firm.app);
    const res = await signIn(client, contact.email, PASSWORD);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('That email and password do not match an account that can sign in.');
    expect(client.cookies.has('portico_session')).toBe(false);
    expect(await firm.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
  });

  it('slows down repeated failures for an account, then refuses even the right password until the wait ends', async () => {
    for (let i = 0; i < 5; i++)
      expect((await signIn(new Client(firm.app), firm.admin.email, 'nope nope nope')).status).toBe(422);
    const res = await new Client(firm.app).post(
      '/sign-in',
      { email: firm.admin.email, password: PASSWORD },
      { 'X-Forwarded-For': '192.0.2.99' },
    );
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await res.text()).toMatch(/Too many failed attempts/);
    await firm.db
      .updateTable('sign_in_throttle')
      .set({ last_attempt_at: Date.now() - 60_000 })
      .execute();
    expect((await signIn(new Client(firm.app), firm.admin.email, PASSWORD)).status).toBe(303);
  });

  describe('the announced wait', () => {
    afterEach(() => vi.useRealTimers());

    it('an owner who waits the announced time, however often refused meanwhile, gets in with the right password', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2026-03-02T09:00:00Z'));
      for (let i = 0; i < 5; i++)
        expect((await signIn(new Client(firm.app), firm.admin.email, 'nope nope nope')).status).toBe(422);
      const refused = await signIn(new Client(firm.app), firm.admin.email, PASSWORD);
      expect(refused.status).toBe(429);
      const announced = Number(refused.headers.get('Retry-After'));
      expect(announced).toBe(1);
      expect(await refused.text()).toContain('Wait 1 second, then try again.');
      // Impatient tries while waiting are refused, and neither lengthen the wait nor count.
      for (const password of [PASSWORD, 'nope nope nope', PASSWORD]) {
        vi.setSystemTime(Date.now() + 200);
        const again = await signIn(new Client(firm.app), firm.admin.email, password);
        expect(again.status).toBe(429);
        expect(Number(again.headers.get('Retry-After'))).toBeLessThanOrEqual(announced);
      }
      vi.setSystemTime(new Date('2026-03-02T09:00:00Z').getTime() + announced * 1000);
      expect((await signIn(new Client(firm.app), firm.admin.email, PASSWORD)).status).toBe(303);
    });

    it('after the wait one more wrong password is checked, and only then does the wait grow', async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(new Date('2026-03-02T09:00:00Z'));
      for (let i = 0; i < 5; i++) await signIn(new Client(firm.app), firm.admin.email, 'nope nope nope');
      vi.setSystemTime(Date.now() + 1000);
      const checked = await signIn(new Client(firm.app), firm.admin.email, 'nope nope nope');
      expect(checked.status).toBe(422);
      const refused = await signIn(new Client(firm.app), firm.admin.email, PASSWORD);
      expect([refused.status, refused.headers.get('Retry-After')]).toEqual([429, '2']);
      vi.setSystemTime(Date.now() + 2000);
      expect((await signIn(new Client(firm.app), firm.admin.email, PASSWORD)).status).toBe(303);
    });
  });

  it('slows down repeated failures from one address across accounts, and throttles unknown emails alike', async () => {
    for (let i = 0; i < 5; i++) await signIn(new Client(firm.app), `ghost${i}@example.com`, 'nope nope nope');
    expect((await signIn(new Client(firm.app), firm.admin.email, PASSWORD)).status).toBe(429);
    const elsewhere = await new Client(firm.app).post(
      '/sign-in',
      { email: firm.admin.email, password: PASSWORD },
      { 'X-Forwarded-For': '192.0.2.1' },
    );
    expect(elsewhere.status).toBe(303);
  });

  const NEXT_TARGETS: [string, string][] = [
    ['/staff?q=a', '/staff?q=a'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['https:evil.example', '/'],
    ['https://evil.example/x', '/'],
    ['/\t/evil.example', '/'],
    ['/.//evil.example', '/'],
    ['/a/..//evil.example', '/'],
    ['javascript:alert(1)', '/'],
  ];

  it.each(NEXT_TARGETS)(
    'after sign-in follows ?next=%s only when it is a same-origin path',
    async (next, expected) => {
      const res = await signIn(new Client(firm.app), firm.admin.email, PASSWORD, next);
      expect(res.headers.get('Location')).toBe(expected);
    },
  );

  it.each(NEXT_TARGETS)(
    'one already signed in who opens /sign-in?next=%s goes on only to a same-origin path',
    async (next, expected) => {
      const client = await signedIn(firm.app, firm.db, firm.admin);
      const res = await client.get(`/sign-in?next=${encodeURIComponent(next)}`);
      expect([res.status, res.headers.get('Location')]).toEqual([302, expected]);
    },
  );

  it.each(NEXT_TARGETS)(
    'the sign-in form carries ?next=%s on only as a same-origin path',
    async (next, expected) => {
      const html = await (await new Client(firm.app).get(`/sign-in?next=${encodeURIComponent(next)}`)).text();
      const carried = html.match(/<input type="hidden" name="next" value="([^"]*)"/)?.[1];
      expect(carried?.replaceAll('&amp;', '&') ?? '/').toBe(expected);
    },
  );

  it('sends the anonymous to sign in, remembering where they were going', async () => {
    const res = await new Client(firm.app).get('/staff?q=smith');
    expect(res.status).toBe(302);
    expect(res.headers.get('Location')).toBe(`/sign-in?next=${encodeURIComponent('/staff?q=smith')}`);
  });

  it('starts a fresh session at every sign-in and ends the old one', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const old = client.cookies.get('portico_session')!;
    await signIn(client, firm.admin.email, PASSWORD);
    expect(client.cookies.get('portico_session')).not.toBe(old);
    const ids = (await firm.db.selectFrom('sessions').select('id').execute()).map((r) => r.id);
    expect(ids).not.toContain(hashToken(old));
    expect(ids).toHaveLength(1);
  });

  it('slides the expiry forward when less than half is left, and forgets an expired session', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    // With more than half its term left, a page sets no cookie: the session did not change.
    const settled = await client.get('/');
    expect(settled.status).toBe(200);
    expect(settled.headers.getSetCookie().some((c) => c.startsWith('portico_session='))).toBe(false);
    await firm.db
      .updateTable('sessions')
      .set({ expires_at: Date.now() + 2 * DAY })
      .execute();
    const res = await client.get('/');
    expect(res.status).toBe(200);
    expect(res.headers.getSetCookie().some((c) => c.startsWith('portico_session='))).toBe(true);
    const row = await firm.db.selectFrom('sessions').select('expires_at').executeTakeFirstOrThrow();
    expect(row.expires_at).toBeGreaterThan(Date.now() + SESSION_TTL - DAY);

    await firm.db
      .updateTable('sessions')
      .set({ expires_at: Date.now() - 1 })
      .execute();
    expect((await client.get('/')).status).toBe(302);
    expect(await firm.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
  });

  it('a session ends at the very millisecond it expires, and is renewed only once less than half is left', async () => {
    const start = Date.now();
    const session = () => createSession(firm.db, firm.admin.id, start);
    const at = (token: string, now: number) => validateSessionToken(firm.db, token, now);
    const fresh = await session();
    expect(await at(fresh.token, start)).toMatchObject({ expiresAt: fresh.expiresAt, renewed: false });
    // Exactly half left: not yet; a millisecond less: renewed for a whole term from then.
    const half = fresh.expiresAt - SESSION_TTL / 2;
    expect(await at(fresh.token, half)).toMatchObject({ expiresAt: fresh.expiresAt, renewed: false });
    expect(await at(fresh.token, half + 1)).toMatchObject({
      expiresAt: half + 1 + SESSION_TTL,
      renewed: true,
    });
    // A millisecond before its end it is still good; at its end it is gone.
    const ending = await session();
    expect(await at(ending.token, ending.expiresAt - 1)).not.toBeNull();
    const ended = await session();
    expect(await at(ended.token, ended.expiresAt)).toBeNull();
    const left = await firm.db.selectFrom('sessions').select('id').execute();
    expect(left.map((r) => r.id).sort()).toEqual([fresh.id, ending.id].sort());
  });

  it('a session carries each change counter as the database holds it', async () => {
    const { token } = await createSession(firm.db, firm.admin.id);
    const counters = ['users', 'permissions', 'clients', 'plugins', 'notifications'] as const;
    for (const [i, name] of counters.entries())
      await firm.db
        .insertInto('change_counters')
        .values({ name, version: 101 + i })
        .onConflict((oc) => oc.column('name').doUpdateSet({ version: 101 + i }))
        .execute();
    expect((await validateSessionToken(firm.db, token))?.changeCounts).toEqual({
      users: 101,
      permissions: 102,
      clients: 103,
      plugins: 104,
      notifications: 105,
    });
  });

  it('a request with no live session reads null for the session, its person and its counts, as their types say', async () => {
    const app = new Hono();
    app.use(sessionMiddleware({ db: firm.db, secure: false }));
    app.get('/', (c) =>
      c.json([c.get('sessionId'), c.get('actor'), c.get('changeCounts')].map((v) => v === null)),
    );
    expect(await (await app.request('/')).json()).toEqual([true, true, true]);
    const stale = await app.request('/', {
      headers: { cookie: 'portico_session=not-a-session-anyone-was-given' },
    });
    expect(await stale.json()).toEqual([true, true, true]);
  });

  it('a cookie naming no live session is cleared, where it was set, and the page asks to sign in', async () => {
    for (const [app, base, name] of [
      [firm.app, undefined, 'portico_session'],
      [
        buildApp(firm.db, { baseUrl: 'https://portal.example.com' }),
        'https://portal.example.com',
        '__Host-portico_session',
      ],
    ] as const) {
      const stranger = new Client(app, base);
      stranger.cookies.set(name, 'not-a-session-anyone-was-given');
      const res = await stranger.get('/');
      expect(res.status).toBe(302);
      const cleared = res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
      expect(cleared, name).toMatch(/Max-Age=0/);
      expect(cleared).toMatch(/Path=\//);
      if (base) expect(cleared).toMatch(/Secure/);
    }
  });

  it('signs out: the session row is gone and the cookie no longer works', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const token = client.cookies.get('portico_session')!;
    const res = await client.post('/sign-out');
    expect(res.status).toBe(303);
    expect(await firm.db.selectFrom('sessions').selectAll().execute()).toEqual([]);
    const replay = new Client(firm.app);
    replay.cookies.set('portico_session', token);
    expect((await replay.get('/')).status).toBe(302);
  });

  it('signs out of every other session, keeping this one', async () => {
    const here = await signedIn(firm.app, firm.db, firm.admin);
    const there = await signedIn(firm.app, firm.db, firm.admin);
    await createSession(firm.db, firm.admin.id);
    const res = await here.post('/account/sign-out-others');
    expect(res.status).toBe(303);
    expect((await here.get('/')).status).toBe(200);
    expect((await there.get('/')).status).toBe(302);
    expect(await firm.db.selectFrom('sessions').selectAll().execute()).toHaveLength(1);
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'session.signed_out_others')
      .execute();
    expect(JSON.parse(audit[0]!.after_json!)).toEqual({ sessionsEnded: 2 });
  });

  it('changing your password ends every other session and keeps you signed in with a new one', async () => {
    const here = await signedIn(firm.app, firm.db, firm.admin);
    const there = await signedIn(firm.app, firm.db, firm.admin);
    const res = await here.post('/account/password', {
      currentPassword: PASSWORD,
      password: 'a whole new password',
      passwordConfirm: 'a whole new password',
    });
    expect(res.status).toBe(303);
    expect((await here.get('/')).status).toBe(200);
    expect((await there.get('/')).status).toBe(302);
    expect((await signIn(new Client(firm.app), firm.admin.email, 'a whole new password')).status).toBe(303);
  });

  it('refuses a password change with a wrong current password, beside that field', async () => {
    const here = await signedIn(firm.app, firm.db, firm.admin);
    const res = await here.post('/account/password', {
      currentPassword: 'not it at all',
      password: 'a whole new password',
      passwordConfirm: 'a whole new password',
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('That is not your current password.');
  });
});

describe.each(DIALECTS)('credentials someone else gave (%s)', (dialect) => {
  const firm = useFirm(dialect);

  it('parallel wrong passwords cannot all be checked: after five, the rest wait', async () => {
    const attempts = Array.from({ length: 20 }, () =>
      new Client(firm.app).post(
        '/sign-in',
        { email: firm.admin.email, password: 'wrong password!!' },
        { 'X-Forwarded-For': '203.0.113.9' },
      ),
    );
    const statuses = (await Promise.all(attempts)).map((r) => r.status);
    // Some parallel attempts may be throttled before five are checked; never are more than five checked.
    expect(statuses.filter((s) => s !== 422 && s !== 429)).toEqual([]);
    expect(statuses.filter((s) => s === 422).length).toBeLessThanOrEqual(5);
  });

  it('takes the right-most X-Forwarded-For entry, so a client cannot pick its own address', async () => {
    for (let i = 0; i < 5; i++) {
      await new Client(firm.app).post(
        '/sign-in',
        { email: `ghost${i}@example.com`, password: 'nope nope nope' },
        { 'X-Forwarded-For': `10.0.0.${i}, 198.51.100.7` },
      );
    }
    const res = await new Client(firm.app).post(
      '/sign-in',
      { email: firm.admin.email, password: PASSWORD },
      { 'X-Forwarded-For': '10.9.9.9, 198.51.100.7' },
    );
    expect(res.status).toBe(429);
  });

  it('an initial password a Staff Admin set stops working once its owner is made an Admin', async () => {
    const staffAdmin = await buildStaff(firm.db, ['staff_admin']);
    const theirClient = await signedIn(firm.app, firm.db, staffAdmin);
    await theirClient.post('/staff', {
      firstName: 'New',
      lastName: 'Hire',
      email: 'hire@example.com',
      signIn: 'password',
      password: 'known to staff admin',
    });
    const hire = await firm.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'hire@example.com')
      .executeTakeFirstOrThrow();
    const first = await new Client(firm.app).post('/sign-in', {
      email: 'hire@example.com',
      password: 'known to staff admin',
    });
    expect([first.status, first.headers.get('Location')]).toEqual([303, '/account']);

    const admin = await signedIn(firm.app, firm.db, firm.admin);
    expect((await admin.post(`/staff/${hire.id}/roles`, { roles: ['admin'] })).status).toBe(303);
    const after = await new Client(firm.app).post('/sign-in', {
      email: 'hire@example.com',
      password: 'known to staff admin',
    });
    expect(after.status).toBe(422);
  });

  it('a set-password link a Staff Admin made stops working once its owner is made an Admin', async () => {
    const staffAdmin = await buildStaff(firm.db, ['staff_admin']);
    const theirClient = await signedIn(firm.app, firm.db, staffAdmin);
    const html = await (
      await theirClient.post('/staff', {
        firstName: 'New',
        lastName: 'Hire',
        email: 'hire@example.com',
        signIn: 'link',
      })
    ).text();
    const path = new URL(html.match(/value="(http[^"]+\/set-password\/[a-z0-9]+)"/)![1]!).pathname;
    const hire = await firm.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'hire@example.com')
      .executeTakeFirstOrThrow();
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    await admin.post(`/staff/${hire.id}/roles`, { roles: ['admin'] });
    expect((await new Client(firm.app).get(path)).status).toBe(404);
    const use = await new Client(firm.app).post(path, {
      password: 'taken over now!',
      passwordConfirm: 'taken over now!',
    });
    expect(use.status).toBe(404);
  });

  it('setting a password voids any set-password link still out', async () => {
    const worker = await buildStaff(firm.db, []);
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const html = await (await admin.post(`/staff/${worker.id}/password-link`)).text();
    const path = new URL(html.match(/value="(http[^"]+\/set-password\/[a-z0-9]+)"/)![1]!).pathname;
    expect((await admin.post(`/staff/${worker.id}/password`, { password: 'set directly now' })).status).toBe(
      303,
    );
    expect((await new Client(firm.app).get(path)).status).toBe(404);
  });

  it('nobody sets their own password from the staff page, skipping the current-password check', async () => {
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const res = await admin.post(`/staff/${firm.admin.id}/password`, { password: 'no current needed?' });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('Change your own password under Your account.');
  });
});
