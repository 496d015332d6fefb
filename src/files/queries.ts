/** Reading files and folders: one folder's listing, paged and sorted in the database, and single rows. */
import type { ExpressionBuilder } from 'kysely';
import type { Db } from '../db/connect.js';
import { KeptWhileUnchanged } from '../db/kept-while-unchanged.js';
import type { Database, FileVersion, Folder, StoredFile } from '../db/schema.js';
import { type Actor, folderIds, foldersHeldBy, idIn } from '../permissions/index.js';
import { onlyClean } from './quarantine.js';

export const FILES_PAGE_SIZE = 50;

/**
 * A folder's files are counted up to this many: past it the page says "more than", and counting a
 * folder of 100,000 files never costs more than counting this many.
 */
export const COUNT_CAP = 5000;

export const SORTS = {
  name: 'name_key',
  date: 'modified_at',
  size: 'size',
} as const;
export type Sort = keyof typeof SORTS;

export function findFolder(db: Db, entityId: string, id: string): Promise<Folder | undefined> {
  return db
    .selectFrom('folders')
    .selectAll()
    .where('id', '=', id)
    .where('entity_id', '=', entityId)
    .executeTakeFirst();
}

/** A file with its folder (null at the top level): what its scope chain is built from. */
export async function findFile(
  db: Db,
  id: string,
): Promise<{ file: StoredFile; folder: Folder | null } | undefined> {
  const file = await db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirst();
  if (!file) return undefined;
  const folder = file.folder_id
    ? ((await db.selectFrom('folders').selectAll().where('id', '=', file.folder_id).executeTakeFirst()) ??
      null)
    : null;
  return { file, folder };
}

/** The named folders, by id: a folder's ancestors for its breadcrumbs. */
export async function foldersById(db: Db, ids: readonly string[]): Promise<Map<string, Folder>> {
  if (!ids.length) return new Map();
  const rows = await db.selectFrom('folders').selectAll().where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r]));
}

/** Who sees what in a folder (src/permissions/files.ts visibleInFolder). */
export type Visible = { all: true } | { all: false; fileIds: string[]; folderIds: string[] };

export interface ListOptions {
  entityId: string;
  place: string;
  visible: Visible;
  sort: Sort;
  descending: boolean;
  page: number;
  /** List only files whose content passed its virus check (what a contact may see). */
  cleanOnly?: boolean;
}

/**
 * A folder's count (up to the cap) for whoever sees all of it, kept while nothing is written: it
 * walks up to 5,000 index entries, the most of a listing's time (`npm run bench:files`).
 */
const keptCounts = new KeptWhileUnchanged<number>(1000);

export async function listFolder(db: Db, o: ListOptions) {
  let folders = db
    .selectFrom('folders')
    .selectAll()
    .where('entity_id', '=', o.entityId)
    .where('place', '=', o.place)
    .orderBy('name_key');
  if (!o.visible.all) folders = folders.where(idIn(db, 'id', o.visible.folderIds));
  let files = db.selectFrom('files').where('entity_id', '=', o.entityId).where('place', '=', o.place);
  if (!o.visible.all) files = files.where(idIn(db, 'id', o.visible.fileIds));
  if (o.cleanOnly) files = onlyClean(files);
  const column = SORTS[o.sort];
  const direction = o.descending ? 'desc' : 'asc';
  // Names are unique in a folder, so the name alone orders them, along its unique index; date and
  // size need the id to break ties, and their indexes end with it.
  const tieBreak = o.sort === 'name' ? [] : (['id'] as const);
  const count = async () =>
    Number(
      (
        await db
          .selectFrom(
            files
              .select('id')
              .limit(COUNT_CAP + 1)
              .as('capped'),
          )
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const [folderRows, fileRows, n] = await Promise.all([
    o.page === 1 ? folders.execute() : Promise.resolve([]),
    files
      .selectAll()
      .orderBy(column, direction)
      .$call((q) => (tieBreak.length ? q.orderBy('id', direction) : q))
      .limit(FILES_PAGE_SIZE)
      .offset((o.page - 1) * FILES_PAGE_SIZE)
      .execute(),
    o.visible.all
      ? keptCounts.get(db, `${o.entityId}/${o.place}/${o.cleanOnly ? 'clean' : 'all'}`, count)
      : count(),
  ]);
  const seen = (o.page - 1) * FILES_PAGE_SIZE + fileRows.length;
  // Past the cap, a page short of full is the last, so the count is known; a full one says only
  // that there are more than the rows paged through (or than the cap).
  const exact = n <= COUNT_CAP ? n : fileRows.length && fileRows.length < FILES_PAGE_SIZE ? seen : null;
  return {
    folders: folderRows,
    files: fileRows,
    total: exact ?? Math.max(COUNT_CAP + 1, seen + 1),
    totalIsAtLeast: exact === null,
  };
}

export function versionsOf(db: Db, fileId: string): Promise<FileVersion[]> {
  return db
    .selectFrom('file_versions')
    .selectAll()
    .where('file_id', '=', fileId)
    .orderBy('number', 'desc')
    .execute();
}

export function findVersion(db: Db, fileId: string, number: number): Promise<FileVersion | undefined> {
  return db
    .selectFrom('file_versions')
    .selectAll()
    .where('file_id', '=', fileId)
    .where('number', '=', number)
    .executeTakeFirst();
}

/** Every folder of the entity, for choosing where a file moves (names with their ancestors'). */
export function foldersOfEntity(db: Db, entityId: string): Promise<Folder[]> {
  return db.selectFrom('folders').selectAll().where('entity_id', '=', entityId).execute();
}

/** The folders whose path starts with `chain` (a folder's ids, top down): every folder inside that one. */
export const inside = (eb: ExpressionBuilder<Database, 'folders'>, chain: string) =>
  eb.or([eb('path', '=', chain), eb('path', 'like', `${chain}/%`)]);

/**
 * The entity's folders among `rootIds` and every folder inside them, found along their paths (ids
 * are base32, so a path holds no LIKE wildcard): what a zip of a folder holds, or what a reader's
 * folder roles can open, without reading every folder of the entity.
 */
export async function foldersWithin(db: Db, entityId: string, rootIds: readonly string[]): Promise<Folder[]> {
  if (!rootIds.length) return [];
  const roots = await db
    .selectFrom('folders')
    .selectAll()
    .where('entity_id', '=', entityId)
    .where('id', 'in', rootIds)
    .execute();
  if (!roots.length) return [];
  const below = await db
    .selectFrom('folders')
    .selectAll()
    .where('entity_id', '=', entityId)
    .where((eb) => eb.or(roots.map((root) => inside(eb, folderIds(root).join('/')))))
    .execute();
  const found = new Map([...roots, ...below].map((f) => [f.id, f]));
  return [...found.values()];
}

/** The folders (by id; top-level files have none) that hold these files. */
export async function foldersOfFiles(
  db: Db,
  entityId: string,
  fileIds: readonly string[],
): Promise<string[]> {
  if (!fileIds.length) return [];
  const rows = await db
    .selectFrom('files')
    .select('folder_id')
    .distinct()
    .where('entity_id', '=', entityId)
    .where(idIn(db, 'id', fileIds))
    .where('folder_id', 'is not', null)
    .execute();
  return rows.flatMap((r) => (r.folder_id ? [r.folder_id] : []));
}

/**
 * The entity's folders the actor holds a role on, and every folder inside them: all that their
 * folder roles can open, what `readableInEntity` needs for a reader who does not read it all.
 */
export function foldersUnderRoles(db: Db, actor: Actor, entityId: string): Promise<Folder[]> {
  return foldersWithin(db, entityId, foldersHeldBy(actor));
}
