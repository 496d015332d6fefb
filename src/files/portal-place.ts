/**
 * Where a contact stands among an entity's files in their portal: the folder they asked for (null:
 * the top level), what of it they see, and whether they may send files there. Every answer comes
 * from src/permissions; an entity they do not see, or a folder they may not open, answers as one
 * that does not exist.
 */
import type { Db } from '../db/connect.js';
import type { Folder } from '../db/schema.js';
import {
  type Actor,
  can,
  entityChain,
  folderChain,
  folderIds,
  NotFound,
  reachableFolders,
  readableInEntity,
  type ScopeChain,
} from '../permissions/index.js';
import { findFolder, foldersById, foldersOfFiles, foldersUnderRoles, type Visible } from './queries.js';

export interface PortalPlace {
  entity: { id: string; name: string };
  folder: Folder | null;
  chain: ScopeChain;
  /** What the listing of this folder shows (only clean files, whoever looks: see quarantine.ts). */
  visible: Visible;
  /** The entity's folders the contact may open, for naming the way to where they are. */
  folders: ReadonlyMap<string, Folder>;
  /** May they send files here (into the folder; at the top level, into "From clients")? */
  mayUpload: boolean;
}

export async function portalPlace(
  db: Db,
  actor: Actor,
  entityId: string,
  folderId: string | undefined,
): Promise<PortalPlace> {
  if (!can(actor, 'entity.summary:R', entityChain(entityId))) throw new NotFound();
  const entity = await db
    .selectFrom('entities')
    .select(['id', 'name'])
    .where('id', '=', entityId)
    .executeTakeFirst();
  if (!entity) throw new NotFound();
  const held = await foldersUnderRoles(db, actor, entityId);
  const readable = readableInEntity(actor, entityId, held);
  // The rows at hand, and those of `ids` not yet among them.
  const known = new Map(held.map((f) => [f.id, f]));
  const rowsOf = async (ids: Iterable<string>) => {
    const wanted = [...ids];
    const fetched = await foldersById(
      db,
      wanted.filter((id) => !known.has(id)),
    );
    for (const [id, row] of fetched) known.set(id, row);
    return wanted.flatMap((id) => (known.has(id) ? [known.get(id)!] : []));
  };
  let opened: Folder[];
  if (readable.all) {
    // They open every folder: only the one asked for, and the way down to it, need naming.
    const asked = folderId ? await findFolder(db, entityId, folderId) : null;
    if (asked === undefined) throw new NotFound();
    opened = asked ? await rowsOf(folderIds(asked)) : [];
  } else {
    const shared = await foldersOfFiles(db, entityId, readable.fileIds);
    await rowsOf(shared);
    opened = await rowsOf(reachableFolders(readable, [...known.values()], shared));
  }
  const folders = new Map(opened.map((f) => [f.id, f]));
  const folder = folderId ? folders.get(folderId) : null;
  if (folder === undefined) throw new NotFound();
  const visible: Visible =
    readable.all || (folder && readable.folderIds.includes(folder.id))
      ? { all: true }
      : { all: false, folderIds: [...folders.keys()], fileIds: readable.fileIds };
  const chain = folderChain(entityId, folder);
  return { entity, folder, chain, visible, folders, mayUpload: can(actor, 'file:C', chain) };
}
