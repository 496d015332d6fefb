/**
 * The kept thumbnails and previews (table file_previews, migration 0020): found by the source
 * content's SHA-256 and kind, made on the first request (src/files/preview.ts for images,
 * src/files/pdf-preview.ts for a PDF's thumbnail) and stored in the blob store, or marked as not
 * makeable so an undecodable file is not decoded again on each view. A PDF's pages are kept in the
 * same table (src/files/pdf-pages.ts). Served as an image of our own making: WebP, never sniffed,
 * sandboxed, private. Nothing here decides access: the route has asked src/permissions about the
 * file before it gets here.
 */
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import type { Db } from '../db/connect.js';
import type { FilePreview } from '../db/schema.js';
import { NotFound } from '../permissions/index.js';
import { BlobMissing, type BlobStore } from '../storage/index.js';
import { alreadyHeld } from './download.js';
import { derivePdfThumbnail } from './pdf-preview.js';
import {
  type Derived,
  derive,
  isPdf,
  mayPreview,
  type PreviewKind,
  PreviewsBusy,
  type Source,
} from './preview.js';

/** What a row of file_previews is: an image's thumbnail or preview, or a PDF's page N. */
export type StoredKind = PreviewKind | `page-${number}`;

export function findPreview(db: Db, sha256: string, kind: StoredKind): Promise<FilePreview | undefined> {
  return db
    .selectFrom('file_previews')
    .selectAll()
    .where('source_sha256', '=', sha256)
    .where('kind', '=', kind)
    .executeTakeFirst();
}

// Two requests for the same image at once (a listing and its reload) make it once.
const making = new Map<string, Promise<FilePreview | null>>();

async function make(db: Db, store: BlobStore, source: Source, kind: PreviewKind) {
  const made: (Derived & { pages?: number }) | null = isPdf(source)
    ? await derivePdfThumbnail(store, source)
    : await derive(store, source, kind);
  await db
    .insertInto('file_previews')
    .values({
      source_sha256: source.sha256,
      kind,
      sha256: made?.sha256 ?? null,
      size: made?.size ?? null,
      content_type: made?.contentType ?? null,
      width: made?.width ?? null,
      height: made?.height ?? null,
      pages: made?.pages ?? null,
      created_at: Date.now(),
    })
    .onConflict((oc) => oc.columns(['source_sha256', 'kind']).doNothing())
    .execute();
  const row = await findPreview(db, source.sha256, kind);
  return row?.sha256 ? row : null;
}

/** The kept image of `source`, made now if it never was; null when there is none to show. */
export async function previewOf(
  db: Db,
  store: BlobStore,
  source: Source,
  kind: PreviewKind,
): Promise<FilePreview | null> {
  // Not an image we decode: answered from its type alone, with nothing written.
  if (!mayPreview(source, kind)) return null;
  const kept = await findPreview(db, source.sha256, kind);
  if (kept) return kept.sha256 ? kept : null;
  const key = `${source.sha256}:${kind}`;
  let pending = making.get(key);
  if (!pending) {
    pending = make(db, store, source, kind).finally(() => making.delete(key));
    making.set(key, pending);
  }
  return pending;
}

/** The contents among `sha256s` whose `kind` was tried and could not be made. */
export async function unmakeable(
  db: Db,
  sha256s: readonly string[],
  kind: PreviewKind,
): Promise<Set<string>> {
  if (!sha256s.length) return new Set();
  const rows = await db
    .selectFrom('file_previews')
    .select('source_sha256')
    .where('kind', '=', kind)
    .where('sha256', 'is', null)
    .where('source_sha256', 'in', [...new Set(sha256s)])
    .execute();
  return new Set(rows.map((r) => r.source_sha256));
}

/** What a listing needs to know of a file to show its thumbnail or its type's icon. */
export function thumbnailShown(source: Source, failed: ReadonlySet<string>): boolean {
  return mayPreview(source, 'thumbnail') && !failed.has(source.sha256);
}

/**
 * Where a file's thumbnail leads where there is no file page (the portal), and an older version's
 * "View": its preview, or a PDF's pages.
 */
export const previewHref = (f: { id: string; content_type: string }, version?: number) =>
  `/files/${f.id}/${isPdf({ contentType: f.content_type }) ? 'pages' : 'preview'}${version === undefined ? '' : `?version=${version}`}`;

/** A file row's current content, as the preview functions take it. */
export const contentOf = (f: { sha256: string; size: number; content_type: string }): Source => ({
  sha256: f.sha256,
  size: f.size,
  contentType: f.content_type,
});

/**
 * The room a file page keeps for the preview: its size once made, 'unmade' before (it is made on
 * the image's request, not the page's), null when there is none to show.
 */
export async function previewRoom(
  db: Db,
  source: Source,
): Promise<{ width: number; height: number } | 'unmade' | null> {
  if (!mayPreview(source, 'preview')) return null;
  const row = await findPreview(db, source.sha256, 'preview');
  if (!row) return 'unmade';
  return row.sha256 && row.width && row.height ? { width: row.width, height: row.height } : null;
}

/** The answer while too many previews are being made. */
export function busy(c: Context): Response {
  c.header('Retry-After', '5');
  return c.text('Too many previews are being made; try again in a few seconds.', 503);
}

/**
 * A kept image as an HTTP answer (304 when the browser holds it). Throws BlobMissing when its
 * blob has gone (swept while its source had no version): the caller makes it again.
 */
export async function answerImage(c: Context, store: BlobStore, row: FilePreview): Promise<Response> {
  if (!row.sha256) throw new NotFound();
  const etag = `"${row.sha256}"`;
  // Opened on its own, the image is shown in the browser's image page, styled by the browser's own
  // inline style: let that in, in a sandbox where nothing can run.
  c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox");
  c.header('X-Content-Type-Options', 'nosniff');
  // Revalidated each time: the same address shows the next version once there is one.
  c.header('Cache-Control', 'private, no-cache');
  c.header('ETag', etag);
  if (alreadyHeld(c, etag)) return c.body(null, 304);
  const stream = await store.get(row.sha256);
  c.header('Content-Type', row.content_type ?? 'image/webp');
  c.header('Content-Length', String(row.size));
  return c.body(Readable.toWeb(stream) as ReadableStream<Uint8Array>, 200);
}

/**
 * A kept image found by `find` as an HTTP answer: 503 when too many are being made, 404 when there
 * is none. A row whose blob has gone (swept while its source had no version) is forgotten, then
 * made once more.
 */
export async function answerKept(
  c: Context,
  store: BlobStore,
  find: () => Promise<FilePreview | null | undefined>,
  forget: () => Promise<unknown>,
  remake = true,
): Promise<Response> {
  let row: FilePreview | null | undefined;
  try {
    row = await find();
  } catch (error) {
    if (!(error instanceof PreviewsBusy)) throw error;
    return busy(c);
  }
  if (!row?.sha256) throw new NotFound();
  try {
    return await answerImage(c, store, row);
  } catch (error) {
    if (!(error instanceof BlobMissing) || !remake) throw error;
    await forget();
    return answerKept(c, store, find, forget, false);
  }
}

/** The image of `kind` as an HTTP answer (see answerKept). */
export function servePreview(
  c: Context,
  db: Db,
  store: BlobStore,
  source: Source,
  kind: PreviewKind,
): Promise<Response> {
  return answerKept(
    c,
    store,
    () => previewOf(db, store, source, kind),
    () =>
      db
        .deleteFrom('file_previews')
        .where('source_sha256', '=', source.sha256)
        .where('kind', '=', kind)
        .execute(),
  );
}
