/**
 * The route matrix: every route, called by each kind of person (anonymous, a contact of entity A, a
 * contact of entity B, Viewer / Editor / Owner for every entity and at entity A only, Entity Access
 * at entity A, Entities Admin, Staff Admin, Settings Admin, Admin, a disabled Admin), answers as the
 * seeds say, and a refusal leaves the database exactly as it was.
 *
 * The expected answers never ask the permission module: each persona carries, as data, the letters
 * the seed's sentence about their role gives them and where (for the whole firm, or at entity A);
 * each group of routes carries the docs/access.md rule for who may use it. So a built-in role given
 * a letter the seed does not give it, or a route checking the wrong permission or scope, fails here.
 * "ok" means let through: what a form then allows (giving only roles you hold, and so on) is each
 * page's own tests'.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import type { Permission } from '../../src/permissions/index.js';
import { Client } from '../helpers/app.js';
import { asyncStorageRuns } from '../helpers/async-storage.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import { bindAtEntity, buildContact, buildEntity, buildStaff, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import {
  buildWorld,
  CONTACTS_ONLY,
  CONTACTS_TOO,
  deletesLast,
  PUBLIC,
  REQUIRED,
  type Route,
  routesOf,
  SHARED_WITH_CONTACTS,
  SIGNED_IN,
  send,
  UPLOADER_ONLY,
  WALKED_PLUGINS,
  type World,
} from '../helpers/route-walk.js';

// ---------------------------------------------------------------------------------------------
// What the seeds give each role (caseware-cloud-built-in-roles.txt; letters as in
// caseware-cloud-permissions.txt: C create, R read, E edit, D delete, A share any role, S share
// roles on what you own). Written from the sentences, never from src/permissions/roles.ts.

const letters = (type: string, which: string) => [...which].map((l) => `${type}:${l}` as Permission);
/** Seeing an entity's items means seeing the entity: its summary and its details. */
const ENTITY_READ = [...letters('entity.summary', 'R'), ...letters('entity.details', 'R')];

const SEED = {
  // "View all items for all entities but not to modify this content." (Commenting is not modifying.)
  viewer: [...ENTITY_READ, 'activity:R', 'activity.comment:C', 'file:R'],
  // "View and edit all items for all entities, but not to delete. The user can edit all files and
  // activities content" (the items, not the entity's own summary or details).
  editor: [
    ...ENTITY_READ,
    ...letters('activity', 'CRE'),
    ...letters('activity.comment', 'CE'),
    ...letters('file', 'CRE'),
  ],
  // "View, edit and delete all items for all entities. In addition, users can grant other people
  // security roles on these items where they are the owner." (Share S: "Assign or remove owned user
  // roles".)
  owner: [
    ...ENTITY_READ,
    'entity:S',
    ...letters('activity', 'CREDS'),
    ...letters('activity.comment', 'CED'),
    ...letters('file', 'CREDS'),
  ],
  // "enables users to access entities ... does not enable the user to view or manage staff and
  // contacts or any items in an entity ... typically assigned to users who would otherwise not know
  // that an entity exists."
  entityAccess: ['entity.summary:R'],
  // "Create, edit and delete contacts, contact groups, entities, and all content within entities."
  // (Reading what one edits comes with it; docs/access.md: "may share any role on entities, files
  // and activities (A)".)
  entitiesAdmin: [
    ...letters('contact', 'CD'),
    ...letters('contact.summary', 'RE'),
    ...letters('contact.details', 'RE'),
    ...letters('contactGroup', 'CED'),
    ...letters('entity', 'CDA'),
    ...letters('entity.summary', 'RE'),
    ...letters('entity.details', 'RE'),
    ...letters('activity', 'CREDA'),
    ...letters('activity.comment', 'CED'),
    ...letters('file', 'CREDA'),
  ],
  // "Create, edit and delete staff and staff groups."
  staffAdmin: [
    ...letters('staff', 'CD'),
    ...letters('staff.summary', 'RE'),
    ...letters('staff.details', 'RE'),
    ...letters('staffGroup', 'CED'),
  ],
  // "Access and modify all system settings." (docs/access.md: "Firm settings and tags.")
  settingsAdmin: [...letters('organization', 'RE'), ...letters('tag', 'CED')],
} satisfies Record<string, Permission[]>;

/**
 * docs/access.md, Portals: managing a portal needs, at each of its clients, "every permission the
 * member roles carry": Portal - Full access "sees its clients and every file and activity in them
 * (reads, comments, adds their own)"; a Contributor "sees its clients and adds files and activities".
 */
const PORTAL_MEMBER_LETTERS: Permission[] = [
  ...ENTITY_READ,
  ...letters('activity', 'CR'),
  'activity.comment:C',
  ...letters('file', 'CR'),
];

// ---------------------------------------------------------------------------------------------
// The people

type Who = 'anonymous' | 'contact' | 'staff' | 'disabled';

interface Persona {
  name: string;
  who: Who;
  /** Letters held for the whole firm (the system scope); 'everything' for an Admin. */
  firm?: readonly Permission[] | 'everything';
  /** Letters held at entity A only (the world's entity, its contact's client, its portal's client). */
  atA?: readonly Permission[];
  /** Builds the person in the world; null for the anonymous caller. */
  build: (db: Parameters<typeof buildStaff>[0], world: World, entityB: string) => Promise<User | null>;
}

const forEveryEntity = (roleId: string) => (db: Parameters<typeof buildStaff>[0]) => buildStaff(db, [roleId]);
const atEntityA = (roleId: string) => async (db: Parameters<typeof buildStaff>[0], world: World) => {
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
  { name: 'anonymous', who: 'anonymous', build: async () => null },
  // "Contact - Entity Collaborator ... can create and upload files and activities."
  {
    name: 'a contact of entity A',
    who: 'contact',
    atA: ['entity.summary:R', 'activity:C', 'file:C'],
    build: contactOf('A'),
  },
  { name: 'a contact of entity B', who: 'contact', build: contactOf('B') },
  { name: 'Viewer for every entity', who: 'staff', firm: SEED.viewer, build: forEveryEntity('viewer') },
  { name: 'Viewer at entity A', who: 'staff', atA: SEED.viewer, build: atEntityA('viewer') },
  { name: 'Editor for every entity', who: 'staff', firm: SEED.editor, build: forEveryEntity('editor') },
  { name: 'Editor at entity A', who: 'staff', atA: SEED.editor, build: atEntityA('editor') },
  { name: 'Owner for every entity', who: 'staff', firm: SEED.owner, build: forEveryEntity('owner') },
  { name: 'Owner at entity A', who: 'staff', atA: SEED.owner, build: atEntityA('owner') },
  {
    name: 'Entity Access at entity A',
    who: 'staff',
    atA: SEED.entityAccess,
    build: atEntityA('entity_access'),
  },
  {
    name: 'an Entities Admin',
    who: 'staff',
    firm: SEED.entitiesAdmin,
    build: forEveryEntity('entities_admin'),
  },
  { name: 'a Staff Admin', who: 'staff', firm: SEED.staffAdmin, build: forEveryEntity('staff_admin') },
  {
    name: 'a Settings Admin',
    who: 'staff',
    firm: SEED.settingsAdmin,
    build: forEveryEntity('settings_admin'),
  },
  // "Users with the Admin role can access all content and perform any action."
  { name: 'an Admin', who: 'staff', firm: 'everything', build: forEveryEntity('admin') },
  {
    name: 'a disabled Admin (with a session left over)',
    who: 'disabled',
    build: (db) => buildStaff(db, ['admin'], { disabled: true }),
  },
];

const holdsForFirm = (p: Persona, permission: Permission) =>
  p.firm === 'everything' || (p.firm ?? []).includes(permission);
const holdsAtA = (p: Persona, permission: Permission) =>
  holdsForFirm(p, permission) || (p.atA ?? []).includes(permission);
/** Share (A) anywhere, or Share (S) where they are the Owner: "Share (A) covers what Share (S) covers". */
const sharesAtA = (p: Persona) => holdsAtA(p, 'entity:A') || holdsAtA(p, 'entity:S');

// ---------------------------------------------------------------------------------------------
// The routes, grouped by what they need, each with the rule it follows

type Outcome = 'ok' | 403 | 404;

interface RouteGroup {
  rule: string;
  /** The permission REQUIRED declares for every route in the group. */
  needs: Permission;
  keys: string[];
  expect: (p: Persona, key: string) => Outcome;
}

/** "An address about something you may not see answers as if it did not exist." */
const refused = (key: string): Outcome => (key.includes(':id') ? 404 : 403);

const forTheFirm = (needs: Permission, keys: string[]): RouteGroup => ({
  rule: `a firm-wide page: needs ${needs} for the whole firm`,
  needs,
  keys,
  expect: (p, key) => (holdsForFirm(p, needs) ? 'ok' : refused(key)),
});
const anywhere = (needs: Permission, keys: string[], rule: string): RouteGroup => ({
  rule,
  needs,
  keys,
  expect: (p) => (holdsAtA(p, needs) ? 'ok' : 403),
});
/** About entity A (or its contact, or its portal): unseen is missing (404), seen but not allowed is 403. */
const aboutA = (needs: Permission, read: Permission[], keys: string[], rule: string): RouteGroup => ({
  rule,
  needs,
  keys,
  expect: (p) => (!read.every((r) => holdsAtA(p, r)) ? 404 : holdsAtA(p, needs) ? 'ok' : 403),
});
/** A file in entity A: unread is missing (404), read but not allowed this change is 403. */
function aboutTheFile(needs: Permission, keys: string[]): RouteGroup {
  return {
    rule: `a file: seen with File R, changed with ${needs}`,
    needs,
    keys,
    expect: (p) => (!holdsAtA(p, 'file:R') ? 404 : holdsAtA(p, needs) ? 'ok' : 403),
  };
}
const assignToClients = (base: string) => [
  `GET ${base}/:id/entities`,
  `POST ${base}/:id/entities`,
  `POST ${base}/:id/entities/remove`,
];
/**
 * A contact group is seen by those who see contacts somewhere ("You only ever see and change the
 * members you may see"); changing it needs the Contact Group letter for the whole firm.
 */
const contactGroup = (needs: Permission, keys: string[]): RouteGroup => ({
  rule: 'a contact group: seen by those who see contacts, changed with the Contact Group letters',
  needs,
  keys,
  expect: (p) => (!holdsAtA(p, 'contact.summary:R') ? 404 : holdsForFirm(p, needs) ? 'ok' : 403),
});

const GROUPS: RouteGroup[] = [
  // Staff and staff groups: Staff Admin, "Create, edit and delete staff and staff groups".
  forTheFirm('staff.summary:R', ['GET /staff', 'GET /staff/:id']),
  forTheFirm('staff:C', ['GET /staff/new', 'POST /staff']),
  forTheFirm('staff.summary:E', ['POST /staff/:id/summary']),
  forTheFirm('staff.details:E', [
    'POST /staff/:id/roles',
    'POST /staff/:id/password',
    'POST /staff/:id/password-link',
    'POST /staff/:id/invitation',
  ]),
  forTheFirm('staff:D', ['POST /staff/:id/disable', 'POST /staff/:id/enable']),
  forTheFirm('staff.details:R', ['GET /groups', 'GET /groups/:id']),
  forTheFirm('staffGroup:C', ['GET /groups/new', 'POST /groups']),
  forTheFirm('staffGroup:E', ['POST /groups/:id']),
  forTheFirm('staffGroup:D', ['POST /groups/:id/delete']),
  // Settings: Settings Admin, "Access and modify all system settings"; the audit log is Admin's.
  // Plugins and their settings are system settings too.
  forTheFirm('organization:R', [
    'GET /settings',
    'GET /settings/roles',
    'GET /settings/roles/:id',
    'GET /plugins',
    'GET /plugins/:id/settings',
  ]),
  forTheFirm('organization:E', [
    'POST /plugins/:id/settings',
    // The example plugin marks its log reviewed only for those who may change settings.
    'POST /p/example/reviewed',
    'POST /settings',
    'GET /settings/roles/new',
    'POST /settings/roles',
    'GET /settings/roles/:id/edit',
    'POST /settings/roles/:id',
    'POST /settings/roles/:id/delete',
  ]),
  forTheFirm('auditLog:R', [
    'GET /audit',
    'GET /outbox',
    'GET /outbox/:id',
    'GET /outbox/:id/html',
    'POST /outbox/test',
  ]),
  // Entities.
  anywhere(
    'entity.summary:R',
    ['GET /entities', 'GET /portals'],
    'lists show what the person may see: open to anyone who sees one client',
  ),
  forTheFirm('entity:C', [
    'GET /entities/new',
    'POST /entities',
    'GET /entities/import',
    'GET /entities/import/template.csv',
    'POST /entities/import',
    'POST /entities/import/confirm',
  ]),
  aboutA(
    'entity.summary:R',
    ['entity.summary:R'],
    ['GET /entities/:id'],
    'a client’s page: for those who see it',
  ),
  aboutA(
    'entity.summary:R',
    ['entity.summary:R'],
    ['GET /portals/:id'],
    'See a portal: "staff who may see one of its clients"; "Any other portal’s address answers as if it did not exist"',
  ),
  aboutA(
    'entity.summary:E',
    ['entity.summary:R'],
    ['POST /entities/:id/summary'],
    'An entity’s Summary and Details "are read and edited under separate permissions"',
  ),
  aboutA(
    'entity.details:E',
    ['entity.summary:R', 'entity.details:R'],
    ['POST /entities/:id/details'],
    'An entity’s Summary and Details "are read and edited under separate permissions"',
  ),
  aboutA('entity:D', ['entity.summary:R'], ['POST /entities/:id/delete'], 'deleting a client: Entity D'),
  {
    rule: 'A client’s Settings tab: "for those who may edit its Summary or its Details, or delete it"',
    needs: 'entity.summary:E',
    keys: ['GET /entities/:id/settings'],
    expect: (p) =>
      !holdsAtA(p, 'entity.summary:R')
        ? 404
        : holdsAtA(p, 'entity.summary:E') ||
            (holdsAtA(p, 'entity.details:R') && holdsAtA(p, 'entity.details:E')) ||
            holdsAtA(p, 'entity:D')
          ? 'ok'
          : 403,
  },
  aboutA(
    'entity.summary:R',
    ['entity.summary:R'],
    ['GET /p/example/entities/:id'],
    'the example plugin’s tab in a client’s workspace: for those who see the client',
  ),
  {
    rule: 'Client Portal Notifications: "for those who may share it in the client portal, so its Owners, or edit its Details"',
    needs: 'entity.details:E',
    keys: ['GET /entities/:id/notifications', 'POST /entities/:id/notifications'],
    expect: (p) =>
      !holdsAtA(p, 'entity.summary:R') ? 404 : sharesAtA(p) || holdsAtA(p, 'entity.details:E') ? 'ok' : 403,
  },
  {
    rule: 'Who can see it and Share in Client Portal: "for those who may share it"',
    needs: 'entity:A',
    keys: [
      'GET /entities/:id/access',
      'POST /entities/:id/access',
      'POST /entities/:id/access/revoke',
      'GET /entities/:id/client-portal',
      'POST /entities/:id/client-portal',
    ],
    expect: (p) => (sharesAtA(p) ? 'ok' : 404),
  },
  {
    rule: 'Assign to clients "needs Share at each client: Share (A) (Entities Admin, Admin) or Share (S) (Owner, on clients they own)"',
    needs: 'entity:A',
    keys: ['/staff', '/groups', '/contacts', '/contact-groups'].flatMap(assignToClients),
    expect: (p) => (sharesAtA(p) ? 'ok' : 404),
  },
  {
    rule: 'Create a portal: "staff who may share at each of its clients"',
    needs: 'entity:A',
    keys: ['GET /portals/new', 'POST /portals'],
    expect: (p) => (sharesAtA(p) ? 'ok' : 403),
  },
  {
    rule: 'Edit or delete a portal: "staff who may share at each of its clients ... and hold there every permission the member roles carry"',
    needs: 'entity:A',
    keys: ['GET /portals/:id/edit', 'POST /portals/:id', 'POST /portals/:id/delete'],
    expect: (p) =>
      !holdsAtA(p, 'entity.summary:R')
        ? 404
        : sharesAtA(p) && PORTAL_MEMBER_LETTERS.every((l) => holdsAtA(p, l))
          ? 'ok'
          : 403,
  },
  // Contacts: Entities Admin, "Create, edit and delete contacts, contact groups"; "Someone with a
  // role at an entity that carries contact permissions sees that entity's contacts and no others."
  anywhere('contact.summary:R', ['GET /contacts'], 'the contact list: for those who see contacts somewhere'),
  anywhere(
    'contact:C',
    [
      'GET /contacts/new',
      'GET /contacts/client-choices',
      'POST /contacts',
      'GET /contacts/import',
      'GET /contacts/import/template.csv',
      'POST /contacts/import',
      'POST /contacts/import/confirm',
    ],
    'adding contacts: for those who may add a contact at some client',
  ),
  aboutA(
    'contact.summary:R',
    ['contact.summary:R'],
    ['GET /contacts/:id'],
    'a contact’s page: for those who see them',
  ),
  aboutA(
    'contact.summary:E',
    ['contact.summary:R'],
    ['POST /contacts/:id/summary'],
    'editing a contact’s Summary',
  ),
  aboutA(
    'contact.details:E',
    ['contact.summary:R', 'contact.details:R'],
    ['POST /contacts/:id/details', 'POST /contacts/:id/portal', 'POST /contacts/:id/portal/resend'],
    'Details and the Client portal switch: "flipped by whoever may edit the contact’s Details there"',
  ),
  aboutA('contact:D', ['contact.summary:R'], ['POST /contacts/:id/delete'], 'deleting a contact: Contact D'),
  anywhere(
    'contact.summary:R',
    ['GET /contact-groups'],
    'the contact group list: for those who see contacts somewhere',
  ),
  contactGroup('contact.summary:R', ['GET /contact-groups/:id']),
  forTheFirm('contactGroup:C', ['GET /contact-groups/new', 'POST /contact-groups']),
  contactGroup('contactGroup:E', ['POST /contact-groups/:id']),
  contactGroup('contactGroup:D', ['POST /contact-groups/:id/delete']),
  // Files (the seed's File object: C R E D; "Edit permission for files also enables users to delete
  // empty folders").
  {
    rule: 'A client’s Files tab: for those who see the client and may read or add files in it',
    needs: 'file:R',
    keys: ['GET /entities/:id/files'],
    expect: (p) =>
      holdsAtA(p, 'entity.summary:R') && (holdsAtA(p, 'file:R') || holdsAtA(p, 'file:C')) ? 'ok' : 404,
  },
  aboutA(
    'file:C',
    ['entity.summary:R'],
    ['POST /entities/:id/files', 'POST /entities/:id/files/folders', 'POST /entities/:id/uploads'],
    'uploading (plain or resumable) and making folders: File C where they land',
  ),
  aboutTheFile('file:R', [
    'GET /files/:id',
    'GET /files/:id/download',
    'GET /files/:id/thumbnail',
    'GET /files/:id/preview',
    'GET /files/:id/pages',
    'GET /files/:id/pages/:page',
    'GET /folders/:id/zip',
  ]),
  {
    rule: 'files chosen in a listing, as a zip: a client they see, then what of it they may read',
    needs: 'file:R',
    keys: ['GET /entities/:id/files/zip'],
    expect: (p) => (holdsAtA(p, 'entity.summary:R') && holdsAtA(p, 'file:R') ? 'ok' : 404),
  },
  aboutTheFile('file:E', ['POST /files/:id/rename', 'POST /files/:id/move', 'POST /files/:id/restore']),
  aboutTheFile('file:D', ['POST /files/:id/delete']),
  {
    rule: 'sharing a file with a contact: seen with File R, then File A, or S where they own it',
    needs: 'file:A',
    keys: ['POST /files/:id/share', 'POST /files/:id/unshare'],
    expect: (p) =>
      !holdsAtA(p, 'file:R') ? 404 : holdsAtA(p, 'file:A') || holdsAtA(p, 'file:S') ? 'ok' : 403,
  },
  {
    rule: 'sharing a folder with a contact: seen with the client, then File A, or S where they own it',
    needs: 'file:A',
    keys: ['POST /folders/:id/share', 'POST /folders/:id/unshare'],
    expect: (p) =>
      !holdsAtA(p, 'entity.summary:R') ? 404 : holdsAtA(p, 'file:A') || holdsAtA(p, 'file:S') ? 'ok' : 403,
  },
  aboutA(
    'file:E',
    ['entity.summary:R'],
    ['POST /folders/:id/rename', 'POST /folders/:id/move', 'POST /folders/:id/delete'],
    'renaming a folder, moving it, and deleting it once empty: File E',
  ),
];

/** Contacts-only routes about entity A that need a letter there; an entity they do not see is missing. */
const FOR_CONTACTS_WITH: Record<string, Permission> = {
  'POST /portal/entities/:id/files': 'file:C',
  'POST /portal/entities/:id/uploads': 'file:C',
  // "Portal - Full access members see every file": their Files page lists the client's files.
  'GET /portal/entities/:id/files': 'entity.summary:R',
  'GET /portal/files/:id': 'file:R',
  // A folder as a zip: what of it they read (the world's folder holds the world's file).
  'GET /portal/entities/:id/files/zip': 'file:R',
};

/**
 * A file's own page in the portal, about entity A's file: a file they may not read is missing; one
 * they read but may not change refuses the change (Contact - Editor renames; only Owner deletes).
 */
const FOR_CONTACTS_ON_THE_FILE: Record<string, Permission> = {
  'POST /portal/files/:id/rename': 'file:E',
  'POST /portal/files/:id/delete': 'file:D',
};

const groupOf = (key: string) => GROUPS.find((g) => g.keys.includes(key));

/** What a route answers this person, from the rules above. */
function expected(p: Persona, key: string): Outcome | 'sign-in' | 'portal' {
  if (p.who === 'anonymous' || p.who === 'disabled') return 'sign-in';
  // A resumable upload answers only the person who started it (the world's is another Admin's).
  if (UPLOADER_ONLY.has(key)) return 404;
  if (p.who === 'contact') {
    // "Contacts never open a staff page, whatever a role says." Their home is the client portal;
    // their account page is theirs, though they never set a password.
    if (key === 'GET /') return 'portal';
    const change = FOR_CONTACTS_ON_THE_FILE[key];
    if (change) return !holdsAtA(p, 'file:R') ? 404 : holdsAtA(p, change) ? 'ok' : 403;
    if (CONTACTS_ONLY.has(key)) {
      const needs = FOR_CONTACTS_WITH[key];
      return !needs || holdsAtA(p, needs) ? 'ok' : 404;
    }
    if (CONTACTS_TOO.has(key)) return 'ok';
    if (SHARED_WITH_CONTACTS.has(key)) return 404;
    return key.includes('/account') && key !== 'POST /account/password' ? 'ok' : 403;
  }
  // "Staff are refused the portal, as contacts are refused every staff page."
  if (CONTACTS_ONLY.has(key)) return 403;
  if (SIGNED_IN.has(key)) return 'ok';
  const group = groupOf(key);
  if (!group) throw new Error(`no rule for ${key}`);
  return group.expect(p, key);
}

describe('the route matrix’s rules', () => {
  it('name every role-guarded route exactly once, each with the permission the route table declares', () => {
    const listed = GROUPS.flatMap((g) => g.keys);
    expect([...listed].sort()).toEqual(Object.keys(REQUIRED).sort());
    expect(new Set(listed).size).toBe(listed.length);
    for (const g of GROUPS) for (const key of g.keys) expect([key, REQUIRED[key]]).toEqual([key, g.needs]);
  });
});

describe.each(DIALECTS)('the route matrix (%s)', (dialect) => {
  const firm = useFirm(dialect, WALKED_PLUGINS);
  let world: World;
  let entityB: string;

  beforeEach(async () => {
    world = await buildWorld(firm.db, firm.admin);
    entityB = await buildEntity(firm.db, 'Harbour Trust');
  });

  it.each(PERSONAS)('$name', async (persona) => {
    const { name, build } = persona;
    const person = await build(firm.db, world, entityB);
    const client = person ? await signedIn(firm.app, firm.db, person) : new Client(firm.app);
    // A disabled person's leftover session is ended by their first request (that is the change it
    // makes); from then on every route treats them as signed out and changes nothing.
    if (person && person.disabled_at !== null) await client.get('/');
    const routes: Route[] = deletesLast(routesOf(firm.app).filter((r) => !PUBLIC.has(r.key)));
    const storageRuns = await asyncStorageRuns(async () => {
      for (const route of routes) {
        const expectation = expected(persona, route.key);
        const before = await snapshot(firm.db);
        const res = await send(client, route, world);
        const cell = `${name} → ${route.key}`;
        if (expectation === 'sign-in') {
          expect.soft(res.status, cell).toBe(route.method === 'GET' ? 302 : 303);
          expect.soft(res.headers.get('Location') ?? '', cell).toMatch(/^\/sign-in/);
        } else if (expectation === 'portal') {
          // A contact's home is the client portal.
          expect.soft([res.status, res.headers.get('Location')], cell).toEqual([302, '/portal']);
        } else if (expectation === 'ok') {
          const through =
            route.method === 'GET'
              ? res.status === 200
              : res.status < 500 && ![401, 403, 404].includes(res.status);
          expect.soft(through, `${cell} answered ${res.status}, expected to be let through`).toBe(true);
          continue;
        } else {
          expect.soft(res.status, cell).toBe(expectation);
        }
        expect(await snapshot(firm.db), `${cell} changed the database`).toEqual(before);
      }
    });
    // No page may start AsyncLocalStorage (test/helpers/async-storage.ts says why).
    expect(storageRuns, 'AsyncLocalStorage.run calls while walking the pages').toBe(0);
  });
});
