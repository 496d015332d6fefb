/**
 * The door a sign-in plugin comes in by (`ctx.auth`, the filters 'signin.password' and
 * 'account.ways_in', the slot 'account.panels'): the plugin proves who someone is, the host alone
 * decides whether they may come in (enabled; a contact's portal on with a role that lets them in),
 * starts a fresh session, follows only same-site `next` paths, and audits every sign-in and refusal.
 * A test provider stands in for Google: it "proves" the email in its URL.
 */
import type { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assemble, createApp } from '../../src/app.js';
import { silentLogger } from '../../src/kernel/log.js';
import { definePlugin, loadPlugins, pluginsFrom } from '../../src/plugins/index.js';
import { Client, testConfig } from '../helpers/app.js';
import { DIALECTS, freshDatabase, type TestDb } from '../helpers/db.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildOrganization,
  buildStaff,
  PASSWORD,
  signedIn,
} from '../helpers/factories.js';

/** Linked identities of the test provider, by user id (a real one keeps them in its own table). */
const linked = new Map<string, number>();

const provider = definePlugin<unknown>({
  id: 'testid',
  version: '1.0.0',
  host: '^1',
  register(ctx) {
    ctx.routes((app) => {
      app.get('/as/:email', ctx.publicRoute, async (c) => {
        const user = await ctx.lookup.userByEmail(c.req.param('email'));
        if (!user) return c.text('no such person', 404);
        const done = await ctx.auth.signIn(c, user.id, { method: 'Test ID', next: c.req.query('next') });
        return done.ok ? c.redirect(done.redirectTo, 303) : c.text(`${done.reason}: ${done.message}`, 403);
      });
      app.get('/age', ctx.signedInRoute, async (c) => c.json({ age: await ctx.auth.sessionAge(c) }));
      app.get('/ways', ctx.signedInRoute, async (c) =>
        c.json({ ways: await ctx.auth.waysIn(ctx.requireSignedIn(c).user.id) }),
      );
    });
    ctx.filter('signin.password', async (refused, { user }) => {
      // Its directory is down for this domain: the check breaks, and the host must not let that through.
      if (user.email.endsWith('@broken.example')) throw new Error('directory unreachable');
      return (
        refused ??
        (user.email.endsWith('@google-only.example') ? 'Sign in with Test ID: your firm requires it.' : null)
      );
    });
    ctx.filter('account.ways_in', async (n, { user }) => n + (linked.get(user.id) ?? 0));
    ctx.slot('account.panels', ({ actor }) => (
      <section>
        <h2>Sign-in methods</h2>
        <p>Test ID for {actor.user.email}</p>
      </section>
    ));
  },
});

describe.each(DIALECTS)('signing in through a plugin (%s)', (dialect) => {
  let t: TestDb;
  let app: Hono;

  beforeEach(async () => {
    t = await freshDatabase(dialect);
    await buildOrganization(t.db);
    const loaded = await loadPlugins(['testid'], {}, async () => ({ default: provider }));
    const deps = { config: testConfig(), db: t.db, log: silentLogger };
    app = createApp(deps, assemble(deps, pluginsFrom(loaded, t.db)));
    linked.clear();
  });
  afterEach(() => t.close());

  const audits = (action: string) =>
    t.db
      .selectFrom('audit_events')
      .select(['object_id', 'after_json'])
      .where('action', '=', action)
      .execute();

  it('signs in an enabled staff member with a fresh session, audited with the method', async () => {
    const sam = await buildStaff(t.db, [], { email: 'sam@firm.example' });
    const browser = await signedIn(app, t.db, sam);
    const before = browser.cookies.get('portico_session');
    const res = await browser.get('/p/testid/as/sam@firm.example');
    expect([res.status, res.headers.get('location')]).toEqual([303, '/']);
    expect(browser.cookies.get('portico_session')).not.toBe(before);
    // The session it replaced is gone.
    const stale = new Client(app);
    stale.cookies.set('portico_session', before ?? '');
    expect((await stale.get('/')).status).toBe(302);
    expect((await browser.get('/')).status).toBe(200);
    expect(await audits('session.signed_in')).toEqual([
      { object_id: sam.id, after_json: JSON.stringify({ via: 'Test ID', plugin: 'testid' }) },
    ]);
  });

  it('follows next only to a path on this site', async () => {
    await buildStaff(t.db, [], { email: 'sam@firm.example' });
    const go = async (next: string) =>
      (
        await new Client(app).get(`/p/testid/as/sam@firm.example?next=${encodeURIComponent(next)}`)
      ).headers.get('location');
    expect(await go('/entities')).toBe('/entities');
    expect(await go('https://evil.example/')).toBe('/');
    expect(await go('//evil.example/')).toBe('/');
  });

  it('refuses, with a sentence and an audit line, whoever the host would not let in', async () => {
    await buildStaff(t.db, [], { email: 'gone@firm.example', disabled: true });
    const entity = await buildEntity(t.db, 'Harbour Trust');
    const off = await buildContact(t.db, entity, { email: 'off@client.example' });
    await bindAtEntity(t.db, { userId: off.id }, 'contact_entity_access', entity);
    const bare = await buildContact(t.db, entity, { email: 'bare@client.example' });
    await t.db
      .updateTable('contact_profiles')
      .set({ portal_access: 1 })
      .where('user_id', '=', bare.id)
      .execute();
    const associated = await buildContact(t.db, entity, { email: 'assoc@client.example' });
    await t.db
      .updateTable('contact_profiles')
      .set({ portal_access: 1 })
      .where('user_id', '=', associated.id)
      .execute();
    await bindAtEntity(t.db, { userId: associated.id }, 'associated', entity);

    const tried = async (email: string) => {
      const browser = new Client(app);
      const res = await browser.get(`/p/testid/as/${email}`);
      expect(browser.cookies.has('portico_session')).toBe(false);
      return [res.status, await res.text()];
    };
    expect(await tried('gone@firm.example')).toEqual([
      403,
      'disabled: Your account is turned off. Ask your firm to turn it back on.',
    ]);
    expect(await tried('off@client.example')).toEqual([
      403,
      'portal_off: Ask your firm to turn on your portal access.',
    ]);
    expect((await tried('bare@client.example'))[1]).toMatch(
      /^no_access: Nothing has been shared with you yet/,
    );
    expect((await tried('assoc@client.example'))[1]).toMatch(/^no_access: /);
    const refused = (await audits('session.refused')).map((a) => JSON.parse(a.after_json ?? '{}').reason);
    expect(refused.sort()).toEqual(['disabled', 'no_access', 'no_access', 'portal_off']);
    expect(await audits('session.signed_in')).toEqual([]);
  });

  it('signs a contact who may enter into the portal', async () => {
    const entity = await buildEntity(t.db, 'Harbour Trust');
    const grace = await buildContact(t.db, entity, { email: 'grace@client.example' });
    await t.db
      .updateTable('contact_profiles')
      .set({ portal_access: 1 })
      .where('user_id', '=', grace.id)
      .execute();
    await bindAtEntity(t.db, { userId: grace.id }, 'contact_entity_access', entity);
    const browser = new Client(app);
    expect((await browser.get('/p/testid/as/grace@client.example')).headers.get('location')).toBe('/portal');
    expect((await browser.get('/portal')).status).toBe(200);
  });

  it('lets a plugin refuse password sign-in with its reason, only once the password is right', async () => {
    await buildStaff(t.db, [], { email: 'ada@google-only.example' });
    const wrong = await new Client(app).post('/sign-in', {
      email: 'ada@google-only.example',
      password: 'not it at all',
    });
    expect(await wrong.text()).not.toContain('Test ID');
    const right = await new Client(app).post('/sign-in', {
      email: 'ada@google-only.example',
      password: PASSWORD,
    });
    expect(right.status).toBe(422);
    expect(await right.text()).toContain('Sign in with Test ID: your firm requires it.');
    expect((await audits('session.refused')).map((a) => JSON.parse(a.after_json ?? '{}'))).toEqual([
      { via: 'password', reason: 'Sign in with Test ID: your firm requires it.' },
    ]);
    // Others still sign in with a password.
    await buildStaff(t.db, [], { email: 'bob@firm.example' });
    expect(
      (await new Client(app).post('/sign-in', { email: 'bob@firm.example', password: PASSWORD })).status,
    ).toBe(303);
    expect((await audits('session.signed_in')).map((a) => JSON.parse(a.after_json ?? '{}'))).toEqual([
      { via: 'password' },
    ]);
  });

  it('refuses password sign-in when the plugin that checks it fails, rather than letting it lapse', async () => {
    await buildStaff(t.db, [], { email: 'eve@broken.example' });
    const browser = new Client(app);
    const res = await browser.post('/sign-in', { email: 'eve@broken.example', password: PASSWORD });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(
      'Signing in with a password is not possible right now. Try again later.',
    );
    expect(browser.cookies.has('portico_session')).toBe(false);
    expect((await audits('session.refused')).map((a) => JSON.parse(a.after_json ?? '{}').via)).toEqual([
      'password',
    ]);
  });

  it('audits a right password for a disabled account as refused, telling the browser nothing more', async () => {
    await buildStaff(t.db, [], { email: 'gone@firm.example', disabled: true });
    const res = await new Client(app).post('/sign-in', { email: 'gone@firm.example', password: PASSWORD });
    expect(await res.text()).toContain('That email and password do not match an account that can sign in.');
    expect((await audits('session.refused')).map((a) => JSON.parse(a.after_json ?? '{}'))).toEqual([
      { via: 'password', reason: 'disabled' },
    ]);
  });

  it("counts ways in across the host and plugins, tells a session's age, and shows the account panel", async () => {
    const sam = await buildStaff(t.db, [], { email: 'sam@firm.example' });
    const browser = await signedIn(app, t.db, sam);
    expect(await (await browser.get('/p/testid/ways')).json()).toEqual({ ways: 1 });
    linked.set(sam.id, 2);
    expect(await (await browser.get('/p/testid/ways')).json()).toEqual({ ways: 3 });
    await t.db.updateTable('users').set({ password_hash: null }).where('id', '=', sam.id).execute();
    expect(await (await browser.get('/p/testid/ways')).json()).toEqual({ ways: 2 });
    const { age } = (await (await browser.get('/p/testid/age')).json()) as { age: number };
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(60_000);
    expect(await (await browser.get('/account')).text()).toContain(
      '<h2>Sign-in methods</h2><p>Test ID for sam@firm.example</p>',
    );
  });
});
