/**
 * A folder, with everything inside it the reader may read, as one zip file, streamed: each file's
 * content is opened only when the zip reaches it, stored as it is (most of what firms keep is
 * compressed already), and nothing is built in memory or on disk first. Paths inside keep the
 * folders; two entries of the same name (as a case-blind desktop sees it) get " (2)".
 */
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { ZipFile } from 'yazl';
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/connect.js';
import type { Folder, StoredFile } from '../db/schema.js';
import { auditActor } from '../http/service-ctx.js';
import { type Actor, can, fileChain, folderIds, readableInEntity } from '../permissions/index.js';
import type { BlobStore } from '../storage/index.js';
import { attachment } from './download.js';
import { nameKey, numbered } from './names.js';
import { onlyClean } from './quarantine.js';
import { foldersById, foldersWithin } from './queries.js';

/** The most files one zip holds; a larger folder is downloaded in parts, a folder at a time. */
export const ZIP_MAX_FILES = 10_000;

export interface ZipEntry {
  path: string;
  file: StoredFile;
}

/**
 * What goes in the zip of `root`: the readable files in it and in every folder inside it that have
 * passed the virus check, with their paths.
 */
export async function zipEntries(db: Db, actor: Actor, root: Folder): Promise<ZipEntry[] | 'too many'> {
  const inside = await foldersWithin(db, root.entity_id, [root.id]);
  const byId = new Map(inside.map((f) => [f.id, f]));
  const readable = readableInEntity(actor, root.entity_id, inside);
  const ids = inside.map((f) => f.id);
  // Content still being checked is downloaded by no one, so it is left out of every zip.
  let q = onlyClean(db.selectFrom('files').selectAll())
    .where('entity_id', '=', root.entity_id)
    .where('folder_id', 'in', ids);
  if (!readable.all) {
    const { folderIds: readableFolders, fileIds } = readable;
    q = q.where((eb) =>
      eb.or([
        ...(readableFolders.length ? [eb('folder_id', 'in', readableFolders)] : []),
        ...(fileIds.length ? [eb('id', 'in', fileIds)] : []),
        eb.lit(false),
      ]),
    );
  }
  const files = await q
    .orderBy('folder_id')
    .orderBy('name_key')
    .limit(ZIP_MAX_FILES + 1)
    .execute();
  if (files.length > ZIP_MAX_FILES) return 'too many';
  const pathOf = (folderId: string | null): string[] => {
    const folder = folderId ? byId.get(folderId) : undefined;
    if (!folder) return [];
    const chain = folderIds(folder);
    return chain.slice(chain.indexOf(root.id) + 1).map((id) => byId.get(id)?.name ?? id);
  };
  const taken = new Set<string>();
  return files.map((file) => {
    const dir = pathOf(file.folder_id);
    let name = file.name;
    for (let n = 2; taken.has(nameKey([...dir, name].join('/'))); n++) name = numbered(file.name, n);
    taken.add(nameKey([...dir, name].join('/')));
    return { path: [...dir, name].join('/'), file };
  });
}

/** The most files one chosen selection may name. */
export const SELECTION_MAX = 1000;

/**
 * What goes in the zip of files chosen one by one in an entity: those the reader may read that
 * have passed the virus check (any other id is left out, as if it did not exist), side by side, a
 * name met twice numbered.
 */
export async function selectionEntries(
  db: Db,
  actor: Actor,
  entityId: string,
  ids: readonly string[],
): Promise<ZipEntry[]> {
  if (!ids.length) return [];
  const files = await onlyClean(db.selectFrom('files').selectAll())
    .where('entity_id', '=', entityId)
    .where('id', 'in', ids.slice(0, SELECTION_MAX))
    .orderBy('name_key')
    .execute();
  const folders = await foldersById(db, [
    ...new Set(files.flatMap((f) => (f.folder_id ? [f.folder_id] : []))),
  ]);
  const readable = files.filter((file) =>
    can(
      actor,
      'file:R',
      fileChain(entityId, file.folder_id ? (folders.get(file.folder_id) ?? null) : null, file.id),
    ),
  );
  const taken = new Set<string>();
  return readable.map((file) => {
    let name = file.name;
    for (let n = 2; taken.has(nameKey(name)); n++) name = numbered(file.name, n);
    taken.add(nameKey(name));
    return { path: name, file };
  });
}

/**
 * How much of a file the zip reads at a time. Node's default (64 KB) let a zip of two 64 MB files
 * peak 21 MB higher than this, freed buffers waiting for the collector (`npm run bench:files`).
 */
const ZIP_CHUNK_BYTES = 16 * 1024;

/** The zip of `entries` as a stream; each content is fetched from the store when its turn comes. */
export function zipStream(store: BlobStore, entries: readonly ZipEntry[]): Readable {
  const zip = new ZipFile();
  for (const { path, file } of entries) {
    zip.addReadStreamLazy(
      path,
      { mtime: new Date(file.modified_at), compress: false, size: file.size },
      (done) => {
        store.get(file.sha256, undefined, ZIP_CHUNK_BYTES).then(
          (stream) => done(null, stream),
          (error: unknown) => done(error, Readable.from([])),
        );
      },
    );
  }
  zip.end();
  const out = zip.outputStream as Readable;
  // A content that cannot be read ends the download cut short, which the browser reports as failed.
  zip.on('error', (error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

/**
 * The zip of `entries`, streamed as a download named `name`, once each file in it is in the audit
 * log as downloaded (and `folder`, when a whole folder was asked for), as a single download would be.
 */
export async function zipDownload(
  c: Context,
  db: Db,
  store: BlobStore,
  name: string,
  entries: readonly ZipEntry[],
  folder?: Folder,
): Promise<Response> {
  const at = { actor: auditActor(c), requestId: c.get('requestId') };
  await db.transaction().execute(async (trx) => {
    if (folder)
      await recordAudit(trx, {
        ...at,
        action: 'folder.downloaded',
        object: { type: 'folder', id: folder.id, label: folder.name },
        after: { files: entries.length },
      });
    for (const { file } of entries)
      await recordAudit(trx, {
        ...at,
        action: 'file.downloaded',
        object: { type: 'file', id: file.id, label: file.name },
        after: { version: file.version },
      });
  });
  c.header('Content-Type', 'application/zip');
  c.header('Content-Disposition', attachment(name));
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Cache-Control', 'private, no-store');
  return c.body(Readable.toWeb(zipStream(store, entries)) as ReadableStream<Uint8Array>, 200);
}
