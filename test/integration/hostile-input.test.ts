/**
 * Hostile input gets a calm 4xx, never a 500. Every registered route (a route added later is
 * walked too), as the anonymous, a contact who may enter the portal and an Admin, gets every class
 * of malformed request (test/helpers/hostile.ts); none answers 5xx or changes the database, each
 * reaches its route's handler unless it is meant to be refused before any route, and the Admin,
 * whom no route refuses, gets exactly the refusal the class calls for. Then the defects a probe
 * found, each by name.
 */

import type { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { createPasswordToken } from '../../src/auth/password-tokens.js';
import type { User } from '../../src/db/schema.js';
import { type LogFields, type Logger, silentLogger } from '../../src/kernel/log.js';
import { addBinding } from '../../src/permissions/queries.js';
import { Client, fileForm, testConfig } from '../helpers/app.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import { bindAtEntity, buildStaff, buildUser, PASSWORD, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { type Expected, type HostileCase, hostileCases, ODD_METHODS, oddMethod } from '../helpers/hostile.js';
import {
  buildWorld,
  CONTACTS_ONLY,
  comparableAfter,
  concrete,
  deletesLast,
  type Route,
  routesOf,
  UPLOADER_ONLY,
  WALKED_PLUGINS,
  type World,
} from '../helpers/route-walk.js';

/** The app's request log, kept: which handler each request reached, and any error logged. */
function recorder() {
  const seen = { last: undefined as LogFields | undefined, errors: [] as string[] };
  const log: Logger = {
    enabled: (level) => level !== 'debug',
    debug() {},
    info(msg, fields) {
      if (msg === 'request') seen.last = fields;
    },
    warn() {},
    error(msg, fields) {
      seen.errors.push(`${msg} ${JSON.stringify(fields)}`);
    },
  };
  return { seen, log };
}

const PERSONAS = ['the anonymous', 'a contact', 'an Admin'] as const;

describe.each(DIALECTS)('hostile input gets a calm 4xx, never a 500 (%s)', (dialect) => {
  const firm = useFirm(dialect, WALKED_PLUGINS);
  let world: World;

  beforeEach(async () => {
    world = await buildWorld(firm.db, firm.admin);
  });

  async function personaClient(app: Hono, persona: (typeof PERSONAS)[number]): Promise<Client> {
    if (persona === 'the anonymous') return new Client(app);
    // Not the world's Admin, whom the staff routes are about: the walk must not change its caller.
    if (persona === 'an Admin') return signedIn(app, firm.db, await buildStaff(firm.db, ['admin']));
    // A contact who may enter the portal (one without a role there is signed out at once).
    const contact: User = await buildUser(firm.db, { kind: 'contact' });
    await bindAtEntity(firm.db, { userId: contact.id }, 'contact_entity_collaborator', world.entity);
    // Owner of the world's file, as of one they sent: their file page, its rename and delete are theirs.
    await addBinding(
      firm.db,
      { userId: contact.id },
      'contact_owner',
      { type: 'item', id: world.file },
      null,
    );
    return signedIn(app, firm.db, contact);
  }

  it.each(PERSONAS)(
    '%s: every malformed request to every route is refused calmly, changing nothing',
    async (persona) => {
      const { seen, log } = recorder();
      const app = createApp({ config: testConfig(), db: firm.db, log }, firm.assembly);
      const client = await personaClient(app, persona);
      // Who is let through to each route: the Admin to every route but the contacts' own, and to
      // those a contact who may add files (Contact - Entity Collaborator) and owns the world's file.
      const letThrough = (route: Route) =>
        UPLOADER_ONLY.has(route.key)
          ? false
          : persona === 'an Admin'
            ? !CONTACTS_ONLY.has(route.key)
            : persona === 'a contact' && CONTACTS_ONLY.has(route.key);
      const wrong: string[] = [];
      let sent = 0;
      const check = async (cell: string, res: Response, route: Route, expected: Expected, plain?: number) => {
        sent++;
        const admin = letThrough(route);
        const body = await res.text();
        const reached = seen.last?.reached;
        if (res.status >= 500) wrong.push(`${cell}: ${res.status}`);
        if (seen.errors.length) wrong.push(`${cell}: logged ${seen.errors.splice(0).join('; ')}`);
        if (expected.beforeRoute) {
          if (reached === route.path) wrong.push(`${cell}: reached the handler, should be refused before`);
        } else if (reached !== route.path) wrong.push(`${cell}: never reached the handler (${reached})`);
        const statuses = [expected.status ?? [], expected.asPlain && plain ? plain : []].flat();
        // The boundary refuses everyone alike; past it, only the Admin is sure to be let through.
        if ((admin || expected.beforeRoute) && statuses.length && !statuses.includes(res.status))
          wrong.push(`${cell}: ${res.status}, expected ${statuses.join(' or ')}`);
        // Let through, the Admin must never meet a refusal about access (the ids are real).
        const refusal = [401, 403, ...(expected.loseIds ? [] : [404])];
        if (admin && !expected.beforeRoute && refusal.includes(res.status) && res.status !== plain)
          wrong.push(`${cell}: the Admin was refused (${res.status})`);
        if (admin && res.status === 422 && expected.says && !body.includes(expected.says))
          wrong.push(`${cell}: 422 without “${expected.says}”`);
      };

      // A live set-password link (from the command line), so its form is read, not refused as expired.
      const { token } = await createPasswordToken(firm.db, world.staff, null);
      const pathOf = (route: Route) =>
        route.path === '/set-password/:token' ? `/set-password/${token}` : concrete(route.path, world);
      // Requests the Admin may rightly act on (see Expected.mayChange) go last, so every other one
      // finds the world as it was built.
      const later: { route: Route; hostile: HostileCase }[] = [];
      let before = await snapshot(firm.db);
      for (const route of deletesLast(routesOf(app))) {
        // What the route answers when nothing is wrong (GET changes nothing).
        const plain = route.method === 'GET' ? (await client.get(pathOf(route))).status : undefined;
        for (const hostile of await hostileCases(route, world, pathOf(route))) {
          if (letThrough(route) && hostile.admin.mayChange) later.push({ route, hostile });
          else
            await check(
              `${route.key} ← ${hostile.name}`,
              await hostile.send(client),
              route,
              hostile.admin,
              plain,
            );
        }
        const answered = new Set(routesOf(app).flatMap((r) => (r.path === route.path ? [r.method] : [])));
        for (const method of ODD_METHODS.filter((m) => !answered.has(m))) {
          const res = await oddMethod(client, method, pathOf(route));
          await check(`${method} ${route.path}`, res, route, { status: [404, 405], beforeRoute: true });
        }
        const after = await snapshot(firm.db);
        if (
          JSON.stringify(comparableAfter(after, route.key)) !==
          JSON.stringify(comparableAfter(before, route.key))
        )
          wrong.push(`${route.key}: changed the database`);
        before = after;
      }
      for (const { route, hostile } of later)
        await check(`${route.key} ← ${hostile.name}`, await hostile.send(client), route, hostile.admin);
      expect(wrong).toEqual([]);
      expect(sent).toBeGreaterThan(1000);
    },
    180_000,
  );
});

describe.each(DIALECTS)('the defects a hostile-input probe found (%s)', (dialect) => {
  const firm = useFirm(dialect, WALKED_PLUGINS);
  const anonymous = () => new Client(firm.app);

  it('a sign-in sent as multipart without a boundary, or cut short, is refused with 400, not 500', async () => {
    const body = '--b\r\nContent-Disposition: form-data; name="email"\r\n\r\nada@example.com\r\n--b--\r\n';
    for (const [type, sent] of [
      ['multipart/form-data', body],
      ['multipart/form-data; boundary=b', body.slice(0, 40)],
    ] as const) {
      const res = await anonymous().request('/sign-in', {
        method: 'POST',
        body: sent,
        headers: { 'Content-Type': type },
      });
      expect(res.status).toBe(400);
      const html = await res.text();
      expect(html).toContain('This request could not be read');
      expect(html).not.toMatch(/at .*\.(ts|js):\d+/);
    }
  });

  it.each([
    ['sent in chunks', { 'Transfer-Encoding': 'chunked' }],
    ['with its length announced', { 'Content-Length': '200' }],
  ])('a form whose connection drops midway (%s) is refused with 400, not 500', async (_, headers) => {
    const errors: string[] = [];
    const app = createApp(
      { config: testConfig(), db: firm.db, log: { ...silentLogger, error: (m) => errors.push(m) } },
      firm.assembly,
    );
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        controller.enqueue(new TextEncoder().encode('email=ada%40example.com&pass'));
        controller.error(new Error('aborted'));
      },
    });
    const res = await new Client(app).request('/sign-in', {
      method: 'POST',
      body,
      duplex: 'half',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    } as RequestInit);
    expect(res.status).toBe(400);
    expect(errors).toEqual([]);
  });

  it('an htmx request with a broken body gets the refusal as a fragment', async () => {
    const res = await anonymous().request('/sign-in', {
      method: 'POST',
      body: 'x',
      headers: { 'Content-Type': 'multipart/form-data', 'HX-Request': 'true' },
    });
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(html).toContain('<section class="error-page"');
    expect(html).not.toContain('<html');
  });

  it.each(['/entities', '/contacts', '/staff'])(
    'a NUL in the search of %s is refused with 400, not 500',
    async (path) => {
      const admin = await signedIn(firm.app, firm.db, firm.admin);
      expect((await admin.get(`${path}?q=a%00b`)).status).toBe(400);
      expect((await admin.get(`${path}?q=abc`)).status).toBe(200);
    },
  );

  it('invalid UTF-8 in a form is refused with 400 and never stored as replacement characters', async () => {
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const res = await admin.request('/entities', {
      method: 'POST',
      body: 'name=Caf%C3&kind=company&reference=&email=',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(400);
    expect(await firm.db.selectFrom('entities').select('name').execute()).toEqual([]);
    const multipart = await admin.request('/entities', {
      method: 'POST',
      // latin1: the byte C3 as it is, a UTF-8 character cut after its first byte.
      body: Buffer.from(
        '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nCaf\xc3\r\n--b\r\nContent-Disposition: form-data; name="kind"\r\n\r\ncompany\r\n--b--\r\n',
        'latin1',
      ),
      headers: { 'Content-Type': 'multipart/form-data; boundary=b' },
    });
    expect(multipart.status).toBe(400);
    expect(await firm.db.selectFrom('entities').select('name').execute()).toEqual([]);
  });

  it('a field sent twice is refused with 422 naming the field, and nothing is saved', async () => {
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const res = await admin.request('/entities', {
      method: 'POST',
      body: 'name=Harbour+Trust&name=Other&kind=trust&reference=&email=',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('The field “name” was sent more than once.');
    expect(await firm.db.selectFrom('entities').select('name').execute()).toEqual([]);
    const query = await admin.get('/entities?q=a&q=b');
    expect(query.status).toBe(422);
    expect(await query.text()).toContain('The field “q” was sent more than once.');
  });

  it('a sign-in with an address or password no account can have is refused without counting an attempt', async () => {
    const res = await anonymous().post('/sign-in', {
      email: `${'a'.repeat(300)}@example.com`,
      password: PASSWORD,
    });
    expect(res.status).toBe(422);
    expect(await firm.db.selectFrom('sign_in_throttle').selectAll().execute()).toEqual([]);
  });

  it('a CSV holding NUL is refused beside the file field, not stored', async () => {
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const res = await admin.post('/entities/import', fileForm('name,kind,reference\nA\u0000B,company,X\n'));
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('control characters');
    expect(await firm.db.selectFrom('import_previews').selectAll().execute()).toEqual([]);
  });

  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])(
    '/static/%s is not a file: 404, not an empty page cached for a year',
    async (name) => {
      const res = await anonymous().get(`/static/${name}`);
      expect(res.status).toBe(404);
      expect(res.headers.get('Cache-Control')).not.toMatch(/max-age=31536000/);
    },
  );
});
