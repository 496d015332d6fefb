/**
 * Every registered route is either on the public list or refuses the anonymous caller and a
 * caller without the right role, leaving the database exactly as it was (not just a 403).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { type LogFields, silentLogger } from '../../src/kernel/log.js';
import { can, loadActor, requireSignedIn, signedInRoute } from '../../src/permissions/index.js';
import { buildApp, Client } from '../helpers/app.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import { bindAtEntity, buildStaff, buildUser, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import {
  buildWorld,
  CONTACTS_ONLY,
  CONTACTS_TOO,
  comparableAfter,
  concrete,
  deletesLast,
  PUBLIC,
  REQUIRED,
  routesOf,
  SIGNED_IN,
  send,
  UPLOADER_ONLY,
  WALKED_PLUGINS,
  type World,
} from '../helpers/route-walk.js';

describe.each(DIALECTS)('every route is guarded (%s)', (dialect) => {
  const firm = useFirm(dialect, WALKED_PLUGINS);
  let nobody: User;
  let contact: User;
  let world: World;

  beforeEach(async () => {
    nobody = await buildStaff(firm.db, []);
    world = await buildWorld(firm.db, firm.admin);
    // A contact who may enter the portal (one without a role there is signed out at once).
    contact = await buildUser(firm.db, { kind: 'contact' });
    await bindAtEntity(firm.db, { userId: contact.id }, 'contact_entity_access', world.entity);
  });

  it('walks exactly the routes the app registers, each declared once: public, signed-in, contacts-only or role-guarded', () => {
    const keys = routesOf(firm.app).map((r) => r.key);
    const declared = [...PUBLIC, ...SIGNED_IN, ...CONTACTS_ONLY, ...UPLOADER_ONLY, ...Object.keys(REQUIRED)];
    expect(new Set(declared).size).toBe(declared.length);
    expect([...keys].sort()).toEqual([...declared].sort());
  });

  it('walks a route added with app.all as GET and POST, so it is declared and guarded like any other', () => {
    const app = buildApp(firm.db);
    app.all('/sneaky', (c) => c.text('no guard'));
    const keys = routesOf(app).map((r) => r.key);
    expect(keys.filter((k) => k.endsWith(' /sneaky'))).toEqual(['GET /sneaky', 'POST /sneaky']);
    expect(keys.filter((k) => k.includes('*'))).toEqual([]);
  });

  it('refuses the anonymous caller on every non-public route, changing nothing', async () => {
    for (const route of routesOf(firm.app).filter((r) => !PUBLIC.has(r.key))) {
      const before = await snapshot(firm.db);
      const client = new Client(firm.app);
      const res = await send(client, route, world);
      expect
        .soft([route.key, res.status], route.key)
        .toEqual([route.key, route.method === 'GET' ? 302 : 303]);
      expect.soft(res.headers.get('Location') ?? '', route.key).toMatch(/^\/sign-in/);
      expect(await snapshot(firm.db), `${route.key} changed the database`).toEqual(before);
    }
  });

  it('refuses a signed-in staff member without the right role on every role-guarded route, changing nothing', async () => {
    const client = await signedIn(firm.app, firm.db, nobody);
    for (const route of routesOf(firm.app).filter((r) => !PUBLIC.has(r.key) && !SIGNED_IN.has(r.key))) {
      const before = await snapshot(firm.db);
      const res = await send(client, route, world);
      // Routes taking an id answer 404, exactly as for an id that does not exist; the contacts'
      // own refuse staff whatever they are about.
      const expected = route.path.includes(':id') && !CONTACTS_ONLY.has(route.key) ? 404 : 403;
      expect.soft([route.key, res.status]).toEqual([route.key, expected]);
      expect(await snapshot(firm.db), `${route.key} changed the database`).toEqual(before);
    }
  });

  it('declares what every role-guarded route requires', () => {
    const guarded = routesOf(firm.app)
      .map((r) => r.key)
      .filter((k) => !PUBLIC.has(k) && !SIGNED_IN.has(k) && !CONTACTS_ONLY.has(k) && !UPLOADER_ONLY.has(k));
    expect(guarded.sort()).toEqual(Object.keys(REQUIRED).sort());
  });

  it.each(['staff_admin', 'settings_admin', 'entities_admin'])(
    'a %s is let through exactly where its role grants the permission, and refused elsewhere with nothing changed',
    async (roleId) => {
      const persona = await buildStaff(firm.db, [roleId]);
      const actor = await loadActor(firm.db, persona);
      const client = await signedIn(firm.app, firm.db, persona);
      // Deletions last, so a persona allowed to delete still finds the objects the other routes are about.
      for (const route of deletesLast(routesOf(firm.app).filter((r) => r.key in REQUIRED))) {
        const allowed = can(actor, REQUIRED[route.key]!);
        const before = await snapshot(firm.db);
        const res = await send(client, route, world);
        if (allowed) {
          // Let through means answered: a 500 is a broken route, never a pass.
          expect
            .soft([route.key, res.status < 500 && ![403, 404].includes(res.status)])
            .toEqual([route.key, true]);
        } else {
          expect.soft([route.key, res.status]).toEqual([route.key, route.path.includes(':id') ? 404 : 403]);
          expect(await snapshot(firm.db), `${route.key} changed the database`).toEqual(before);
        }
      }
    },
  );

  it('refuses a contact on every staff route, changing nothing', async () => {
    const client = await signedIn(firm.app, firm.db, contact);
    const home = await client.get('/');
    expect([home.status, home.headers.get('Location')]).toEqual([302, '/portal']);
    for (const route of routesOf(firm.app).filter(
      (r) =>
        !PUBLIC.has(r.key) &&
        !CONTACTS_ONLY.has(r.key) &&
        !CONTACTS_TOO.has(r.key) &&
        !r.key.includes('/account') &&
        r.key !== 'GET /',
    )) {
      const before = await snapshot(firm.db);
      const res = await send(client, route, world);
      expect.soft([route.key, [403, 404].includes(res.status)]).toEqual([route.key, true]);
      expect(await snapshot(firm.db), `${route.key} changed the database`).toEqual(before);
    }
  });

  it('an Admin may use every route (the refusals above are about roles, not broken routes)', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    for (const route of routesOf(firm.app).filter((r) => r.method === 'GET' && !PUBLIC.has(r.key))) {
      const res = await client.get(concrete(route.path, world));
      // The client portal is the clients' side: staff, Admins too, are refused it.
      expect.soft([route.key, res.status]).toEqual([route.key, CONTACTS_ONLY.has(route.key) ? 403 : 200]);
    }
  });

  it('no GET route changes the database, even for an Admin', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    for (const route of routesOf(firm.app).filter((r) => r.method === 'GET')) {
      const before = await snapshot(firm.db);
      await client.get(concrete(route.path, world));
      expect(
        comparableAfter(await snapshot(firm.db), route.key),
        `${route.key} changed the database`,
      ).toEqual(comparableAfter(before, route.key));
    }
  });

  it('a route that neither authorizes nor is declared public fails loudly, naming the route', async () => {
    const errors: [string, LogFields | undefined][] = [];
    const loud = buildApp(firm.db, {}, { ...silentLogger, error: (m, f) => errors.push([m, f]) });
    loud.get('/forgot-to-authorize/:id', (c) => c.text('secret'));
    const res = await new Client(loud).get('/forgot-to-authorize/42');
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('secret');
    const requestId = res.headers.get('X-Request-Id');
    expect(errors.map(([m]) => m)).toEqual([
      'route finished without authorize() or publicRoute',
      'unhandled error',
    ]);
    expect(errors[0]![1]).toEqual({ requestId, method: 'GET', route: '/forgot-to-authorize/:id' });
    expect((errors[1]![1]!.error as Error).message).toBe(
      'GET /forgot-to-authorize/:id neither authorized nor declared public or signed-in',
    );
  });

  it("the request log says how each request's route was decided", async () => {
    const decided: unknown[] = [];
    const logged = buildApp(
      firm.db,
      {},
      {
        ...silentLogger,
        enabled: (level) => level === 'info',
        info: (m, f) => {
          if (m === 'request') decided.push(f?.authz);
        },
      },
    );
    const staff = await signedIn(logged, firm.db, firm.admin);
    await new Client(logged).get('/sign-in');
    await staff.get('/account');
    await staff.get('/staff');
    // Refused before any route decided: an address that is not strict text, a form from another
    // site, a form too large.
    await staff.get('/staff?q=%FF');
    await staff.request('/settings', {
      method: 'POST',
      body: 'a=1',
      headers: { Origin: 'https://evil.example' },
    });
    await staff.post('/settings', { firmName: 'x'.repeat(70 * 1024) });
    expect(decided).toEqual(['public', 'signed-in', 'checked', 'refused', 'refused', 'refused']);
  });

  it('being signed in authorizes nothing unless the route declares it: requireSignedIn alone fails loudly, signedInRoute passes', async () => {
    const errors: string[] = [];
    const loud = buildApp(firm.db, {}, { ...silentLogger, error: (m) => errors.push(m) });
    loud.get('/only-signed-in', (c) => c.text(`secret for ${requireSignedIn(c).user.email}`));
    loud.get('/declared', signedInRoute, (c) => c.text(`yours, ${requireSignedIn(c).user.email}`));
    const client = await signedIn(loud, firm.db, nobody);

    const undeclared = await client.get('/only-signed-in');
    expect(undeclared.status).toBe(500);
    expect(await undeclared.text()).not.toContain('secret');
    expect(errors).toEqual(['route finished without authorize() or publicRoute', 'unhandled error']);

    errors.length = 0;
    const declared = await client.get('/declared');
    expect([declared.status, await declared.text()]).toEqual([200, `yours, ${nobody.email}`]);
    const anonymous = await new Client(loud).get('/declared');
    expect([anonymous.status, anonymous.headers.get('Location')]).toEqual([302, '/sign-in?next=%2Fdeclared']);
    expect(errors).toEqual([]);
  });

  it('declares signedInRoute on exactly the signed-in routes', () => {
    const declaring = firm.app.routes
      .filter((r) => r.handler === signedInRoute)
      .map((r) => `${r.method} ${r.path}`);
    expect(declaring.sort()).toEqual([...SIGNED_IN].sort());
  });
});
