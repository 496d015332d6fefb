/**
 * What a file's bytes say it is. The first bytes are read as they stream in (`HeadCapture`) and
 * matched by `file-type` (magic numbers); where it recognises the content, the name's extension
 * must agree, so "invoice.pdf" holding a program is refused. Content it does not recognise (text,
 * CSV) takes its type from the extension. Nothing is ever served inline on the strength of this:
 * downloads are attachments (src/files/download.ts).
 */
import { open } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { extensionOf } from './names.js';

/** file-type (about 4 MB) is loaded on the first upload, not at start. */
let fileType: Promise<typeof import('file-type')> | undefined;
const loadFileType = () => (fileType ??= import('file-type'));

/** How many leading bytes file-type needs for every format it knows. */
const HEAD_BYTES = 4100;

/** Passes bytes through unchanged, keeping the first HEAD_BYTES of them. */
export class HeadCapture extends Transform {
  #chunks: Buffer[] = [];
  #kept = 0;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
    if (this.#kept < HEAD_BYTES) {
      const part = chunk.subarray(0, HEAD_BYTES - this.#kept);
      this.#chunks.push(Buffer.from(part));
      this.#kept += part.length;
    }
    done(null, chunk);
  }

  head(): Buffer {
    return Buffer.concat(this.#chunks);
  }
}

/** The leading bytes of a file already on disk, as HeadCapture would have kept them. */
export async function headOf(file: string): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(head, 0, HEAD_BYTES, 0);
    return head.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

// Extensions that name the same content as the one file-type reports.
const SAME_AS: Record<string, readonly string[]> = {
  jpg: ['jpeg', 'jpe', 'jfif'],
  tif: ['tiff'],
  pdf: ['ai'],
  // Office files are zip archives; from their first bytes alone they may read as one.
  zip: ['docx', 'xlsx', 'pptx', 'odt', 'ods', 'odp', 'epub', 'pages', 'numbers', 'key', 'xps'],
  // Older Office files and Outlook messages are compound files.
  cfb: ['doc', 'xls', 'ppt', 'msg', 'pub', 'vsd'],
  // XHTML, XBRL (filed accounts) and other XML formats begin as XML does.
  xml: ['xsd', 'xsl', 'xslt', 'rss', 'atom', 'svg', 'xhtml', 'xht', 'xbrl', 'kml', 'gpx', 'plist', 'xlf'],
  mp4: ['m4v', 'm4a'],
  m4a: ['mp4'],
  heic: ['heif'],
  txt: ['csv'],
};

const BY_EXTENSION: Record<string, string> = {
  txt: 'text/plain',
  csv: 'text/csv',
  md: 'text/markdown',
  json: 'application/json',
  svg: 'image/svg+xml',
  html: 'text/html',
  htm: 'text/html',
  xml: 'application/xml',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  doc: 'application/msword',
  xls: 'application/vnd.ms-excel',
  ppt: 'application/vnd.ms-powerpoint',
  qbo: 'application/vnd.intu.qbo',
};

export type Identified = { ok: true; contentType: string } | { ok: false; problem: string };

/**
 * The content type to keep for `name` with these leading bytes, or why the two disagree.
 * @example await identify('scan.pdf', head) → { ok: true, contentType: 'application/pdf' }
 */
export async function identify(name: string, head: Uint8Array): Promise<Identified> {
  const extension = extensionOf(name);
  const found = head.length
    ? await (await loadFileType()).fileTypeFromBuffer(head).catch(() => undefined)
    : undefined;
  if (!found) return { ok: true, contentType: BY_EXTENSION[extension] ?? 'application/octet-stream' };
  const agrees = !extension || extension === found.ext || (SAME_AS[found.ext] ?? []).includes(extension);
  if (!agrees)
    return {
      ok: false,
      problem: `“${name}” does not hold what its name says: its content is a .${found.ext} file. Rename it to match, or upload the file you meant.`,
    };
  return {
    ok: true,
    contentType: BY_EXTENSION[extension] && found.ext === 'zip' ? BY_EXTENSION[extension] : found.mime,
  };
}
