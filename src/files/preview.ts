/**
 * Making a thumbnail or a preview of an image with sharp: WebP, fitted inside a box, turned the
 * way its EXIF says, with every piece of metadata (EXIF GPS included) left behind. Only JPEG, PNG,
 * WebP, GIF and AVIF are ever given to the decoder, checked by type, by magic bytes and by what
 * sharp reads in the header: SVG (which could carry script and which libvips would rasterise),
 * HEIC and anything else get no image. (PDFs are drawn apart, src/files/pdf-preview.ts; their
 * pixels are encoded here.) Decompression bombs are refused by byte size before reading and by
 * pixel count at the header; a few at a time are made, so a page of fifty thumbnails cannot take
 * a small server's every core. It never decides who may see an image.
 */
import { Readable } from 'node:stream';
import type { OutputInfo, SharpOptions } from 'sharp';

type SharpMaker = typeof import('sharp')['default'];

import { type BlobStore, TooLarge } from '../storage/index.js';
import { turns } from './turns.js';

export { PreviewsBusy } from './turns.js';

export const PREVIEW_KINDS = ['thumbnail', 'preview'] as const;
export type PreviewKind = (typeof PREVIEW_KINDS)[number];

/** The box (CSS pixels times about three for the thumbnail, a screen's width for the preview). */
export const PREVIEW_BOX: Record<PreviewKind, number> = { thumbnail: 160, preview: 1600 };

/** No preview is made from a larger image: reading it would hold this much in memory. */
export const PREVIEW_MAX_BYTES = 50 * 1024 * 1024;

/** 100 megapixels: a 108 MP phone photo is refused, a bomb declaring 400 MP is refused at its header. */
export const PREVIEW_MAX_PIXELS = 100_000_000;

/** How long one image may take to decode and encode before it counts as undecodable. */
const PREVIEW_SECONDS = 20;

/** The content types a preview is made from (what src/files/content.ts sets from the magic bytes). */
const PREVIEWABLE: Record<string, string> = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
  'image/gif': 'gif',
  'image/avif': 'heif',
};

/** A PDF, by what its bytes were when it arrived (src/files/content.ts). */
export const isPdf = (source: { contentType: string }) => source.contentType === 'application/pdf';

/**
 * Whether `kind` may be tried at all: an image we decode, or a PDF's thumbnail (its pages have
 * their own kinds), not too large to read.
 */
export function mayPreview(source: { contentType: string; size: number }, kind: PreviewKind): boolean {
  const known = source.contentType in PREVIEWABLE || (isPdf(source) && kind === 'thumbnail');
  return known && source.size > 0 && source.size <= PREVIEW_MAX_BYTES;
}

/** The format the first bytes say, for the five we decode; null for anything else. */
export function sniffImage(head: Uint8Array): string | null {
  const b = Buffer.from(head.subarray(0, 16));
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'jpeg';
  if (b.subarray(0, 8).equals(Buffer.from('89504e470d0a1a0a', 'hex'))) return 'png';
  if (b.toString('latin1', 0, 4) === 'GIF8') return 'gif';
  if (b.toString('latin1', 0, 4) === 'RIFF' && b.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  if (b.toString('latin1', 4, 8) === 'ftyp' && /^avi[fs]$/.test(b.toString('latin1', 8, 12))) return 'heif';
  return null;
}

/**
 * sharp, loaded on the first image made: libvips costs a process that never previews nothing (its
 * memory counts against the small VPS). libvips may then load nothing but the five formats, from
 * memory: even bytes that slipped past the checks above (an SVG, a TIFF, a PDF) find no loader to
 * run. One libvips thread per image and no libvips cache (derived images are kept in the blob
 * store): the parallelism is the queue's below, and memory is given back once an image is done.
 */
let loaded: Promise<SharpMaker> | undefined;
function sharpLoaded(): Promise<SharpMaker> {
  loaded ??= import('sharp').then((module) => {
    const sharp = module.default;
    sharp.block({ operation: ['VipsForeignLoad'] });
    sharp.unblock({
      operation: [
        'VipsForeignLoadJpegBuffer',
        'VipsForeignLoadPngBuffer',
        'VipsForeignLoadWebpBuffer',
        'VipsForeignLoadNsgifBuffer',
        'VipsForeignLoadHeifBuffer',
      ],
    });
    sharp.concurrency(1);
    sharp.cache(false);
    return sharp;
  });
  return loaded;
}

/** At most two images are made at once, 64 wait; past that the server is busy. */
export const imageLine = turns(2, 64);

/** The source's bytes, refused past the cap as they arrive (its stored size could be wrong). */
async function readCapped(stream: Readable, maxBytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      stream.destroy();
      throw new TooLarge(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export interface Derived {
  sha256: string;
  size: number;
  contentType: 'image/webp';
  width: number;
  height: number;
}

export interface Source {
  sha256: string;
  size: number;
  contentType: string;
}

const INPUT: SharpOptions = {
  limitInputPixels: PREVIEW_MAX_PIXELS,
  // A truncated or damaged image is undecodable, not half a picture.
  failOn: 'error',
  // The first frame of an animated GIF or WebP.
  animated: false,
};

/** The image fitted in the box as WebP, or null when the bytes are not an image we decode. */
export async function renderImage(
  input: Buffer,
  kind: PreviewKind,
): Promise<(OutputInfo & { data: Buffer }) | null> {
  const sniffed = sniffImage(input);
  if (!sniffed) return null;
  const sharp = await sharpLoaded();
  try {
    const meta = await sharp(input, INPUT).metadata();
    if (meta.format !== sniffed) return null;
    // HEIF holding HEVC (a HEIC photo) is not AVIF: the prebuilt decoder refuses it anyway.
    if (meta.format === 'heif' && meta.compression !== 'av1') return null;
    const box = PREVIEW_BOX[kind];
    const { data, info } = await sharp(input, INPUT)
      .timeout({ seconds: PREVIEW_SECONDS })
      .rotate()
      .resize(box, box, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: kind === 'thumbnail' ? 70 : 82 })
      .toBuffer({ resolveWithObject: true });
    return { ...info, data };
  } catch {
    // libvips' refusals (too many pixels, damaged, timed out) all mean: no preview of this.
    return null;
  }
}

/** The source's bytes, or null when there are more than a preview is made from. */
export function readSource(store: BlobStore, source: Source): Promise<Buffer | null> {
  return store
    .get(source.sha256)
    .then((stream) => readCapped(stream, PREVIEW_MAX_BYTES))
    .catch((error) => {
      if (error instanceof TooLarge) return null;
      throw error;
    });
}

/** Raw pixels (three bytes each: red, green, blue), as WebP of `kind`'s quality. */
export async function encodePixels(
  pixels: { width: number; height: number; pixels: Uint8Array },
  kind: PreviewKind,
): Promise<Buffer> {
  const sharp = await sharpLoaded();
  return sharp(pixels.pixels, { raw: { width: pixels.width, height: pixels.height, channels: 3 } })
    .webp({ quality: kind === 'thumbnail' ? 70 : 82 })
    .toBuffer();
}

/** A WebP image of our making, kept in the blob store. */
export async function storeImage(
  store: BlobStore,
  image: { data: Buffer; width: number; height: number },
): Promise<Derived> {
  const blob = await store.put(Readable.from([image.data]), { maxBytes: image.data.length });
  return { ...blob, contentType: 'image/webp', width: image.width, height: image.height };
}

/**
 * The thumbnail or preview of the image `source`, stored in `store`; null when none can be made
 * (the caller records that). A failure of the store itself is thrown: it says nothing about the image.
 */
export async function derive(store: BlobStore, source: Source, kind: PreviewKind): Promise<Derived | null> {
  if (!(source.contentType in PREVIEWABLE) || !mayPreview(source, kind)) return null;
  return imageLine(async () => {
    const input = await readSource(store, source);
    if (!input || PREVIEWABLE[source.contentType] !== sniffImage(input)) return null;
    const image = await renderImage(input, kind);
    return image ? storeImage(store, image) : null;
  });
}
