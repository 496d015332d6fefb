/**
 * The route matrix: every route, called by each kind of person the issue names (anonymous, a
 * contact of entity A, a contact of entity B, Viewer / Editor / Owner given for every entity and at
 * entity A only, Entities Admin, Admin, a disabled user), answers as the rules below say, and a
 * refusal leaves the database exactly as it was. The rules are written per route from what each
 * page promises; the permission module's answers fill them in for each person, so a route that
 * checks the wrong permission, or at the wrong scope, fails here.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import {
  type Actor,
  can,
  canAnywhere,
  contactChain,
  entityChain,
  loadActor,
  mayChooseNotifyRecipients,
  mayManagePortal,
  mayShareAnywhere,
  mayShareEntity,
  type Permission,
} from '../../src/permissions/index.js';
import { Client } from '../helpers/app.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import { bindAtEntity, buildContact, buildEntity, buildStaff, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import {
  buildWorld,
  CONTACTS_ONLY,
  deletesLast,
  PUBLIC,
  REQUIRED,
  type Route,
  routesOf,
  SIGNED_IN,
  send,
  type World,
} from '../helpers/route-walk.js';

type Outcome = 'ok' | 403 | 404;
/** What a staff member gets from a route, given what the permission module says of them. */
type Rule = (actor: Actor, world: World) => Outcome;

const refuse = (key: string): Outcome => (key.includes(':id') ? 404 : 403);

/** Held for the whole firm (the system scope). */
const system =
  (permission: Permission, key: string): Rule =>
  (a) =>
    can(a, permission) ? 'ok' : refuse(key);
/** Held anywhere: a list showing just what the person may see. */
const anywhere =
  (permission: Permission, key: string): Rule =>
  (a) =>
    canAnywhere(a, permission) ? 'ok' : refuse(key);
/** About one object: unseen is missing (404), seen but not allowed is 403. */
const about =
  (chainOf: (w: World) => ReturnType<typeof entityChain>, read: Permission[], act?: Permission): Rule =>
  (a, w) => {
    if (!read.every((p) => can(a, p, chainOf(w)))) return 404;
    return act && !can(a, act, chainOf(w)) ? 403 : 'ok';
  };
const atEntity = (read: Permission[], act?: Permission) => about((w) => entityChain(w.entity), read, act);
const atContact = (read: Permission[], act?: Permission) => about((w) => contactChain(w.entity), read, act);
/** Assign to Entities: for those who may share somewhere. */
const sharer: Rule = (a) => (mayShareAnywhere(a) ? 'ok' : 404);
/** A contact group: seen by those who see contacts anywhere; changed with the group letters. */
const contactGroup =
  (act?: Permission): Rule =>
  (a) => {
    if (!canAnywhere(a, 'contact.summary:R')) return 404;
    return act && !can(a, act) ? 403 : 'ok';
  };

function ruleFor(key: string): Rule {
  const permission = REQUIRED[key] as Permission;
  if (/^(GET|POST) \/(staff|groups|contact-groups|contacts)\/:id\/entities/.test(key)) return sharer;
  if (/^(GET|POST) \/entities\/:id\/(access|client-portal)/.test(key))
    return (a, w) => (mayShareEntity(a, w.entity) ? 'ok' : 404);
  switch (key) {
    case 'GET /entities':
    case 'GET /contacts':
    case 'GET /contacts/new':
    case 'POST /contacts':
    case 'GET /contact-groups':
    case 'GET /contacts/import':
    case 'GET /contacts/import/template.csv':
    case 'POST /contacts/import':
    case 'POST /contacts/import/confirm':
      return anywhere(permission, key);
    case 'GET /entities/:id':
      return atEntity(['entity.summary:R']);
    case 'POST /entities/:id/summary':
      return atEntity(['entity.summary:R'], 'entity.summary:E');
    case 'POST /entities/:id/details':
      return atEntity(['entity.summary:R', 'entity.details:R'], 'entity.details:E');
    case 'POST /entities/:id/delete':
      return atEntity(['entity.summary:R'], 'entity:D');
    case 'GET /entities/:id/notifications':
    case 'POST /entities/:id/notifications':
      return (a, w) =>
        !can(a, 'entity.summary:R', entityChain(w.entity))
          ? 404
          : mayChooseNotifyRecipients(a, w.entity)
            ? 'ok'
            : 403;
    case 'GET /contacts/:id':
      return atContact(['contact.summary:R']);
    case 'POST /contacts/:id/summary':
      return atContact(['contact.summary:R'], 'contact.summary:E');
    case 'POST /contacts/:id/details':
      return atContact(['contact.summary:R', 'contact.details:R'], 'contact.details:E');
    case 'POST /contacts/:id/delete':
      return atContact(['contact.summary:R'], 'contact:D');
    case 'POST /contacts/:id/portal':
      return atContact(['contact.summary:R', 'contact.details:R'], 'contact.details:E');
    case 'GET /portals':
      return anywhere(permission, key);
    // Creating a portal gives roles at its entities: for those who may share somewhere.
    case 'GET /portals/new':
    case 'POST /portals':
      return (a) => (mayShareAnywhere(a) ? 'ok' : 403);
    // A portal is seen through its entities; deleting it takes roles away at each.
    case 'GET /portals/:id':
      return atEntity(['entity.summary:R']);
    case 'GET /portals/:id/edit':
    case 'POST /portals/:id':
    case 'POST /portals/:id/delete':
      return (a, w) =>
        atEntity(['entity.summary:R'])(a, w) === 404 ? 404 : mayManagePortal(a, [w.entity]) ? 'ok' : 403;
    case 'GET /contact-groups/:id':
      return contactGroup();
    case 'POST /contact-groups/:id':
      return contactGroup('contactGroup:E');
    case 'POST /contact-groups/:id/delete':
      return contactGroup('contactGroup:D');
    default:
      return system(permission, key);
  }
}

interface Persona {
  name: string;
  /** Builds the person in the world; null for the anonymous caller. */
  build: (db: Parameters<typeof buildStaff>[0], world: World, entityB: string) => Promise<User | null>;
}

const staffWith =
  (roleId: string, where: 'system' | 'entity A'): Persona['build'] =>
  async (db, world) => {
    if (where === 'system') return buildStaff(db, [roleId]);
    const user = await buildStaff(db);
    await bindAtEntity(db, { userId: user.id }, roleId, world.entity);
    return user;
  };

const contactOf =
  (which: 'A' | 'B'): Persona['build'] =>
  async (db, world, entityB) => {
    const entity = which === 'A' ? world.entity : entityB;
    const user = await buildContact(db, entity);
    await bindAtEntity(db, { userId: user.id }, 'contact_entity_collaborator', entity);
    return user;
  };

const PERSONAS: Persona[] = [
  { name: 'anonymous', build: async () => null },
  { name: 'a contact of entity A', build: contactOf('A') },
  { name: 'a contact of entity B', build: contactOf('B') },
  ...(['viewer', 'editor', 'owner'] as const).flatMap((role) =>
    (['system', 'entity A'] as const).map((where) => ({
      name: `${role} for ${where === 'system' ? 'every entity' : 'entity A'}`,
      build: staffWith(role, where),
    })),
  ),
  { name: 'an Entities Admin', build: (db) => buildStaff(db, ['entities_admin']) },
  { name: 'an Admin', build: (db) => buildStaff(db, ['admin']) },
  {
    name: 'a disabled Admin (with a session left over)',
    build: (db) => buildStaff(db, ['admin'], { disabled: true }),
  },
];

describe.each(DIALECTS)('the route matrix (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let world: World;
  let entityB: string;

  beforeEach(async () => {
    world = await buildWorld(firm.db, firm.admin);
    entityB = await buildEntity(firm.db, 'Harbour Trust');
  });

  it('has a rule for every role-guarded route', () => {
    for (const key of Object.keys(REQUIRED)) expect(ruleFor(key)).toBeTypeOf('function');
  });

  it.each(PERSONAS)('$name', async ({ name, build }) => {
    const person = await build(firm.db, world, entityB);
    const client = person ? await signedIn(firm.app, firm.db, person) : new Client(firm.app);
    const actor = person && person.disabled_at === null ? await loadActor(firm.db, person) : null;
    // A disabled person's leftover session is ended by their first request (that is the change it
    // makes); from then on every route treats them as signed out and changes nothing.
    if (person && person.disabled_at !== null) await client.get('/');
    const routes: Route[] = deletesLast(routesOf(firm.app).filter((r) => !PUBLIC.has(r.key)));
    for (const route of routes) {
      const expected: Outcome | 'sign-in' | 'portal' = !actor
        ? 'sign-in'
        : actor.user.kind === 'contact'
          ? route.key === 'GET /'
            ? 'portal'
            : (route.key.includes('/account') && route.key !== 'POST /account/password') ||
                CONTACTS_ONLY.has(route.key)
              ? 'ok'
              : 403
          : CONTACTS_ONLY.has(route.key)
            ? 403
            : SIGNED_IN.has(route.key)
              ? 'ok'
              : ruleFor(route.key)(actor, world);
      const before = await snapshot(firm.db);
      const res = await send(client, route, world);
      const cell = `${name} → ${route.key}`;
      if (expected === 'sign-in') {
        expect.soft([cell, res.status]).toEqual([cell, route.method === 'GET' ? 302 : 303]);
        expect
          .soft([cell, res.headers.get('Location') ?? ''])
          .toEqual([cell, expect.stringMatching(/^\/sign-in/)]);
      } else if (expected === 'portal') {
        // A contact's home is the client portal.
        expect.soft([cell, res.status, res.headers.get('Location')]).toEqual([cell, 302, '/portal']);
      } else if (expected === 'ok') {
        const fine =
          route.method === 'GET'
            ? res.status === 200
            : res.status < 500 && ![401, 403, 404].includes(res.status);
        expect.soft([cell, res.status, fine]).toEqual([cell, res.status, true]);
        continue;
      } else {
        expect.soft([cell, res.status]).toEqual([cell, expected]);
      }
      expect(await snapshot(firm.db), `${cell} changed the database`).toEqual(before);
    }
  });
});
