/**
 * Files and folders: their scope chains (entity → folders, outermost first → the file), what an
 * actor may do with one, and which of a folder's files and subfolders a listing shows. Every answer
 * is `can` on the chain; nothing here names a role.
 *
 * The seed's rules this encodes: File C creates files and folders; File E renames, moves, adds and
 * restores versions, and also deletes an empty folder ("The Edit permission for files also enables
 * users to delete empty folders"); File D deletes; a move needs File C where it lands.
 */
import type { Actor, Scope } from './actor.js';
import { can, type ScopeChain } from './can.js';
import { holdsOnScopesOf } from './held.js';
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
