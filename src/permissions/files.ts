/**
 * Files and folders: their scope chains (entity → folders, outermost first → the file), what an
 * actor may do with one, and which of a folder's files and subfolders a listing shows. Every answer
 * is `can` on the chain; nothing here names a role.
 *
 * The seed's rules this encodes: File C creates files and folders; File E renames, moves, adds and
 * restores versions, and also deletes an empty folder ("The Edit permission for files also enables
 * users to delete empty folders"); File D deletes; a move needs File C where it lands.
 */
import type { Db } from '../db/connect.js';
import { type Actor, loadActor, type Scope } from './actor.js';
import { can, holdsToGrant, type ScopeChain } from './can.js';
import { GrantError } from './errors.js';
import { holdsOnScopesOf } from './held.js';
import { ASSOCIATED_ROLE } from './portal-access.js';
import { addBinding, lockPermissions } from './queries.js';
import { builtInRole } from './roles.js';
import { entityChain, itemChain } from './scopes.js';

/** A folder as its chain needs it: its id and its ancestors' ids joined by '/' (migration 0017). */
export interface FolderPlace {
  id: string;
  path: string;
}

/** The ids of a folder's ancestors and itself, outermost first. */
export function folderIds(folder: FolderPlace | null): string[] {
  if (!folder) return [];
  return [...(folder.path ? folder.path.split('/') : []), folder.id];
}

/** The chain of a folder, or of the entity's top level when `folder` is null. */
export function folderChain(entityId: string, folder: FolderPlace | null): ScopeChain {
  return [...entityChain(entityId), ...folderIds(folder).map((id): Scope => ({ type: 'folder', id }))];
}

/** The chain of a file in `folder` (null: at the entity's top level). */
export function fileChain(entityId: string, folder: FolderPlace | null, fileId: string): ScopeChain {
  return itemChain(entityId, fileId, folderIds(folder));
}

export interface FilePolicy {
  read: boolean;
  edit: boolean;
  delete: boolean;
}

/** What the actor may do with one file. */
export function filePolicy(actor: Actor, chain: ScopeChain): FilePolicy {
  return {
    read: can(actor, 'file:R', chain),
    edit: can(actor, 'file:E', chain),
    delete: can(actor, 'file:D', chain),
  };
}

export interface FolderPolicy {
  /** Upload into it, and make folders in it. */
  create: boolean;
  /** See everything in it (otherwise: only what is shared on its own). */
  readAll: boolean;
  rename: boolean;
  /** Delete it once it is empty. */
  deleteWhenEmpty: boolean;
}

/** What the actor may do in and with a folder (for the top level, `rename` and delete are moot). */
export function folderPolicy(actor: Actor, chain: ScopeChain): FolderPolicy {
  const edit = can(actor, 'file:E', chain);
  return {
    create: can(actor, 'file:C', chain),
    readAll: can(actor, 'file:R', chain),
    rename: edit,
    deleteWhenEmpty: edit || can(actor, 'file:D', chain),
  };
}

/**
 * Which files and subfolders of a folder a listing shows: all of them, when the actor reads
 * everything in the folder; otherwise those the actor holds a binding on, each checked with `can`
 * on its own chain (so a contact's item role counts only while their entity role admits them).
 * `ids` comes from the bindings the actor already holds in memory: no query per row.
 */
export function visibleInFolder(
  actor: Actor,
  chain: ScopeChain,
): { all: true } | { all: false; fileIds: string[]; folderIds: string[] } {
  if (can(actor, 'file:R', chain)) return { all: true };
  const fileIds: string[] = [];
  const folderIdsSeen: string[] = [];
  for (const scope of holdsOnScopesOf(actor, ['item', 'folder'])) {
    const inner = [...chain, scope];
    if (!can(actor, 'file:R', inner)) continue;
    (scope.type === 'item' ? fileIds : folderIdsSeen).push(scope.id);
  }
  return { all: false, fileIds, folderIds: folderIdsSeen };
}

/**
 * Which of an entity's files the actor may read, for a list across its folders (the client's
 * portal): all of them (a binding at the entity or above, such as Portal - Full access), or those
 * in the folders given whose chain the actor reads (a folder role covers what is inside), and those
 * the actor holds an item role on. `folders` are the entity's folders to ask about, each with `can`:
 * at least those under `foldersHeldBy(actor)` (src/files/queries.ts foldersUnderRoles), since only
 * a folder role can open a folder to someone who does not read the whole entity.
 */
export function readableInEntity(
  actor: Actor,
  entityId: string,
  folders: readonly FolderPlace[],
): { all: true } | { all: false; folderIds: string[]; fileIds: string[] } {
  if (can(actor, 'file:R', entityChain(entityId))) return { all: true };
  const readableFolders = folders
    .filter((f) => can(actor, 'file:R', folderChain(entityId, f)))
    .map((f) => f.id);
  const fileIds = holdsOnScopesOf(actor, ['item'])
    .filter((scope) => can(actor, 'file:R', itemChain(entityId, scope.id)))
    .map((scope) => scope.id);
  return { all: false, folderIds: readableFolders, fileIds };
}

/** The folders (by id, of any entity) the actor holds a role on: where their folder roles start. */
export function foldersHeldBy(actor: Actor): string[] {
  return holdsOnScopesOf(actor, ['folder']).map((scope) => scope.id);
}

/**
 * The folders of an entity a reader may open, given what `readableInEntity` said: every folder
 * they read, and every folder on the way down to one of those or to a file they hold a role on
 * (`sharedFileFolders`: those files' folders), so a file shared deep inside can be reached.
 * A folder on the way shows only that way down, never the rest of what is in it.
 */
export function reachableFolders(
  readable: { folderIds: readonly string[] },
  folders: readonly FolderPlace[],
  sharedFileFolders: readonly string[],
): Set<string> {
  const byId = new Map(folders.map((f) => [f.id, f]));
  const reached = new Set<string>();
  for (const id of [...readable.folderIds, ...sharedFileFolders]) {
    const folder = byId.get(id);
    if (folder) for (const step of folderIds(folder)) reached.add(step);
  }
  return reached;
}

/** The roles a contact is given on a file or a folder: the seed's item-level contact roles. */
export const ITEM_CONTACT_ROLES = ['contact_viewer', 'contact_editor', 'contact_owner'] as const;

/** The staff roles that apply at the item level too (the seed: "Staff roles apply at all object levels"). */
export const ITEM_STAFF_ROLES = ['viewer', 'editor', 'owner'] as const;

/** The item roles a person of this kind may be given on a file or a folder. */
export function itemRolesFor(kind: 'staff' | 'contact'): readonly string[] {
  return kind === 'staff' ? ITEM_STAFF_ROLES : ITEM_CONTACT_ROLES;
}

/** May the actor give or take roles on this file or folder (the seed's File A, or S where they own)? */
export function mayShareFile(actor: Actor, chain: ScopeChain): boolean {
  return can(actor, 'file:A', chain) || can(actor, 'file:S', chain);
}

/**
 * Gives the person `roleId` on the file or folder at the bottom of `chain`, replacing another item
 * role they held there (one role per person per item): a contact one of ITEM_CONTACT_ROLES, and
 * only while an entity role (other than Associated) admits them; a staff member, not disabled, one
 * of ITEM_STAFF_ROLES. Refuses (GrantError) unless the actor, as they are inside this transaction,
 * may share there and holds the role's file permissions there. Returns false when the person held
 * exactly that role already.
 */
export async function shareWithPerson(
  db: Db,
  actor: Actor,
  personId: string,
  roleId: string,
  chain: ScopeChain,
): Promise<boolean> {
  await lockPermissions(db);
  const scope = chain[chain.length - 1];
  if (!scope || (scope.type !== 'item' && scope.type !== 'folder'))
    throw new Error('not a file or folder chain');
  const person = await db
    .selectFrom('users')
    .select(['id', 'kind', 'disabled_at'])
    .where('id', '=', personId)
    .executeTakeFirst();
  const field = person?.kind === 'staff' ? 'email' : 'contact';
  const role = person && itemRolesFor(person.kind).includes(roleId) ? builtInRole(roleId) : undefined;
  if (!role) throw new GrantError('Choose one of the roles listed.', 'role');
  const fresh = await loadActor(db, actor.user);
  const fileLetters = [...role.permissions].filter((p) => p.startsWith('file:'));
  if (!mayShareFile(fresh, chain) || !holdsToGrant(fresh, fileLetters, chain))
    throw new GrantError(`You cannot give the ${role.name} role here.`, 'role');
  if (person?.kind === 'staff') {
    if (person.disabled_at !== null) throw new GrantError('This staff member’s account is disabled.', field);
  } else {
    // Only a contact who sees the entity is among the choices: anyone else's id is refused as one
    // that is not there.
    const entity = chain.find((s) => s.type === 'entity');
    const admitted = await seeingEntity(db, entity?.id ?? '')
      .select('rb.id')
      .where('rb.user_id', '=', personId)
      .executeTakeFirst();
    if (!admitted) throw new GrantError('Choose a contact from the list.', field);
  }
  const held = await db
    .selectFrom('role_bindings')
    .select(['id', 'role_id'])
    .where('user_id', '=', personId)
    .where('scope_type', '=', scope.type)
    .where('scope_id', '=', scope.id)
    .execute();
  if (held.some((b) => b.role_id === roleId)) return false;
  if (held.length)
    await db
      .deleteFrom('role_bindings')
      .where(
        'id',
        'in',
        held.map((b) => b.id),
      )
      .execute();
  await addBinding(db, { userId: personId }, roleId, scope, actor.user.id);
  return true;
}

/** Takes a person's item role off the file or folder at the bottom of `chain`; null when none. */
export async function unshareWithPerson(
  db: Db,
  actor: Actor,
  bindingId: string,
  chain: ScopeChain,
): Promise<{ userId: string; roleId: string } | null> {
  await lockPermissions(db);
  const scope = chain[chain.length - 1];
  if (!scope) return null;
  const fresh = await loadActor(db, actor.user);
  const binding = await db
    .selectFrom('role_bindings')
    .select(['id', 'user_id', 'role_id'])
    .where('id', '=', bindingId)
    .where('scope_type', '=', scope.type)
    .where('scope_id', '=', scope.id)
    .executeTakeFirst();
  const itemRoles: readonly string[] = [...ITEM_CONTACT_ROLES, ...ITEM_STAFF_ROLES];
  if (!binding?.user_id || !itemRoles.includes(binding.role_id)) return null;
  if (!mayShareFile(fresh, chain)) throw new GrantError('You cannot take roles away here.', 'binding');
  await db.deleteFrom('role_bindings').where('id', '=', binding.id).execute();
  return { userId: binding.user_id, roleId: binding.role_id };
}

/**
 * The bindings by which contacts see the entity: an entity role other than Associated, or
 * membership of the portal it is in (a contributor's too, who sees only what is shared with them).
 */
function seeingEntity(db: Db, entityId: string) {
  return db
    .selectFrom('role_bindings as rb')
    .innerJoin('users as u', 'u.id', 'rb.user_id')
    .where('u.kind', '=', 'contact')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('rb.scope_type', '=', 'entity'),
          eb('rb.scope_id', '=', entityId),
          eb('rb.role_id', '<>', ASSOCIATED_ROLE),
        ]),
        eb.and([
          eb('rb.scope_type', '=', 'portal'),
          eb(
            'rb.scope_id',
            'in',
            eb.selectFrom('portal_entities').select('portal_id').where('entity_id', '=', entityId),
          ),
        ]),
      ]),
    );
}

/** The contacts a file of the entity may be shared with: those who see it. */
export function contactsAtEntity(db: Db, entityId: string) {
  return seeingEntity(db, entityId)
    .select(['u.id', 'u.first_name', 'u.last_name', 'u.email'])
    .distinct()
    .where('u.disabled_at', 'is', null)
    .orderBy('u.last_name')
    .orderBy('u.first_name')
    .orderBy('u.id')
    .execute();
}

/** The people holding a role on this file or folder itself, with the binding to take it back by. */
export function peopleSharedWith(db: Db, scope: { type: 'item' | 'folder'; id: string }) {
  return db
    .selectFrom('role_bindings as rb')
    .innerJoin('users as u', 'u.id', 'rb.user_id')
    .select([
      'rb.id as bindingId',
      'rb.role_id as roleId',
      'u.id as userId',
      'u.first_name',
      'u.last_name',
      'u.email',
      'u.kind',
    ])
    .where('rb.scope_type', '=', scope.type)
    .where('rb.scope_id', '=', scope.id)
    .orderBy('u.kind', 'desc')
    .orderBy('u.last_name')
    .orderBy('u.first_name')
    .execute();
}

/**
 * The seed's Contact - Owner: "A contact will be given the Contact - Owner role when they create an
 * activity or file". Given in the transaction that adds the file.
 */
export async function giveCreatorOwnership(db: Db, contactId: string, fileId: string): Promise<void> {
  await addBinding(db, { userId: contactId }, 'contact_owner', { type: 'item', id: fileId }, contactId);
}

/**
 * Who may go on with a resumable upload (its chunks, its progress, cancelling it): only the person
 * who started it, and only while they may still add files where it goes. Anyone else is answered
 * as for an upload that does not exist.
 */
export function mayContinueUpload(actor: Actor, upload: { user_id: string }, place: ScopeChain): boolean {
  return upload.user_id === actor.user.id && can(actor, 'file:C', place);
}
