/**
 * Every registered route is either on the public list or refuses the anonymous caller and a
 * caller without the right role, leaving the database exactly as it was (not just a 403).
 */
import type { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { silentLogger } from '../../src/log.js';
import { can, loadActor, type Permission } from '../../src/permissions/index.js';
import { buildApp, Client, fileForm } from '../helpers/app.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildGroup,
  buildRole,
  buildStaff,
  buildUser,
  PASSWORD,
  signedIn,
} from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';

/** Routes anyone may call. Adding a public route means adding it here, on purpose. */
const PUBLIC = new Set([
  'GET /static/:file',
  'GET /healthz',
  'GET /setup',
  'POST /setup',
  'GET /sign-in',
  'POST /sign-in',
  'POST /sign-out',
  'GET /set-password/:token',
  'POST /set-password/:token',
]);

/** Routes any signed-in staff member may use: they refuse only the anonymous (and contacts, for "/"). */
const SIGNED_IN = new Set([
  'GET /',
  'GET /account',
  'POST /account/password',
  'POST /account/sign-out-others',
]);

/** What each role-guarded route requires. A new route must be added here, or the walk fails. */
const REQUIRED: Record<string, Permission> = {
  'GET /staff': 'staff.summary:R',
  'GET /staff/new': 'staff:C',
  'POST /staff': 'staff:C',
  'GET /staff/:id': 'staff.summary:R',
  'POST /staff/:id/summary': 'staff.summary:E',
  'POST /staff/:id/roles': 'staff.details:E',
  'POST /staff/:id/disable': 'staff:D',
  'POST /staff/:id/enable': 'staff:D',
  'POST /staff/:id/password': 'staff.details:E',
  'POST /staff/:id/password-link': 'staff.details:E',
  'GET /groups': 'staff.details:R',
  'GET /groups/new': 'staffGroup:C',
  'POST /groups': 'staffGroup:C',
  'GET /groups/:id': 'staff.details:R',
  'POST /groups/:id': 'staffGroup:E',
  'POST /groups/:id/delete': 'staffGroup:D',
  'GET /entities': 'entity.summary:R',
  'GET /entities/new': 'entity:C',
  'POST /entities': 'entity:C',
  'GET /entities/:id': 'entity.summary:R',
  'GET /entities/import': 'entity:C',
  'GET /entities/import/template.csv': 'entity:C',
  'POST /entities/import': 'entity:C',
  'POST /entities/import/confirm': 'entity:C',
  'POST /entities/:id/summary': 'entity.summary:E',
  'POST /entities/:id/details': 'entity.details:E',
  'POST /entities/:id/delete': 'entity:D',
  'GET /contacts': 'contact.summary:R',
  'GET /contacts/new': 'contact:C',
  'POST /contacts': 'contact:C',
  'GET /contacts/:id': 'contact.summary:R',
  'GET /contacts/import': 'contact:C',
  'GET /contacts/import/template.csv': 'contact:C',
  'POST /contacts/import': 'contact:C',
  'POST /contacts/import/confirm': 'contact:C',
  'POST /contacts/:id/summary': 'contact.summary:E',
  'POST /contacts/:id/details': 'contact.details:E',
  'POST /contacts/:id/delete': 'contact:D',
  'GET /contact-groups': 'contact.summary:R',
  'GET /contact-groups/new': 'contactGroup:C',
  'POST /contact-groups': 'contactGroup:C',
  'GET /contact-groups/:id': 'contact.summary:R',
  'POST /contact-groups/:id': 'contactGroup:E',
  'POST /contact-groups/:id/delete': 'contactGroup:D',
  ...Object.fromEntries(
    ['/staff', '/contacts', '/groups', '/contact-groups'].flatMap((base) => [
      [`GET ${base}/:id/entities`, 'entity:A'],
      [`POST ${base}/:id/entities`, 'entity:A'],
      [`POST ${base}/:id/entities/remove`, 'entity:A'],
    ]),
  ),
  'GET /entities/:id/access': 'entity:A',
  'POST /entities/:id/access/revoke': 'entity:A',
  'GET /settings': 'organization:R',
  'POST /settings': 'organization:E',
  'GET /settings/roles': 'organization:R',
  'GET /settings/roles/new': 'organization:E',
  'POST /settings/roles': 'organization:E',
  'GET /settings/roles/:id': 'organization:R',
  'GET /settings/roles/:id/edit': 'organization:E',
  'POST /settings/roles/:id': 'organization:E',
  'POST /settings/roles/:id/delete': 'organization:E',
  'GET /audit': 'auditLog:R',
};

/** A plausible, valid body per route, so a refusal is never just a validation error. */
function bodyFor(
  route: string,
  ids: { staff: string; group: string; contact: string; entity: string; binding: (route: string) => string },
): Record<string, string | string[]> | FormData {
  switch (route) {
    case 'POST /entities/import':
      return fileForm('name,kind,reference\nIntruder Holdings,company,X1\n');
    case 'POST /contacts/import':
      return fileForm('first_name,last_name,email,client\nEve,Intruder,eve@example.com,\n');
    case 'POST /entities/import/confirm':
    case 'POST /contacts/import/confirm':
      return { id: 'a-preview-id', rows: 'all' };
    case 'POST /staff':
      return {
        firstName: 'Eve',
        lastName: 'Intruder',
        email: 'eve@example.com',
        signIn: 'password',
        password: PASSWORD,
        roles: ['admin'],
      };
    case 'POST /staff/:id/summary':
      return { firstName: 'Eve', lastName: 'Renamed', email: 'renamed@example.com' };
    case 'POST /staff/:id/roles':
      return { roles: ['staff_admin'] };
    case 'POST /staff/:id/password':
      return { password: 'a brand new password 123' };
    case 'POST /groups':
      return { name: 'Intruders', description: '', members: [ids.staff], roles: ['admin'] };
    case 'POST /groups/:id':
      return { name: 'Renamed', description: 'x', members: [], roles: [] };
    case 'POST /entities':
      return { name: 'Intruder Holdings', kind: 'company', reference: 'X1', email: 'x@example.com' };
    case 'POST /entities/:id/summary':
      return { name: 'Renamed Holdings', kind: 'trust', reference: '' };
    case 'POST /entities/:id/details':
      return { email: 'changed@example.com', phone: '1', taxNumber: '', address: '', notes: 'x' };
    case 'POST /entities/:id/delete':
      return { confirm: 'yes' };
    case 'POST /contacts':
      return { firstName: 'Eve', lastName: 'Intruder', email: 'eve@example.com', client: '', phone: '1' };
    case 'POST /contacts/:id/summary':
      return { firstName: 'Eve', lastName: 'Renamed', email: 'renamed@example.com', client: '' };
    case 'POST /contacts/:id/details':
      return { phone: '1', address: 'x', notes: 'x' };
    case 'POST /contacts/:id/delete':
      return { confirm: 'yes' };
    case 'POST /contact-groups':
      return { name: 'Intruders', description: '', members: [ids.contact], membersShown: [ids.contact] };
    case 'POST /contact-groups/:id':
      return { name: 'Renamed', description: 'x', members: [], membersShown: [ids.contact] };
    case 'POST /contact-groups/:id/delete':
      return { confirm: 'yes' };
    case 'POST /staff/:id/entities':
    case 'POST /groups/:id/entities':
      return { entities: [ids.entity], role: 'owner' };
    case 'POST /contacts/:id/entities':
    case 'POST /contact-groups/:id/entities':
      return { entities: [ids.entity], role: 'contact_entity_collaborator' };
    case 'POST /staff/:id/entities/remove':
    case 'POST /contacts/:id/entities/remove':
    case 'POST /groups/:id/entities/remove':
    case 'POST /contact-groups/:id/entities/remove':
    case 'POST /entities/:id/access/revoke':
      return { binding: ids.binding(route) };
    case 'POST /settings':
      return { firmName: 'Taken Over', entityLabel: 'Matter', timeZone: 'UTC' };
    case 'POST /settings/roles':
      return { name: 'Intruders', kind: 'staff', permissions: ['organization:E'] };
    case 'POST /settings/roles/:id':
      return { name: 'Renamed role', kind: 'contact', permissions: ['tag:C'] };
    case 'POST /settings/roles/:id/delete':
      return { confirm: 'yes' };
    case 'POST /account/password':
      return {
        currentPassword: PASSWORD,
        password: 'another long password',
        passwordConfirm: 'another long password',
      };
    default:
      return {};
  }
}

function routesOf(app: Hono): { method: string; path: string; key: string }[] {
  const seen = new Set<string>();
  return app.routes
    .filter((r) => r.method !== 'ALL')
    .map((r) => ({ method: r.method, path: r.path, key: `${r.method} ${r.path}` }))
    .filter((r) => !seen.has(r.key) && seen.add(r.key));
}

describe.each(DIALECTS)('every route is guarded (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let nobody: User;
  let contact: User;
  let groupId: string;
  let entityId: string;
  let contactId: string;
  let contactGroupId: string;
  let roleId: string;

  beforeEach(async () => {
    nobody = await buildStaff(firm.db, []);
    contact = await buildUser(firm.db, { kind: 'contact' });
    groupId = await buildGroup(firm.db, 'Admins', [firm.admin.id], ['admin']);
    entityId = await buildEntity(firm.db, 'Clearwater Holdings');
    contactId = (await buildContact(firm.db, entityId)).id;
    contactGroupId = await buildGroup(firm.db, 'Clearwater family', [contactId], [], 'contact');
    roleId = await buildRole(firm.db, 'Bookkeepers', ['tag:C', 'file:R']);
    // One role at the entity per kind of holder, for the routes that remove one.
    const bystander = await buildStaff(firm.db, []);
    const holders: [string, { userId: string } | { groupId: string }, string][] = [
      ['/staff', { userId: firm.admin.id }, 'viewer'],
      ['/contacts', { userId: contactId }, 'contact_entity_access'],
      ['/groups', { groupId }, 'viewer'],
      ['/contact-groups', { groupId: contactGroupId }, 'contact_entity_access'],
      ['/entities', { userId: bystander.id }, 'viewer'],
    ];
    bindingIds = new Map();
    for (const [prefix, principal, role] of holders) {
      await bindAtEntity(firm.db, principal, role, entityId);
      const row = await firm.db
        .selectFrom('role_bindings')
        .select('id')
        .where(
          'userId' in principal ? 'user_id' : 'group_id',
          '=',
          'userId' in principal ? principal.userId : principal.groupId,
        )
        .where('scope_id', '=', entityId)
        .executeTakeFirstOrThrow();
      bindingIds.set(prefix, row.id);
    }
  });

  let bindingIds: Map<string, string>;
  const ids = () => ({
    staff: nobody.id,
    group: groupId,
    contact: contactId,
    entity: entityId,
    binding: (route: string) => bindingIds.get(`/${route.split('/')[1]}`) ?? '',
  });

  /** The object an `:id` route is about, by the path it starts with; else a staff member. */
  const idFor = (path: string) => {
    const byPrefix: [string, string][] = [
      ['/contact-groups', contactGroupId],
      ['/groups', groupId],
      ['/entities', entityId],
      ['/contacts', contactId],
      ['/settings/roles', roleId],
    ];
    return byPrefix.find(([prefix]) => path.startsWith(prefix))?.[1] ?? firm.admin.id;
  };

  const concrete = (path: string) =>
    path.replace(':id', idFor(path)).replace(':token', 'not-a-real-token').replace(':file', 'app.css');

  it('knows every route it walks (the app registers routes)', () => {
    const keys = routesOf(firm.app).map((r) => r.key);
    expect(keys.length).toBeGreaterThan(20);
    for (const key of PUBLIC) expect(keys).toContain(key);
  });

  it('refuses the anonymous caller on every non-public route, changing nothing', async () => {
    for (const route of routesOf(firm.app).filter((r) => !PUBLIC.has(r.key))) {
      const before = await snapshot(firm.db);
      const client = new Client(firm.app);
      const res =
        route.method === 'GET'
          ? await client.get(concrete(route.path))
          : await client.post(concrete(route.path), bodyFor(route.key, ids()));
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
      const res =
        route.method === 'GET'
          ? await client.get(concrete(route.path))
          : await client.post(concrete(route.path), bodyFor(route.key, ids()));
      // Routes taking an id answer 404, exactly as for an id that does not exist.
      const expected = route.path.includes(':id') ? 404 : 403;
      expect.soft([route.key, res.status]).toEqual([route.key, expected]);
      expect(await snapshot(firm.db), `${route.key} changed the database`).toEqual(before);
    }
  });

  it('declares what every role-guarded route requires', () => {
    const guarded = routesOf(firm.app)
      .map((r) => r.key)
      .filter((k) => !PUBLIC.has(k) && !SIGNED_IN.has(k));
    expect(guarded.sort()).toEqual(Object.keys(REQUIRED).sort());
  });

  it.each(['staff_admin', 'settings_admin', 'entities_admin'])(
    'a %s is let through exactly where its role grants the permission, and refused elsewhere with nothing changed',
    async (roleId) => {
      const persona = await buildStaff(firm.db, [roleId]);
      const actor = await loadActor(firm.db, persona);
      const client = await signedIn(firm.app, firm.db, persona);
      // Deletions last, so a persona allowed to delete still finds the objects the other routes are about.
      const guarded = routesOf(firm.app).filter((r) => r.key in REQUIRED);
      const deletesLast = [
        ...guarded.filter((r) => !r.path.endsWith('/delete')),
        ...guarded.filter((r) => r.path.endsWith('/delete')),
      ];
      for (const route of deletesLast) {
        const allowed = can(actor, REQUIRED[route.key]!);
        const before = await snapshot(firm.db);
        const res =
          route.method === 'GET'
            ? await client.get(concrete(route.path))
            : await client.post(concrete(route.path), bodyFor(route.key, ids()));
        if (allowed) {
          expect.soft([route.key, [403, 404].includes(res.status)]).toEqual([route.key, false]);
        } else {
          expect.soft([route.key, res.status]).toEqual([route.key, route.path.includes(':id') ? 404 : 403]);
          expect(await snapshot(firm.db), `${route.key} changed the database`).toEqual(before);
        }
      }
    },
  );

  it('refuses a contact on every staff route, changing nothing', async () => {
    const client = await signedIn(firm.app, firm.db, contact);
    for (const route of routesOf(firm.app).filter((r) => !PUBLIC.has(r.key) && !r.key.includes('/account'))) {
      const before = await snapshot(firm.db);
      const res =
        route.method === 'GET'
          ? await client.get(concrete(route.path))
          : await client.post(concrete(route.path), bodyFor(route.key, ids()));
      expect.soft([route.key, [403, 404].includes(res.status)]).toEqual([route.key, true]);
      expect(await snapshot(firm.db), `${route.key} changed the database`).toEqual(before);
    }
  });

  it('an Admin may use every route (the refusals above are about roles, not broken routes)', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    for (const route of routesOf(firm.app).filter((r) => r.method === 'GET' && !PUBLIC.has(r.key))) {
      const res = await client.get(concrete(route.path));
      expect.soft([route.key, res.status]).toEqual([route.key, 200]);
    }
  });

  it('no GET route changes the database, even for an Admin', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    for (const route of routesOf(firm.app).filter((r) => r.method === 'GET')) {
      const before = await snapshot(firm.db);
      await client.get(concrete(route.path));
      expect(await snapshot(firm.db), `${route.key} changed the database`).toEqual(before);
    }
  });

  it('a route that neither authorizes nor is declared public fails loudly', async () => {
    const errors: string[] = [];
    const loud = buildApp(firm.db, {}, { ...silentLogger, error: (m) => errors.push(m) });
    loud.get('/forgot-to-authorize', (c) => c.text('secret'));
    const res = await new Client(loud).get('/forgot-to-authorize');
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain('secret');
    expect(errors).toContain('route finished without authorize() or publicRoute');
  });
});
