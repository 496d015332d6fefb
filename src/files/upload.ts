/**
 * A plain multipart upload (the form that works without JavaScript), read as it streams: each file
 * goes straight into the blob store, hashed and counted on the way, one after the other, and is
 * never held whole in memory or on disk outside the store. What each file became is reported on its
 * own, so one refused file does not lose the others.
 */
import type { IncomingMessage } from 'node:http';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { Busboy, type BusboyInstance } from '@fastify/busboy';
import type { Context } from 'hono';
import { MalformedInput } from '../http/strict-input.js';
import type { FileLimits } from '../kernel/config.js';
import { type BlobStore, isDiskFull, type StoredBlob, TooLarge } from '../storage/index.js';
import { HeadCapture, identify } from './content.js';
import { baseName, extensionOf, nameProblem } from './names.js';

export type Received =
  | { ok: true; name: string; blob: StoredBlob; contentType: string }
  | { ok: false; name: string; problem: string; error?: unknown };

export interface ReceivedForm {
  fields: Map<string, string>;
  files: Received[];
}

/** Fields of the upload form that are not files: a few short values, never more; files: 100 at most. */
const FIELD_LIMITS = {
  fields: 10,
  fieldSize: 1024,
  fieldNameSize: 100,
  files: 100,
  parts: 200,
  headerPairs: 20,
};

/** The most one upload request may carry: several files of the largest size. */
export function uploadTotalLimit(limits: FileLimits): number {
  return 4 * limits.maxBytes + 1024 * 1024;
}

/** Counts the request's bytes as they pass, and stops the body past `max` (a chunked body declares no length). */
class Counted extends Transform {
  #seen = 0;
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    this.#seen += chunk.length;
    if (this.#seen > this.max)
      return done(new MalformedInput('This upload is larger than the limit for one upload.'));
    done(null, chunk);
  }
}

/** Why a file the store failed on was not kept: a full disk is said as such, since trying again will not help. */
export function storageProblem(name: string, error: unknown): string {
  if (isDiskFull(error))
    return `“${name}” could not be stored: the server has no room left for files. Nothing of it was kept; tell whoever runs this portal.`;
  return `“${name}” could not be stored just now. Nothing of it was kept; try again.`;
}

export function sizeWords(bytes: number): string {
  if (bytes >= 1024 ** 3) return `${+(bytes / 1024 ** 3).toFixed(1)} GB`;
  if (bytes >= 1024 ** 2) return `${+(bytes / 1024 ** 2).toFixed(1)} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} bytes`;
}

/**
 * Why a file of this name may not be uploaded at all (before any byte is stored), or null.
 */
export function uploadNameProblem(name: string, limits: FileLimits): string | null {
  const problem = nameProblem(name, 'file');
  if (problem) return name ? `“${name.slice(0, 80)}”: ${problem}` : 'A file was sent without a name.';
  const extension = extensionOf(name);
  if (extension && limits.blockedExtensions.includes(extension))
    return `“${name}” cannot be uploaded: .${extension} files are not accepted here.`;
  if (limits.allowedExtensions?.length && !limits.allowedExtensions.includes(extension ?? ''))
    return `“${name}” cannot be uploaded: only ${dotted(limits.allowedExtensions).join(', ')} files are accepted here.`;
  return null;
}

export type UploadLimits = Pick<FileLimits, 'maxBytes' | 'allowedExtensions'>;

/** What an upload form says it takes: how large, and which extensions when only some are. */
export function acceptedWords(limits: UploadLimits): string {
  const only = limits.allowedExtensions?.length
    ? ` Only ${dotted(limits.allowedExtensions).join(', ')} files are accepted.`
    : '';
  return `Up to ${sizeWords(limits.maxBytes)} each.${only}`;
}

/** The file picker's `accept`, so it offers only what would be accepted. */
export function acceptAttribute(limits: UploadLimits): string | undefined {
  return limits.allowedExtensions?.length ? dotted(limits.allowedExtensions).join(',') : undefined;
}

const dotted = (extensions: readonly string[]) => extensions.map((e) => `.${e}`);

/**
 * Reads the multipart body of the request, storing each file as it arrives: from Node's own request
 * stream where the server gives it (no web stream in between), else from the web body. Throws
 * MalformedInput for a body that is not a multipart form, or one past the upload's limit.
 */
export async function receiveUpload(c: Context, store: BlobStore, limits: FileLimits): Promise<ReceivedForm> {
  const contentType = c.req.header('content-type') ?? '';
  const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
  const web = incoming ? null : c.req.raw.body;
  if ((!incoming && !web) || !/^multipart\/form-data\b/i.test(contentType))
    throw new MalformedInput('Choose files with the form to upload them.');
  let busboy: BusboyInstance;
  try {
    // One byte past the limit, so the store sees the file is too large and keeps nothing.
    busboy = Busboy({
      headers: { 'content-type': contentType },
      limits: { ...FIELD_LIMITS, fileSize: limits.maxBytes + 1 },
    });
  } catch {
    throw new MalformedInput('The upload is not a well-formed multipart form.');
  }
  const fields = new Map<string, string>();
  const pending: Promise<Received>[] = [];
  busboy.on('field', (name, value) => {
    if (!fields.has(name)) fields.set(name, value);
  });
  busboy.on('file', (_field, stream, sentName) => {
    const name = baseName(sentName ?? '');
    const refused = uploadNameProblem(name, limits);
    // A part cut short errors on its own stream: handled here, or it would end the process.
    stream.on('error', () => {});
    if (refused) {
      stream.resume();
      pending.push(Promise.resolve({ ok: false, name, problem: refused }));
      return;
    }
    // Settled here, so a storage failure is reported with the others, never left unhandled.
    pending.push(
      storeOne(stream, name, store, limits).catch((error: unknown) => ({
        ok: false as const,
        name,
        problem: storageProblem(name, error),
        error,
      })),
    );
  });
  const finished = new Promise<void>((resolve, reject) => {
    busboy.on('finish', resolve);
    busboy.on('error', () =>
      reject(new MalformedInput('The upload was cut short or is not a well-formed multipart form.')),
    );
  });
  const body: Readable =
    incoming ?? Readable.fromWeb(web as import('node:stream/web').ReadableStream<Uint8Array>);
  const counted = new Counted(uploadTotalLimit(limits));
  let tooLarge: unknown = null;
  body.on('error', () => busboy.destroy(new Error('body')));
  counted.on('error', (error) => {
    tooLarge = error;
    body.unpipe(counted);
    body.resume();
    busboy.destroy(error);
  });
  body.pipe(counted).pipe(busboy);
  await finished.catch((error: unknown) => {
    throw tooLarge ?? error;
  });
  return { fields, files: await Promise.all(pending) };
}

async function storeOne(
  stream: Readable,
  name: string,
  store: BlobStore,
  limits: FileLimits,
): Promise<Received> {
  const head = new HeadCapture();
  // `pipe` does not pass errors on: a part cut short must fail the store's write, not hang it. The
  // store may not be reading yet; it meets the error when it does, so none is left unhandled.
  head.on('error', () => {});
  stream.on('error', (error) => head.destroy(error));
  stream.pipe(head);
  try {
    const blob = await store.put(head, { maxBytes: limits.maxBytes });
    const identified = await identify(name, head.head());
    if (!identified.ok) return { ok: false, name, problem: identified.problem };
    return { ok: true, name, blob, contentType: identified.contentType };
  } catch (error) {
    // Whatever the store refused, the rest of this part is read and dropped so the form goes on.
    stream.unpipe(head);
    stream.resume();
    if (error instanceof TooLarge)
      return {
        ok: false,
        name,
        problem: `“${name}” is larger than the limit of ${sizeWords(limits.maxBytes)}.`,
      };
    throw error;
  }
}
