/**
 * A stored file as an HTTP answer: always an attachment under its own name (RFC 6266 `filename*`,
 * with an ASCII fallback), never sniffed, sandboxed should a browser show it anyway, with a strong
 * ETag (its SHA-256) and single byte ranges, so an interrupted download resumes where it stopped.
 * Markup and script types go out as plain bytes: nothing a client uploaded can run in our origin.
 */
import { Readable } from 'node:stream';
import type { Context } from 'hono';
import type { BlobStore } from '../storage/index.js';

export interface Servable {
  sha256: string;
  size: number;
  name: string;
  contentType: string;
}

const ACTIVE =
  /^(text\/html|image\/svg|application\/(xhtml|xml|javascript|ecmascript)|text\/(xml|javascript|ecmascript)|application\/x-)|\+xml$/i;

/** The type a download is labelled with: its own, unless a browser could run it. */
export function servedType(contentType: string): string {
  return ACTIVE.test(contentType) ? 'application/octet-stream' : contentType;
}

/** `attachment; filename="…"; filename*=UTF-8''…`: the name survives in every browser, safely quoted. */
export function attachment(name: string): string {
  const ascii = name
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\%]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}

type Range = { start: number; end: number } | 'unsatisfiable' | null;

/** One `bytes=` range of a file of `size` bytes; null for none, several or an invalid one (served whole). */
export function parseRange(header: string | undefined, size: number): Range {
  if (!header) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!match) return null;
  const [, from, to] = match;
  if (from === '' && to === '') return null;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  // A last byte before the first makes the header invalid, and an invalid one is ignored (RFC 9110 §14.2).
  if (to !== '' && Number(to) < start) return null;
  if (start >= size) return 'unsatisfiable';
  return { start, end: to === '' ? size - 1 : Math.min(Number(to), size - 1) };
}

/** Whether the request's If-None-Match names `etag`: the client holds these bytes already. */
export function alreadyHeld(c: Context, etag: string): boolean {
  const ifNoneMatch = c.req.header('If-None-Match');
  return Boolean(ifNoneMatch?.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag));
}

export async function serveFile(c: Context, store: BlobStore, file: Servable): Promise<Response> {
  const etag = `"${file.sha256}"`;
  c.header('Content-Disposition', attachment(file.name));
  c.header('Content-Security-Policy', "default-src 'none'; sandbox");
  c.header('X-Content-Type-Options', 'nosniff');
  c.header('Cache-Control', 'private, no-store');
  c.header('Accept-Ranges', 'bytes');
  c.header('ETag', etag);
  if (alreadyHeld(c, etag)) return c.body(null, 304);
  // If-Range names the version the client holds part of: a range of another version is no use.
  const ifRange = c.req.header('If-Range');
  const range = ifRange && ifRange !== etag ? null : parseRange(c.req.header('Range'), file.size);
  if (range === 'unsatisfiable') {
    c.header('Content-Range', `bytes */${file.size}`);
    return c.body(null, 416);
  }
  c.header('Content-Type', servedType(file.contentType));
  if (file.size === 0) {
    c.header('Content-Length', '0');
    return c.body(null, 200);
  }
  const stream = await store.get(file.sha256, range ?? undefined);
  const body = Readable.toWeb(stream) as ReadableStream<Uint8Array>;
  if (!range) {
    c.header('Content-Length', String(file.size));
    return c.body(body, 200);
  }
  c.header('Content-Range', `bytes ${range.start}-${range.end}/${file.size}`);
  c.header('Content-Length', String(range.end - range.start + 1));
  return c.body(body, 206);
}
