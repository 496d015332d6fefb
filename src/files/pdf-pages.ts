/**
 * A PDF's kept page images: rows 'page-1', 'page-2', … of file_previews (migration 0023), each
 * naming its page's WebP and the document's page count. They are made together on the first
 * request for any of them (src/files/pdf-preview.ts), all or none; a 'page-1' row without an image
 * records that the file could not be drawn, so it is not tried on every view. Served like an
 * image's preview (src/files/previews.ts). Nothing here decides access: the route has asked
 * src/permissions about the file before it gets here.
 */
import type { Context } from 'hono';
import type { Db } from '../db/connect.js';
import type { FilePreview } from '../db/schema.js';
import type { BlobStore } from '../storage/index.js';
import { derivePdfPages, type PdfTiming } from './pdf-preview.js';
import { PDF_PAGES_SHOWN } from './pdf-render.js';
import { isPdf, PREVIEW_MAX_BYTES, type Source } from './preview.js';
import { answerKept, findPreview, type StoredKind } from './previews.js';

const pageKind = (n: number): StoredKind => `page-${n}`;
const numberOf = (row: FilePreview) => Number(row.kind.slice('page-'.length));
const PAGE_KINDS = Array.from({ length: PDF_PAGES_SHOWN }, (_, i) => pageKind(i + 1));

/** The pages a preview shows: the first few of `total`, each with its image's size. */
export interface PdfPages {
  total: number;
  pages: { number: number; width: number; height: number }[];
}

/** Whether the file's pages may be drawn at all: a PDF, not too large to read. */
export const mayShowPages = (source: Source) =>
  isPdf(source) && source.size > 0 && source.size <= PREVIEW_MAX_BYTES;

/** Its thumbnail, the first page, could not be drawn: neither can its pages, so they are not tried. */
async function thumbnailFailed(db: Db, sha256: string): Promise<boolean> {
  const row = await findPreview(db, sha256, 'thumbnail');
  return Boolean(row && !row.sha256);
}

async function keptRows(db: Db, sha256: string): Promise<FilePreview[]> {
  const rows = await db
    .selectFrom('file_previews')
    .selectAll()
    .where('source_sha256', '=', sha256)
    .where('kind', 'in', PAGE_KINDS)
    .execute();
  return rows.sort((a, b) => numberOf(a) - numberOf(b));
}

function shown(rows: readonly FilePreview[]): PdfPages | null {
  if (!rows[0]?.sha256) return null;
  return {
    total: rows[0].pages ?? rows.length,
    pages: rows.map((r) => ({ number: numberOf(r), width: r.width ?? 0, height: r.height ?? 0 })),
  };
}

// Two requests for the same file's pages at once (the page and its first image) draw it once.
const making = new Map<string, Promise<FilePreview[]>>();

async function make(db: Db, store: BlobStore, source: Source, timing: PdfTiming): Promise<FilePreview[]> {
  const made = await derivePdfPages(store, source, timing);
  const now = Date.now();
  const rows = made
    ? made.pages.map((page, i) => ({
        source_sha256: source.sha256,
        kind: pageKind(i + 1),
        sha256: page.sha256,
        size: page.size,
        content_type: page.contentType,
        width: page.width,
        height: page.height,
        pages: made.total,
        created_at: now,
      }))
    : [{ source_sha256: source.sha256, kind: pageKind(1), created_at: now }];
  await db
    .insertInto('file_previews')
    .values(rows)
    .onConflict((oc) => oc.columns(['source_sha256', 'kind']).doNothing())
    .execute();
  return keptRows(db, source.sha256);
}

async function rowsOf(db: Db, store: BlobStore, source: Source, timing: PdfTiming): Promise<FilePreview[]> {
  if (!mayShowPages(source)) return [];
  const kept = await keptRows(db, source.sha256);
  if (kept.length || (await thumbnailFailed(db, source.sha256))) return kept;
  let pending = making.get(source.sha256);
  if (!pending) {
    pending = make(db, store, source, timing).finally(() => making.delete(source.sha256));
    making.set(source.sha256, pending);
  }
  return pending;
}

/**
 * The PDF's pages, drawn now if they never were; null when it has none to show. Throws
 * PreviewsBusy when too many PDFs are being drawn.
 */
export async function pagesOf(
  db: Db,
  store: BlobStore,
  source: Source,
  timing: PdfTiming = {},
): Promise<PdfPages | null> {
  return shown(await rowsOf(db, store, source, timing));
}

/** What a page can show without drawing anything: the kept pages, 'unmade', or null for none. */
export async function pagesKept(db: Db, source: Source): Promise<PdfPages | 'unmade' | null> {
  if (!mayShowPages(source)) return null;
  const rows = await keptRows(db, source.sha256);
  if (rows.length) return shown(rows);
  return (await thumbnailFailed(db, source.sha256)) ? null : 'unmade';
}

/** Page `n`'s image as an HTTP answer (see answerKept); a page whose image has gone is drawn again with the rest. */
export function servePage(
  c: Context,
  db: Db,
  store: BlobStore,
  source: Source,
  n: number,
): Promise<Response> {
  return answerKept(
    c,
    store,
    async () => (await rowsOf(db, store, source, {})).find((r) => numberOf(r) === n),
    () =>
      db
        .deleteFrom('file_previews')
        .where('source_sha256', '=', source.sha256)
        .where('kind', 'in', PAGE_KINDS)
        .execute(),
  );
}
