/**
 * Walking every registered route: which are public, which any signed-in staff member may use, what
 * each role-guarded one requires, a small world of objects for the `:id` routes to be about, a
 * plausible body per route (so a refusal is never just a validation error), and one request per
 * route. Shared by the route-guard test and the persona matrix.
 */
import type { Hono } from 'hono';
import type { Db } from '../../src/db/connect.js';
import type { User } from '../../src/db/schema.js';
import { outboxTransport } from '../../src/mail/outbox.js';
import { queueMail } from '../../src/mail/send.js';
import type { Permission } from '../../src/permissions/index.js';
import { addBinding } from '../../src/permissions/queries.js';
import { type Client, fileForm } from './app.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildFile,
  buildGroup,
  buildPortal,
  buildRole,
  buildStaff,
  buildUpload,
  PASSWORD,
} from './factories.js';
import { pdfOf } from './pdf.js';
import { webhookMail } from './resend-webhook.js';

/**
 * The plugins the walks load, so their routes are walked like the core's: the OpenID provider's
 * issuer is a closed port, so a sign-in started answers "could not be reached" without waiting.
 * And the configuration that turns on the core routes that need some (Resend's webhook).
 */
export const WALKED_PLUGINS = {
  plugins: ['example', 'oidc', 'myob'],
  // Resend's webhook set up (email itself still kept in the outbox), so its route is walked live.
  config: { mail: webhookMail() },
  env: {
    OIDC_PROVIDERS: 'local',
    OIDC_LOCAL_ISSUER: 'http://127.0.0.1:9',
    OIDC_LOCAL_CLIENT_ID: 'portico',
    OIDC_LOCAL_CLIENT_SECRET: 'walk-secret',
    MYOB_CLIENT_ID: 'portico',
    MYOB_CLIENT_SECRET: 'walk-secret',
    MYOB_AUTHORIZE_URL: 'http://127.0.0.1:9/oauth2/account/authorize',
    MYOB_TOKEN_URL: 'http://127.0.0.1:9/oauth2/v1/authorize',
  },
} as const;

/**
 * GET routes that may write two things: signing in with a provider is GETs by nature (its button
 * is a link, the provider answers with a redirect), so starting one keeps the sign-in in progress
 * (its plugin's `_flows` table, for ten minutes) and a refused attempt is audited. Anything else
 * they change fails the walks like any other GET's change.
 */
export const SIGN_IN_GETS = new Set([
  'GET /p/oidc/:provider/start',
  'GET /p/oidc/:provider/callback',
  'GET /p/myob/:provider/start',
  'GET /p/myob/:provider/callback',
]);

/** GET routes whose one write is an audit line: downloads ("every download is in the audit log"). */
export const AUDITED_GETS = new Set([
  'GET /files/:id/download',
  'GET /folders/:id/zip',
  'GET /entities/:id/files/zip',
  'GET /portal/entities/:id/files/zip',
]);

/**
 * GET routes whose one write is the image they make on first request (src/files/previews.ts),
 * kept so it is not made again. They are walked with an image (World.image), so they make one.
 */
export const PREVIEW_GETS = new Set(['GET /files/:id/thumbnail', 'GET /files/:id/preview']);

/** Likewise a PDF's pages (src/files/pdf-pages.ts), walked with a PDF (World.pdf), so they draw it. */
export const PDF_PAGE_GETS = new Set(['GET /files/:id/pages', 'GET /files/:id/pages/:page']);

/**
 * The snapshot as the walks compare it after `routeKey`: for a SIGN_IN_GETS route, without its
 * audit lines and flows; for an AUDITED_GETS route, without its audit lines; for a PREVIEW_GETS
 * route, without the kept images.
 */
export function comparableAfter(snap: Record<string, string[]>, routeKey: string): Record<string, string[]> {
  const kept = SIGN_IN_GETS.has(routeKey)
    ? (table: string) => table !== 'audit_events' && !table.endsWith('_flows')
    : AUDITED_GETS.has(routeKey)
      ? (table: string) => table !== 'audit_events'
      : PREVIEW_GETS.has(routeKey) || PDF_PAGE_GETS.has(routeKey)
        ? (table: string) => table !== 'file_previews'
        : null;
  if (!kept) return snap;
  return Object.fromEntries(Object.entries(snap).filter(([table]) => kept(table)));
}

/** Routes anyone may call. Adding a public route means adding it here, on purpose. */
export const PUBLIC = new Set([
  'GET /static/:file',
  'GET /favicon.ico',
  'GET /healthz',
  // The client portal's colours: nothing a stranger could not see on any portal page's link.
  'GET /theme.css',
  'GET /setup',
  'POST /setup',
  'GET /sign-in',
  'POST /sign-in',
  'POST /sign-out',
  'GET /set-password/:token',
  'POST /set-password/:token',
  'GET /sign-in/link',
  'POST /sign-in/link',
  'GET /sign-in/link/:token',
  'POST /sign-in/link/:token',
  'POST /sign-in/link/:token/resend',
  'GET /forgot-password',
  'POST /forgot-password',
  // Signing in with a provider (plugins/oidc, plugins/myob): its start and the provider's answer.
  ...SIGN_IN_GETS,
  // Resend's delivery webhooks (src/mail/deliveries): from Resend's servers, proven by their
  // signature, never by a session; 404 unless RESEND_WEBHOOK_SECRET is set.
  'POST /webhooks/resend',
]);

/** The client portal: contacts who may enter it; staff are refused (403), the anonymous sent to sign in. */
export const CONTACTS_ONLY = new Set([
  'GET /portal',
  // A contact's upload to an entity they may add files to (Contact - Entity Collaborator).
  'POST /portal/entities/:id/files',
  'POST /portal/entities/:id/uploads',
  // Their Files page, folder by folder, and a file's own page, renamed or deleted where their role lets them.
  'GET /portal/entities/:id/files',
  // A folder of it as one zip, as far as it is theirs.
  'GET /portal/entities/:id/files/zip',
  'GET /portal/files/:id',
  'POST /portal/files/:id/rename',
  'POST /portal/files/:id/delete',
]);

/**
 * A resumable upload's own routes: only the person who started it (the world's upload is the
 * Admin's), while they may add files where it goes; anyone else is answered as for a missing one.
 */
export const UPLOADER_ONLY = new Set(['GET /uploads/:id', 'PATCH /uploads/:id', 'DELETE /uploads/:id']);

/** The routes that speak tus, walked with its headers (and a chunk, for PATCH). */
export const TUS_ROUTES = new Set([
  ...UPLOADER_ONLY,
  'POST /entities/:id/uploads',
  'POST /portal/entities/:id/uploads',
]);

/**
 * Role-guarded routes contacts share with staff: a file's download and its images, for whoever may
 * read the file.
 * The walked file is shared with no contact, so a contact is answered as for a missing file.
 */
export const SHARED_WITH_CONTACTS = new Set(['GET /files/:id/download', ...PREVIEW_GETS, ...PDF_PAGE_GETS]);

/** Routes of SIGNED_IN that contacts may use too, as they use their account page. */
export const CONTACTS_TOO = new Set([
  'POST /p/oidc/identities/:id/unlink',
  'POST /p/myob/identities/:id/unlink',
]);

/**
 * Routes any signed-in staff member may use, each declared `signedInRoute`: they refuse only the
 * anonymous (and contacts, for "/").
 */
export const SIGNED_IN = new Set([
  'GET /',
  'GET /account',
  'POST /account/password',
  'POST /account/sign-out-others',
  // One's own notifications (src/notifications/inbox-routes.tsx): staff, each only their own.
  'GET /notifications',
  'POST /notifications/read',
  // The example plugin's log (plugins/example): staff, each seeing only the clients they may.
  'GET /p/example',
  // Unlinking one's own provider identity; another's answers like a missing one.
  ...CONTACTS_TOO,
]);

/** What each role-guarded route requires. A new route must be added here, or the walk fails. */
export const REQUIRED: Record<string, Permission> = {
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
  'POST /staff/:id/invitation': 'staff.details:E',
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
  // Settings: any of its forms (Summary E, Details E, Entity D); the Summary's names it here.
  'GET /entities/:id/settings': 'entity.summary:E',
  'GET /entities/import': 'entity:C',
  'GET /entities/import/template.csv': 'entity:C',
  'POST /entities/import': 'entity:C',
  'POST /entities/import/confirm': 'entity:C',
  'POST /entities/:id/summary': 'entity.summary:E',
  'POST /entities/:id/details': 'entity.details:E',
  'POST /entities/:id/delete': 'entity:D',
  'GET /contacts': 'contact.summary:R',
  'GET /contacts/new': 'contact:C',
  'GET /contacts/client-choices': 'contact:C',
  'POST /contacts': 'contact:C',
  'GET /contacts/:id': 'contact.summary:R',
  'GET /contacts/import': 'contact:C',
  'GET /contacts/import/template.csv': 'contact:C',
  'POST /contacts/import': 'contact:C',
  'POST /contacts/import/confirm': 'contact:C',
  'POST /contacts/:id/summary': 'contact.summary:E',
  'POST /contacts/:id/details': 'contact.details:E',
  'POST /contacts/:id/delete': 'contact:D',
  'POST /contacts/:id/portal': 'contact.details:E',
  'POST /contacts/:id/portal/resend': 'contact.details:E',
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
  'GET /portals': 'entity.summary:R',
  'GET /portals/new': 'entity:A',
  'POST /portals': 'entity:A',
  'GET /portals/:id': 'entity.summary:R',
  'GET /portals/:id/edit': 'entity:A',
  'POST /portals/:id': 'entity:A',
  'POST /portals/:id/delete': 'entity:A',
  'GET /entities/:id/access': 'entity:A',
  'POST /entities/:id/access': 'entity:A',
  'POST /entities/:id/access/revoke': 'entity:A',
  'GET /entities/:id/client-portal': 'entity:A',
  'POST /entities/:id/client-portal': 'entity:A',
  'GET /entities/:id/notifications': 'entity.details:E',
  'POST /entities/:id/notifications': 'entity.details:E',
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
  'GET /outbox': 'auditLog:R',
  'GET /outbox/:id': 'auditLog:R',
  'GET /outbox/:id/html': 'auditLog:R',
  'POST /outbox/test': 'auditLog:R',
  'GET /plugins': 'organization:R',
  'GET /plugins/:id/settings': 'organization:R',
  'POST /plugins/:id/settings': 'organization:E',
  'POST /p/example/reviewed': 'organization:E',
  // The example plugin's tab in a client's workspace.
  'GET /p/example/entities/:id': 'entity.summary:R',
  // Files (src/files): the Files tab lists what the reader may read; uploads and folders need File C.
  'GET /entities/:id/files': 'file:R',
  'POST /entities/:id/files': 'file:C',
  'POST /entities/:id/files/folders': 'file:C',
  // Starting a resumable upload (src/files/resumable): File C where it goes.
  'POST /entities/:id/uploads': 'file:C',
  'GET /files/:id': 'file:R',
  'GET /files/:id/download': 'file:R',
  // Its thumbnail and preview: exactly as its download.
  'GET /files/:id/thumbnail': 'file:R',
  'GET /files/:id/preview': 'file:R',
  // A PDF's pages, and each page's image: as its download too.
  'GET /files/:id/pages': 'file:R',
  'GET /files/:id/pages/:page': 'file:R',
  'POST /files/:id/rename': 'file:E',
  'POST /files/:id/move': 'file:E',
  'POST /files/:id/restore': 'file:E',
  'POST /files/:id/delete': 'file:D',
  // Sharing a file with a contact: the seed's File A, or S where they own it.
  'POST /files/:id/share': 'file:A',
  'POST /files/:id/unshare': 'file:A',
  'GET /folders/:id/zip': 'file:R',
  // Files chosen in a listing, as one zip: only those of them the reader may read.
  'GET /entities/:id/files/zip': 'file:R',
  // Sharing a whole folder with a contact: as a file, File A, or S where they own it.
  'POST /folders/:id/share': 'file:A',
  'POST /folders/:id/unshare': 'file:A',
  'POST /folders/:id/rename': 'file:E',
  // A folder into another (or the top level): Edit on it, and Create where it lands.
  'POST /folders/:id/move': 'file:E',
  // The seed: Edit also deletes an empty folder.
  'POST /folders/:id/delete': 'file:E',
};

/** A plausible, valid body per route, so a refusal is never just a validation error. */
export function bodyFor(route: string, ids: World): Record<string, string | string[]> | FormData {
  switch (route) {
    case 'POST /sign-in':
      return { email: 'nobody@example.com', password: 'not the password', next: '/entities' };
    case 'POST /sign-in/link':
      return { email: 'nobody@example.com' };
    case 'POST /entities/:id/files':
      return fileForm('walked in', 'walk.txt', 'files');
    case 'POST /portal/entities/:id/files':
      return fileForm('from the client', 'statement.txt', 'files');
    case 'POST /entities/:id/files/folders':
      return { folderName: 'Intruders' };
    case 'POST /files/:id/share':
      // The role the world's contact holds already: the unshare route still finds its binding.
      return { contact: ids.contact, role: 'contact_viewer' };
    case 'POST /files/:id/unshare':
      return { binding: ids.bindings.get('/files') ?? '' };
    case 'POST /folders/:id/share':
      return { contact: ids.contact, role: 'contact_viewer' };
    case 'POST /folders/:id/unshare':
      return { binding: ids.bindings.get('/folders') ?? '' };
    case 'POST /files/:id/rename':
    case 'POST /portal/files/:id/rename':
      return { name: 'renamed.txt' };
    case 'POST /files/:id/move':
      return { to: '' };
    case 'POST /files/:id/restore':
      return { version: '1' };
    case 'POST /files/:id/delete':
    case 'POST /portal/files/:id/delete':
    case 'POST /folders/:id/delete':
      return { confirm: 'yes' };
    case 'POST /folders/:id/rename':
      return { name: 'Renamed folder' };
    case 'POST /folders/:id/move':
      return { to: '' };
    case 'POST /plugins/:id/settings':
      return { footer: 'Clearwater Accounting, 1 Quay St' };
    case 'POST /set-password/:token':
      return { password: 'a brand new password 123', passwordConfirm: 'a brand new password 123' };
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
    case 'POST /contacts/:id/portal':
      return { portal: 'on' };
    case 'POST /contact-groups':
      return { name: 'Intruders', description: '', members: [ids.contact], membersShown: [ids.contact] };
    case 'POST /contact-groups/:id':
      return { name: 'Renamed', description: 'x', members: [], membersShown: [ids.contact] };
    case 'POST /groups/:id/delete':
    case 'POST /contact-groups/:id/delete':
    case 'POST /portals/:id/delete':
      return { confirm: 'yes' };
    case 'POST /portals':
      return { name: 'Intruders', entities: [ids.entity], [`access-${ids.contact}`]: 'full' };
    case 'POST /portals/:id':
      return {
        name: 'Renamed portal',
        entities: [ids.entity],
        [`access-${ids.contact}`]: 'full',
        membersShown: [ids.contact],
      };
    case 'POST /staff/:id/entities':
    case 'POST /groups/:id/entities':
      return { entities: [ids.entity], role: 'owner' };
    case 'POST /contacts/:id/entities':
    case 'POST /contact-groups/:id/entities':
      return { entities: [ids.entity], role: 'contact_entity_collaborator' };
    case 'POST /entities/:id/access':
      return { email: 'ada@example.com', role: 'viewer' };
    case 'POST /entities/:id/client-portal':
      // The world's contact stays shared: the remove routes need its binding, whichever runs first.
      return { contacts: [ids.contact], contactsShown: [ids.contact] };
    case 'POST /entities/:id/notifications':
      return { recipients: [ids.admin] };
    case 'POST /staff/:id/entities/remove':
    case 'POST /contacts/:id/entities/remove':
    case 'POST /groups/:id/entities/remove':
    case 'POST /contact-groups/:id/entities/remove':
    case 'POST /entities/:id/access/revoke':
      return { binding: ids.bindings.get(`/${route.split('/')[1]}`) ?? '' };
    case 'POST /settings':
      return { firmName: 'Taken Over', entityLabel: 'Matter', timeZone: 'UTC' };
    case 'POST /settings/roles':
      return { name: 'Intruders', kind: 'staff', permissions: ['organization:E'] };
    case 'POST /settings/roles/:id':
      return { name: 'Renamed role', kind: 'contact', permissions: ['tag:C'] };
    case 'POST /settings/roles/:id/delete':
      return { confirm: 'yes' };
    case 'POST /forgot-password':
      return { email: 'ada@example.com' };
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

/**
 * Every registered route, each method's; one added with `app.all` is walked as GET and as POST
 * (middleware, registered for every method on a wildcard path, is not a route).
 */
export function routesOf(app: Hono): { method: string; path: string; key: string }[] {
  const seen = new Set<string>();
  return app.routes
    .filter((r) => r.method !== 'ALL' || !r.path.endsWith('*'))
    .flatMap((r) =>
      (r.method === 'ALL' ? ['GET', 'POST'] : [r.method]).map((method) => ({ method, path: r.path })),
    )
    .map((r) => ({ ...r, key: `${r.method} ${r.path}` }))
    .filter((r) => !seen.has(r.key) && seen.add(r.key));
}

/** The objects the `:id` routes are about, and one role at the entity per kind of holder. */
export interface World {
  /** A staff member with no roles (the target of staff routes is the Admin). */
  staff: string;
  admin: string;
  group: string;
  entity: string;
  contact: string;
  contactGroup: string;
  /** A portal over the entity. */
  portal: string;
  role: string;
  /** A queued email (the Outbox's `:id`). */
  mail: string;
  /** A folder in the entity, and a file in it (its content in the tests' blob store). */
  folder: string;
  file: string;
  /** A resumable upload the Admin started into the entity, nothing of it sent yet. */
  upload: string;
  /** A PNG in a folder of its own: what the thumbnail and preview routes are about. */
  image: string;
  /** A two-page PDF in a folder of its own: what the pages routes are about. */
  pdf: string;
  /** By path prefix ('/staff', '/contacts', …): a binding at the entity the remove routes name ('/files': on the file). */
  bindings: Map<string, string>;
}

/** A 4×3 PNG, green. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000040000000308020000003b9639910000000970485973000003e8000003e801b57b526b0000001049444154089963305e550e470c38390033ce0ff15132b63d0000000049454e44ae426082',
  'hex',
);

export async function buildWorld(db: Db, admin: User): Promise<World> {
  const staff = (await buildStaff(db, [])).id;
  const group = await buildGroup(db, 'Admins', [admin.id], ['admin']);
  const entity = await buildEntity(db, 'Clearwater Holdings');
  const contact = (await buildContact(db, entity)).id;
  const contactGroup = await buildGroup(db, 'Clearwater family', [contact], [], 'contact');
  const role = await buildRole(db, 'Bookkeepers', ['tag:C', 'file:R']);
  const portal = await buildPortal(db, 'Clearwater portal', admin.id, [entity]);
  const bystander = await buildStaff(db, []);
  const holders: [string, { userId: string } | { groupId: string }, string][] = [
    ['/staff', { userId: admin.id }, 'viewer'],
    ['/contacts', { userId: contact }, 'contact_entity_access'],
    ['/groups', { groupId: group }, 'viewer'],
    ['/contact-groups', { groupId: contactGroup }, 'contact_entity_access'],
    ['/entities', { userId: bystander.id }, 'viewer'],
  ];
  const bindings = new Map<string, string>();
  for (const [prefix, principal, roleId] of holders) {
    await bindAtEntity(db, principal, roleId, entity);
    const row = await db
      .selectFrom('role_bindings')
      .select('id')
      .where(
        'userId' in principal ? 'user_id' : 'group_id',
        '=',
        'userId' in principal ? principal.userId : principal.groupId,
      )
      .where('scope_id', '=', entity)
      .executeTakeFirstOrThrow();
    bindings.set(prefix, row.id);
  }
  const hello = {
    to: 'grace@example.com',
    subject: 'Your portal',
    text: 'Hello',
    html: '<p>Hello</p>',
    kind: 'test',
  };
  const mail = await queueMail(db, hello);
  // Kept by the development outbox, as a sent email is, so its HTML part has a page of its own.
  await outboxTransport(db, { name: 'Portico', address: 'portico@portico.test' }, { print: false }).send({
    ...hello,
    key: mail,
  });
  // The example plugin (when the app runs it) configured, so its routes answer.
  await db
    .insertInto('plugin_settings')
    .values({
      plugin_id: 'example',
      values_json: JSON.stringify({ footer: 'Clearwater' }),
      updated_at: Date.now(),
    })
    .execute();
  const { folder, file } = await buildFile(db, entity, 'Walked folder', 'walked.txt', 'hello');
  // The world's contact has the file (the unshare route's binding).
  await addBinding(db, { userId: contact }, 'contact_viewer', { type: 'item', id: file }, null);
  const shared = await db
    .selectFrom('role_bindings')
    .select('id')
    .where('scope_type', '=', 'item')
    .where('scope_id', '=', file)
    .executeTakeFirstOrThrow();
  bindings.set('/files', shared.id);
  // And the folder it is in (the folder unshare route's binding).
  await addBinding(db, { userId: contact }, 'contact_viewer', { type: 'folder', id: folder }, null);
  const sharedFolder = await db
    .selectFrom('role_bindings')
    .select('id')
    .where('scope_type', '=', 'folder')
    .where('scope_id', '=', folder)
    .executeTakeFirstOrThrow();
  bindings.set('/folders', sharedFolder.id);
  const upload = await buildUpload(db, admin.id, entity, 10);
  const { file: image } = await buildFile(db, entity, 'Walked pictures', 'walked.png', PNG, 'image/png');
  const walkedPdf = pdfOf([{ text: 'Walked' }, { grey: 0 }]);
  const { file: pdf } = await buildFile(
    db,
    entity,
    'Walked documents',
    'walked.pdf',
    walkedPdf,
    'application/pdf',
  );
  return {
    upload,
    staff,
    admin: admin.id,
    group,
    entity,
    contact,
    contactGroup,
    portal,
    role,
    mail,
    folder,
    file,
    image,
    pdf,
    bindings,
  };
}

/** The path with its parameters filled from the world: the object an `:id` route is about. */
export function concrete(path: string, world: World): string {
  const byPrefix: [string, string][] = [
    ['/contact-groups', world.contactGroup],
    ['/portals', world.portal],
    ['/groups', world.group],
    ['/entities', world.entity],
    ['/contacts', world.contact],
    ['/settings/roles', world.role],
    ['/outbox', world.mail],
    ['/plugins', 'example'],
    ['/p/example/entities', world.entity],
    ['/portal/entities', world.entity],
    ['/portal/files', world.file],
    ...[...PREVIEW_GETS].map((key): [string, string] => [key.slice('GET '.length), world.image]),
    ['/files/:id/pages', world.pdf],
    ['/files', world.file],
    ['/folders', world.folder],
    ['/uploads', world.upload],
  ];
  const id = byPrefix.find(([prefix]) => path.startsWith(prefix))?.[1] ?? world.admin;
  // The selection's zip is about the files it names: the world's file.
  if (path === '/entities/:id/files/zip') return `/entities/${world.entity}/files/zip?file=${world.file}`;
  // A contact's folder zip is about the folder it names: the world's.
  if (path === '/portal/entities/:id/files/zip')
    return `/portal/entities/${world.entity}/files/zip?folder=${world.folder}`;
  return path
    .replace(':id', id)
    .replace(':token', 'not-a-real-token')
    .replace(':file', 'app.css')
    .replace(':page', '1')
    .replace(':provider', path.startsWith('/p/myob/') ? 'myob' : 'local');
}

export type Route = { method: string; path: string; key: string };

/** One request to the route, about the world's object, with a plausible body. */
export function send(client: Client, route: Route, world: World, path = concrete(route.path, world)) {
  if (TUS_ROUTES.has(route.key)) return client.request(path, tusRequest(route.method));
  return route.method === 'GET' ? client.get(path) : client.post(path, bodyFor(route.key, world));
}

/** A plausible tus request: starting a 5-byte upload, its first chunk, or its cancelling. */
export function tusRequest(method: string): RequestInit {
  const headers: Record<string, string> = { 'Tus-Resumable': '1.0.0' };
  if (method === 'POST') {
    headers['Upload-Length'] = '5';
    headers['Upload-Metadata'] = `filename ${Buffer.from('walked.txt').toString('base64')}`;
  }
  if (method !== 'PATCH') return { method, headers };
  headers['Upload-Offset'] = '0';
  headers['Content-Type'] = 'application/offset+octet-stream';
  return { method, headers, body: 'hello' };
}

/**
 * Deletions last, so a caller allowed to delete still finds what the other routes are about; the
 * entity's own last of all, since deleting it takes its files and folders with it.
 */
export function deletesLast(routes: Route[]): Route[] {
  const isDelete = (r: Route) => r.path.endsWith('/delete') || r.method === 'DELETE';
  const isEntities = (r: Route) => r.path.startsWith('/entities/');
  return [
    ...routes.filter((r) => !isDelete(r)),
    ...routes.filter((r) => isDelete(r) && !isEntities(r)),
    ...routes.filter((r) => isDelete(r) && isEntities(r)),
  ];
}
