/**
 * The rules for files and folders. Each function runs inside the transaction its route opened and
 * writes its own audit line (every audit action is also an event other features listen to). The
 * content is already durable in the blob store when a version row is written (src/files/upload.ts),
 * so a row never points at a missing blob; a blob no row points at is swept later.
 */
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/connect.js';
import { isForeignKeyViolation, isUniqueViolation, uniqueOr } from '../db/errors.js';
import type { Folder, ScanStatus, StoredFile } from '../db/schema.js';
import { RuleError } from '../http/rule-error.js';
import type { ServiceCtx } from '../http/service-ctx.js';
import type { FileLimits } from '../kernel/config.js';
import { generateId } from '../kernel/tokens.js';
import { can, fileChain, folderIds, removeScopeBindings } from '../permissions/index.js';
import { cleanName, nameKey, nameProblem, numbered } from './names.js';
import { inside } from './queries.js';
import { claimRoom } from './quota.js';

/** Where something is, or goes: an entity's top level (folder null) or one of its folders. */
export interface Place {
  entityId: string;
  folder: Pick<Folder, 'id' | 'path' | 'name'> | null;
}

const placeKey = (place: Place) => place.folder?.id ?? '';
const childPath = (folder: Place['folder']) => folderIds(folder).join('/');

/** A name as stored, or the RuleError saying why it cannot be one. */
function checkedName(raw: string, what: 'file' | 'folder', field = 'name'): string {
  const name = cleanName(raw);
  const problem = nameProblem(name, what);
  if (problem) throw new RuleError(field, problem);
  return name;
}

const by = (ctx: ServiceCtx) => ({ id: ctx.actor.user.id, label: ctx.audit.label });

export async function createFolder(trx: Db, ctx: ServiceCtx, place: Place, rawName: string): Promise<Folder> {
  const name = checkedName(rawName, 'folder');
  const now = Date.now();
  const who = by(ctx);
  const folder: Folder = {
    id: generateId(),
    entity_id: place.entityId,
    parent_id: place.folder?.id ?? null,
    place: placeKey(place),
    path: childPath(place.folder),
    name,
    name_key: nameKey(name),
    created_by: who.id,
    created_by_label: who.label,
    created_at: now,
    updated_at: now,
  };
  try {
    await trx.insertInto('folders').values(folder).execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new RuleError('name', `A folder named “${name}” is already here.`);
    throw error;
  }
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'folder.created',
    object: { type: 'folder', id: folder.id, label: name },
    after: { name, folder: place.folder?.name ?? 'Top level' },
    requestId: ctx.requestId,
  });
  return folder;
}

/** A file's content, already durable in the blob store and through the virus check (src/files/scan.ts). */
export interface Upload {
  name: string;
  sha256: string;
  size: number;
  contentType: string;
  /** What scanIncoming admitted it as: 'pending' is kept but served to no one until it passes. */
  scan: ScanStatus;
}

/**
 * What to do when a file of the same name is already in the place: add the upload as its new
 * version (the default a person is offered), or keep both, the new one under "name (2)".
 */
export type SameName = 'version' | 'keep';

/** Who adds content, and the room the entity's files may take (CLIENT_QUOTA_MB), checked as it is added. */
export interface AddingCtx extends ServiceCtx {
  quotaBytes: number | undefined;
}

export function addingCtx(ctx: ServiceCtx, limits: Pick<FileLimits, 'entityQuotaBytes'>): AddingCtx {
  return { ...ctx, quotaBytes: limits.entityQuotaBytes };
}

export interface Added {
  file: StoredFile;
  /** 1 for a new file. */
  version: number;
}

/** How an added upload is named to its uploader: "Return.pdf", or "Return.pdf (version 2)". */
export function addedLabel(added: Added): string {
  return added.version > 1 ? `${added.file.name} (version ${added.version})` : added.file.name;
}

/**
 * Adds an uploaded file to `place`, or a version to the file of the same name there. Two uploads of
 * one name at once end as one file with two versions: the loser of the race on the unique name
 * finds the winner's row when its transaction is retried (see `retryOnConflict`).
 */
export async function addUpload(
  trx: Db,
  ctx: AddingCtx,
  place: Place,
  upload: Upload,
  sameName: SameName = 'version',
): Promise<Added> {
  const name = checkedName(upload.name, 'file', 'files');
  await claimRoom(trx, ctx.quotaBytes, place.entityId, name, upload.size, 'files');
  let target = name;
  for (let n = 2; ; n++) {
    const existing = await fileNamed(trx, place, target);
    if (!existing)
      return { file: await insertFile(trx, ctx, place, { ...upload, name: target }), version: 1 };
    if (sameName === 'version') {
      // A version changes the file that is there: Edit on it, as a rename or a restore needs.
      if (!can(ctx.actor, 'file:E', fileChain(place.entityId, place.folder, existing.id)))
        throw new RuleError(
          'files',
          `“${existing.name}” is already here, and you may not add versions of it. Upload it as a separate file (keep both) instead.`,
        );
      return { file: await addVersion(trx, ctx, existing, upload), version: existing.version + 1 };
    }
    target = numbered(name, n);
    if (n > 999) throw new RuleError('files', `Too many files named like “${name}” are here already.`);
  }
}

function fileNamed(trx: Db, place: Place, name: string) {
  return trx
    .selectFrom('files')
    .selectAll()
    .where('entity_id', '=', place.entityId)
    .where('place', '=', placeKey(place))
    .where('name_key', '=', nameKey(name))
    .executeTakeFirst();
}

async function insertFile(trx: Db, ctx: ServiceCtx, place: Place, upload: Upload): Promise<StoredFile> {
  const now = Date.now();
  const who = by(ctx);
  const file: StoredFile = {
    id: generateId(),
    entity_id: place.entityId,
    folder_id: place.folder?.id ?? null,
    place: placeKey(place),
    name: upload.name,
    name_key: nameKey(upload.name),
    version: 1,
    sha256: upload.sha256,
    size: upload.size,
    content_type: upload.contentType,
    scan_status: upload.scan,
    created_by: who.id,
    created_by_label: who.label,
    created_at: now,
    modified_by: who.id,
    modified_by_label: who.label,
    modified_at: now,
  };
  await trx.insertInto('files').values(file).execute();
  await insertVersion(trx, ctx, file.id, 1, upload, now);
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'file.uploaded',
    object: { type: 'file', id: file.id, label: file.name },
    after: {
      name: file.name,
      folder: place.folder?.name ?? 'Top level',
      size: file.size,
      sha256: file.sha256,
    },
    requestId: ctx.requestId,
  });
  return file;
}

function insertVersion(trx: Db, ctx: ServiceCtx, fileId: string, number: number, upload: Upload, at: number) {
  const who = by(ctx);
  return trx
    .insertInto('file_versions')
    .values({
      id: generateId(),
      file_id: fileId,
      number,
      name: upload.name,
      sha256: upload.sha256,
      size: upload.size,
      content_type: upload.contentType,
      scan_status: upload.scan,
      uploaded_by: who.id,
      uploaded_by_label: who.label,
      uploaded_at: at,
    })
    .execute();
}

/** Makes `upload` the file's current content, as its next version; the file keeps its name. */
export async function addVersion(
  trx: Db,
  ctx: ServiceCtx,
  file: StoredFile,
  upload: Upload,
  action: 'file.version_added' | 'file.version_restored' = 'file.version_added',
  restored?: number,
): Promise<StoredFile> {
  const now = Date.now();
  const who = by(ctx);
  const number = file.version + 1;
  // Only the row still at the version read moves on: a concurrent version makes this one retry.
  const moved = await trx
    .updateTable('files')
    .set({
      version: number,
      sha256: upload.sha256,
      size: upload.size,
      content_type: upload.contentType,
      scan_status: upload.scan,
      modified_by: who.id,
      modified_by_label: who.label,
      modified_at: now,
    })
    .where('id', '=', file.id)
    .where('version', '=', file.version)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) throw new VersionRace();
  await insertVersion(trx, ctx, file.id, number, upload, now);
  await recordAudit(trx, {
    actor: ctx.audit,
    action,
    object: { type: 'file', id: file.id, label: file.name },
    after: {
      version: number,
      ...(restored ? { restoredFrom: restored } : {}),
      size: upload.size,
      sha256: upload.sha256,
    },
    requestId: ctx.requestId,
  });
  return {
    ...file,
    version: number,
    sha256: upload.sha256,
    size: upload.size,
    content_type: upload.contentType,
    scan_status: upload.scan,
  };
}

/** Another version was added between reading the file and writing this one. */
export class VersionRace extends Error {}

/**
 * Runs `work` in a transaction, again (up to `attempts` times) when it lost a race on a unique name
 * or a version number to a concurrent request: the retry reads that request's committed rows.
 */
export async function retryOnConflict<T>(db: Db, work: (trx: Db) => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      const raced = error instanceof VersionRace || isUniqueViolation(error);
      if (!raced || attempt >= attempts) throw error;
    }
  }
}

export async function restoreVersion(
  trx: Db,
  ctx: AddingCtx,
  file: StoredFile,
  number: number,
): Promise<StoredFile> {
  const version = await trx
    .selectFrom('file_versions')
    .selectAll()
    .where('file_id', '=', file.id)
    .where('number', '=', number)
    .executeTakeFirst();
  if (!version) throw new RuleError('version', 'That version is not kept.');
  await claimRoom(trx, ctx.quotaBytes, file.entity_id, file.name, version.size, 'version');
  const upload = {
    name: file.name,
    sha256: version.sha256,
    size: version.size,
    contentType: version.content_type,
    scan: version.scan_status,
  };
  return addVersion(trx, ctx, file, upload, 'file.version_restored', number);
}

export async function renameFile(trx: Db, ctx: ServiceCtx, file: StoredFile, rawName: string): Promise<void> {
  const name = checkedName(rawName, 'file');
  if (name === file.name) return;
  await moveOrRename(trx, ctx, file, { name, place: file.place, folderId: file.folder_id }, 'file.renamed', {
    before: { name: file.name },
    after: { name },
  });
}

/** Moves a file to another folder of the same entity (the route authorized both ends). */
export async function moveFile(trx: Db, ctx: ServiceCtx, file: StoredFile, to: Place): Promise<void> {
  if (to.entityId !== file.entity_id)
    throw new RuleError('to', 'A file moves only between folders of its own client.');
  if (placeKey(to) === file.place) return;
  await moveOrRename(
    trx,
    ctx,
    file,
    { name: file.name, place: placeKey(to), folderId: to.folder?.id ?? null },
    'file.moved',
    {
      after: { folder: to.folder?.name ?? 'Top level' },
    },
  );
}

async function moveOrRename(
  trx: Db,
  ctx: ServiceCtx,
  file: StoredFile,
  next: { name: string; place: string; folderId: string | null },
  action: 'file.renamed' | 'file.moved',
  change: { before?: unknown; after: unknown },
) {
  const who = by(ctx);
  try {
    await trx
      .updateTable('files')
      .set({
        name: next.name,
        name_key: nameKey(next.name),
        place: next.place,
        folder_id: next.folderId,
        modified_by: who.id,
        modified_by_label: who.label,
        modified_at: Date.now(),
      })
      .where('id', '=', file.id)
      .execute();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new RuleError(
        action === 'file.moved' ? 'to' : 'name',
        `A file named “${next.name}” is already there.`,
      );
    throw error;
  }
  await recordAudit(trx, {
    actor: ctx.audit,
    action,
    object: { type: 'file', id: file.id, label: next.name },
    ...change,
    requestId: ctx.requestId,
  });
}

/** Deletes the file, its versions and every role given on it. Its blobs go with the next sweep. */
export async function deleteFile(trx: Db, ctx: ServiceCtx, file: StoredFile): Promise<void> {
  const roles = await removeScopeBindings(trx, { type: 'item', id: file.id });
  await trx.deleteFrom('files').where('id', '=', file.id).execute();
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'file.deleted',
    object: { type: 'file', id: file.id, label: file.name },
    before: { name: file.name, versions: file.version, size: file.size },
    after: roles ? { roleBindingsRemoved: roles } : undefined,
    requestId: ctx.requestId,
  });
}

export async function renameFolder(trx: Db, ctx: ServiceCtx, folder: Folder, rawName: string): Promise<void> {
  const name = checkedName(rawName, 'folder');
  if (name === folder.name) return;
  try {
    await trx
      .updateTable('folders')
      .set({ name, name_key: nameKey(name), updated_at: Date.now() })
      .where('id', '=', folder.id)
      .execute();
  } catch (error) {
    if (isUniqueViolation(error)) throw new RuleError('name', `A folder named “${name}” is already here.`);
    throw error;
  }
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'folder.renamed',
    object: { type: 'folder', id: folder.id, label: name },
    before: { name: folder.name },
    after: { name },
    requestId: ctx.requestId,
  });
}

/**
 * Moves a folder, with everything in it, into `to` (null: the top level) of the same client. Its
 * subfolders' recorded paths follow it; a folder cannot go inside itself or one of its own.
 */
export async function moveFolder(trx: Db, ctx: ServiceCtx, folder: Folder, to: Folder | null): Promise<void> {
  if (to && to.entity_id !== folder.entity_id)
    throw new RuleError('to', 'A folder moves only between folders of its own client.');
  if (to && folderIds(to).includes(folder.id))
    throw new RuleError('to', `“${folder.name}” cannot go inside itself or a folder within it.`);
  if ((to?.id ?? null) === folder.parent_id) return;
  const oldPrefix = folderIds(folder).join('/');
  const path = folderIds(to).join('/');
  const newPrefix = [...folderIds(to), folder.id].join('/');
  try {
    await trx
      .updateTable('folders')
      .set({ parent_id: to?.id ?? null, place: to?.id ?? '', path, updated_at: Date.now() })
      .where('id', '=', folder.id)
      .execute();
  } catch (error) {
    if (isUniqueViolation(error))
      throw new RuleError(
        'to',
        `A folder named “${folder.name}” is already in ${to ? `“${to.name}”` : 'the top level'}.`,
      );
    throw error;
  }
  const below = await trx
    .selectFrom('folders')
    .select(['id', 'path'])
    .where('entity_id', '=', folder.entity_id)
    .where((eb) => inside(eb, oldPrefix))
    .execute();
  for (const sub of below)
    await trx
      .updateTable('folders')
      .set({ path: newPrefix + sub.path.slice(oldPrefix.length) })
      .where('id', '=', sub.id)
      .execute();
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'folder.moved',
    object: { type: 'folder', id: folder.id, label: folder.name },
    after: { folder: to?.name ?? 'Top level' },
    requestId: ctx.requestId,
  });
}

const notEmpty = (folder: Folder) =>
  new RuleError('folder', `“${folder.name}” is not empty: move or delete what is in it first.`);

/** Deletes an empty folder (the seed: Edit also deletes empty folders); one with anything in it stays. */
export async function deleteFolder(trx: Db, ctx: ServiceCtx, folder: Folder): Promise<void> {
  const inside =
    (await trx
      .selectFrom('files')
      .select('id')
      .where('folder_id', '=', folder.id)
      .limit(1)
      .executeTakeFirst()) ??
    (await trx
      .selectFrom('folders')
      .select('id')
      .where('parent_id', '=', folder.id)
      .limit(1)
      .executeTakeFirst());
  if (inside) throw notEmpty(folder);
  const roles = await removeScopeBindings(trx, { type: 'folder', id: folder.id });
  // Something added since the check above: the database refuses, and the person is told the same.
  await uniqueOr(
    trx.deleteFrom('folders').where('id', '=', folder.id).execute(),
    () => notEmpty(folder),
    isForeignKeyViolation,
  );
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'folder.deleted',
    object: { type: 'folder', id: folder.id, label: folder.name },
    before: { name: folder.name },
    after: roles ? { roleBindingsRemoved: roles } : undefined,
    requestId: ctx.requestId,
  });
}
