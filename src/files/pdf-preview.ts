/**
 * A PDF's images: its thumbnail (the first page, in the thumbnail's box) and its first pages (each
 * in the preview's box), drawn by PDFium in a thread of their own (src/files/pdf-render.ts), then
 * encoded as WebP and kept in the blob store. Nothing is kept of a file that cannot be drawn
 * whole: the pages are stored only once every one was drawn. Only the bytes of a file stored as a
 * PDF, starting as a PDF does, are handed to PDFium. It never decides who may see a file.
 */
import type { BlobStore } from '../storage/index.js';
import { type DrawnPage, drawPdf, PDF_PAGES_SHOWN, type PdfJob } from './pdf-render.js';
import {
  type Derived,
  encodePixels,
  isPdf,
  PREVIEW_BOX,
  PREVIEW_MAX_BYTES,
  type PreviewKind,
  readSource,
  type Source,
  storeImage,
} from './preview.js';

/** What a test may shorten: how long one file may take. */
export type PdfTiming = Pick<PdfJob, 'timeoutMs'>;

type Image = { data: Buffer; width: number; height: number };

/** What every PDF starts with (ISO 32000: the header may follow up to 1 KB of other bytes). */
const startsAsPdf = (bytes: Buffer) => bytes.subarray(0, 1024).includes('%PDF-');

/**
 * The first `pages` pages, each encoded as `kind`; null when the file cannot be drawn whole.
 * Throws PreviewsBusy when too many PDFs wait.
 */
async function encodedPages(
  store: BlobStore,
  source: Source,
  pages: number,
  kind: PreviewKind,
  timing: PdfTiming,
): Promise<{ total: number; images: Image[] } | null> {
  if (!isPdf(source) || source.size <= 0 || source.size > PREVIEW_MAX_BYTES) return null;
  const input = await readSource(store, source);
  if (!input || !startsAsPdf(input)) return null;
  // Encoded as they come, while the next page is drawn; kept in page order.
  const encoded: Promise<Image>[] = [];
  const encode = (page: DrawnPage) => {
    const image = encodePixels(page, kind).then((data) => ({ data, width: page.width, height: page.height }));
    encoded.push(image);
    return image.then(() => undefined);
  };
  const drawn = await drawPdf(input, { pages, box: PREVIEW_BOX[kind], ...timing }, encode);
  return drawn ? { total: drawn.total, images: await Promise.all(encoded) } : null;
}

/** The PDF's thumbnail, its first page; null when none can be made. */
export async function derivePdfThumbnail(
  store: BlobStore,
  source: Source,
  timing: PdfTiming = {},
): Promise<(Derived & { pages: number }) | null> {
  const made = await encodedPages(store, source, 1, 'thumbnail', timing);
  const first = made?.images[0];
  if (!made || !first) return null;
  return { ...(await storeImage(store, first)), pages: made.total };
}

/** The PDF's first pages (PDF_PAGES_SHOWN of them at most), and how many it has; null when none can be made. */
export async function derivePdfPages(
  store: BlobStore,
  source: Source,
  timing: PdfTiming = {},
): Promise<{ total: number; pages: Derived[] } | null> {
  const made = await encodedPages(store, source, PDF_PAGES_SHOWN, 'preview', timing);
  if (!made?.images.length) return null;
  const pages: Derived[] = [];
  for (const image of made.images) pages.push(await storeImage(store, image));
  return { total: made.total, pages };
}
