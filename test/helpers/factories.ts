/** Builders for test data: a firm, staff with roles, groups, and signed-in clients. */
import path from 'node:path';
import { Readable } from 'node:stream';
import { FileStore } from '@tus/file-store';
import { Upload } from '@tus/utils';
import type { Hono } from 'hono';
import { hashPassword } from '../../src/auth/password.js';
import { createSession } from '../../src/auth/sessions.js';
import type { Db } from '../../src/db/connect.js';
import type { Entity, User, UserKind } from '../../src/db/schema.js';
import { nameKey } from '../../src/files/names.js';
import { generateId } from '../../src/kernel/tokens.js';
import { SYSTEM } from '../../src/permissions/actor.js';
import type { Permission } from '../../src/permissions/catalog.js';
import { addBinding } from '../../src/permissions/queries.js';
import { PORTAL_ROLES, type PortalAccess } from '../../src/permissions/roles.js';
import { DiskBlobStore } from '../../src/storage/disk.js';
import { Client, testConfig } from './app.js';

export const PASSWORD = 'correct horse battery staple';
let hashed: Promise<string> | undefined;
const passwordHash = () => {
  hashed ??= hashPassword(PASSWORD);
  return hashed;
};

export async function buildOrganization(db: Db, name = 'Clearwater Accounting'): Promise<void> {
  const now = Date.now();
  await db
    .insertInto('organization')
    .values({ id: 1, name, entity_label: 'Client', time_zone: 'UTC', created_at: now, updated_at: now })
    .execute();
}

let counter = 0;

export async function buildUser(
  db: Db,
  options: {
    kind?: UserKind;
    email?: string;
    firstName?: string;
    lastName?: string;
    roles?: string[];
    disabled?: boolean;
  } = {},
): Promise<User> {
  counter += 1;
  const now = Date.now();
  const email = options.email ?? `person${counter}-${generateId().slice(0, 6)}@example.com`;
  const user: User = {
    id: generateId(),
    kind: options.kind ?? 'staff',
    email,
    email_normalized: email.toLowerCase(),
    first_name: options.firstName ?? 'Pat',
    last_name: options.lastName ?? `Person${counter}`,
    password_hash: await passwordHash(),
    password_set_by: null,
    disabled_at: options.disabled ? now : null,
    created_at: now,
    updated_at: now,
    last_signed_in_at: null,
  };
  await db.insertInto('users').values(user).execute();
  for (const role of options.roles ?? []) await addBinding(db, { userId: user.id }, role, SYSTEM, null);
  return user;
}

export const buildStaff = (db: Db, roles: string[] = [], extra: Parameters<typeof buildUser>[1] = {}) =>
  buildUser(db, { ...extra, roles });

export async function buildGroup(
  db: Db,
  name: string,
  members: string[],
  roles: string[] = [],
  kind: UserKind = 'staff',
): Promise<string> {
  const id = generateId();
  const now = Date.now();
  await db
    .insertInto('groups')
    .values({
      id,
      kind,
      name,
      name_normalized: name.toLowerCase(),
      description: '',
      created_at: now,
      updated_at: now,
    })
    .execute();
  for (const userId of members)
    await db.insertInto('group_members').values({ group_id: id, user_id: userId, created_at: now }).execute();
  for (const role of roles) await addBinding(db, { groupId: id }, role, SYSTEM, null);
  return id;
}

export async function buildEntity(
  db: Db,
  name: string,
  extra: Partial<Omit<Entity, 'name' | 'name_normalized'>> = {},
): Promise<string> {
  const now = Date.now();
  const id = extra.id ?? generateId();
  await db
    .insertInto('entities')
    .values({
      id,
      name,
      name_normalized: name.toLowerCase(),
      kind: 'company',
      reference: '',
      email: '',
      phone: '',
      tax_number: '',
      address: '',
      notes: '',
      created_at: now,
      updated_at: now,
      created_by: null,
      ...extra,
    })
    .execute();
  return id;
}

/** A contact (users kind 'contact' with their profile), optionally in a client entity. */
export async function buildContact(
  db: Db,
  clientEntityId: string | null,
  extra: Omit<NonNullable<Parameters<typeof buildUser>[1]>, 'kind' | 'roles'> & { phone?: string } = {},
): Promise<User> {
  const { phone = '', ...userOptions } = extra;
  const user = await buildUser(db, { ...userOptions, kind: 'contact' });
  await db
    .insertInto('contact_profiles')
    .values({ user_id: user.id, client_entity_id: clientEntityId, phone, address: '', notes: '' })
    .execute();
  return user;
}

/** A custom role (as Settings → Role Permissions would make it) carrying `permissions`. */
export async function buildRole(
  db: Db,
  name: string,
  permissions: Permission[],
  kind: UserKind = 'staff',
): Promise<string> {
  const id = generateId();
  await db.insertInto('roles').values({ id, name, kind, built_in: 0, created_at: Date.now() }).execute();
  for (const p of permissions) {
    const [object_type, letter] = p.split(':') as [string, string];
    await db.insertInto('role_permissions').values({ role_id: id, object_type, letter }).execute();
  }
  return id;
}

/** Gives a user or group a role at one entity. */
export async function bindAtEntity(
  db: Db,
  principal: { userId: string } | { groupId: string },
  roleId: string,
  entityId: string,
): Promise<void> {
  await addBinding(db, principal, roleId, { type: 'entity', id: entityId }, null);
}

/** A client already signed in as `user` (session made directly, as sign-in would). */
export async function signedIn(app: Hono, db: Db, user: User): Promise<Client> {
  const client = new Client(app);
  const { token } = await createSession(db, user.id);
  client.cookies.set('portico_session', token);
  return client;
}

/** Makes `userId` a member of the portal, with full access or as a contributor. */
export function addPortalMember(db: Db, portalId: string, userId: string, access: PortalAccess) {
  return addBinding(db, { userId }, PORTAL_ROLES[access], { type: 'portal', id: portalId }, null);
}

/** A portal over `entityIds`, administered by `administratorId`, with no members. */
export async function buildPortal(
  db: Db,
  name: string,
  administratorId: string,
  entityIds: string[],
): Promise<string> {
  const id = generateId();
  const now = Date.now();
  await db
    .insertInto('portals')
    .values({
      id,
      name,
      name_key: name.toLowerCase(),
      administrator_id: administratorId,
      send_as_id: null,
      created_by: null,
      created_at: now,
      updated_at: now,
    })
    .execute();
  if (entityIds.length)
    await db
      .insertInto('portal_entities')
      .values(entityIds.map((entity_id) => ({ portal_id: id, entity_id })))
      .execute();
  return id;
}

/**
 * A folder in the entity with one file in it, its content stored where the tests' apps keep blobs
 * (testConfig's DATA_DIR), as an upload would leave them.
 */
export async function buildFile(
  db: Db,
  entityId: string,
  folderName: string,
  fileName: string,
  content: string | Uint8Array,
  contentType = 'text/plain',
): Promise<{ folder: string; file: string }> {
  const blob = await new DiskBlobStore(testConfig().dataDir).put(Readable.from([Buffer.from(content)]), {
    maxBytes: 1024 * 1024,
  });
  const now = Date.now();
  const by = { created_by: null, created_by_label: 'Test' };
  const folder = generateId();
  await db
    .insertInto('folders')
    .values({
      id: folder,
      entity_id: entityId,
      parent_id: null,
      place: '',
      path: '',
      name: folderName,
      name_key: nameKey(folderName),
      ...by,
      created_at: now,
      updated_at: now,
    })
    .execute();
  const file = generateId();
  const kept = { sha256: blob.sha256, size: blob.size, content_type: contentType };
  await db
    .insertInto('files')
    .values({
      id: file,
      entity_id: entityId,
      folder_id: folder,
      place: folder,
      name: fileName,
      name_key: nameKey(fileName),
      version: 1,
      ...kept,
      ...by,
      created_at: now,
      modified_by: null,
      modified_by_label: 'Test',
      modified_at: now,
    })
    .execute();
  await db
    .insertInto('file_versions')
    .values({
      id: generateId(),
      file_id: file,
      number: 1,
      name: fileName,
      ...kept,
      uploaded_by: null,
      uploaded_by_label: 'Test',
      uploaded_at: now,
    })
    .execute();
  return { folder, file };
}

/**
 * A resumable upload `userId` started into the entity's top level, nothing of it sent yet: its row,
 * and tus's own state where the tests' apps keep uploads (testConfig's DATA_DIR).
 */
export async function buildUpload(db: Db, userId: string, entityId: string, size: number): Promise<string> {
  const id = generateId();
  const directory = path.join(testConfig().dataDir, 'uploads');
  await new FileStore({ directory }).create(
    new Upload({ id, size, offset: 0, metadata: { filename: 'walk.txt' } }),
  );
  await db
    .insertInto('resumable_uploads')
    .values({
      id,
      user_id: userId,
      entity_id: entityId,
      folder_id: null,
      via: 'staff',
      name: 'walk.txt',
      size,
      same_name: 'version',
      state: 'receiving',
      file_id: null,
      message: null,
      created_at: Date.now(),
    })
    .execute();
  return id;
}
