/**
 * The boundary's rules for text arriving from outside: every query, path and form field must be
 * well-formed UTF-8 (a strict decoder, so bad bytes are refused, never kept as replacement
 * characters) and free of control characters other than tab, CR and LF (PostgreSQL cannot store
 * NUL, and full-text queries choke on it). A request breaking them is refused whole with a 400
 * before anything reads it; nothing here ever repairs input.
 */
import type { MiddlewareHandler } from 'hono';

/** The request cannot be read as text: bad UTF-8, a control character, a broken multipart body. */
export class MalformedInput extends Error {}

/** A field read as one value was sent more than once: which value was meant is not ours to guess. */
export class RepeatedField extends Error {
  constructor(readonly field: string) {
    super(`The field “${field}” was sent more than once.`);
  }
}

const decoder = new TextDecoder('utf-8', { fatal: true });
const encoder = new TextEncoder();
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/** `bytes` as text, or a MalformedInput naming `where` (e.g. "The address"). */
export function strictText(bytes: Uint8Array, where: string): string {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new MalformedInput(`${where} is not valid UTF-8 text.`);
  }
  if (CONTROL.test(text)) throw new MalformedInput(`${where} holds a control character (such as NUL).`);
  return text;
}

const hex = (b: number | undefined) =>
  b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));

/** Percent-escapes turned into the bytes they stand for, and `+` into a space. */
function unescapeBytes(raw: Uint8Array): Uint8Array {
  const out = new Uint8Array(raw.length);
  let n = 0;
  for (let i = 0; i < raw.length; i++) {
    const b = raw[i]!;
    if (b === 0x25 && hex(raw[i + 1]) && hex(raw[i + 2])) {
      out[n++] = Number.parseInt(String.fromCharCode(raw[i + 1]!, raw[i + 2]!), 16);
      i += 2;
    } else out[n++] = b === 0x2b ? 0x20 : b;
  }
  return out.subarray(0, n);
}

/**
 * An `application/x-www-form-urlencoded` body or query string as name/value pairs, in order,
 * decoded strictly. The separators are ASCII, so splitting the bytes before decoding is safe.
 */
export function parseUrlEncoded(raw: Uint8Array, where: string): [string, string][] {
  const pairs: [string, string][] = [];
  const latin1 = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString('latin1');
  for (const part of latin1.split('&')) {
    if (!part) continue;
    const eq = part.indexOf('=');
    const [name, value] = eq < 0 ? [part, ''] : [part.slice(0, eq), part.slice(eq + 1)];
    const decode = (s: string) => strictText(unescapeBytes(Buffer.from(s, 'latin1')), where);
    pairs.push([decode(name), decode(value)]);
  }
  return pairs;
}

/** The `boundary` parameter of a multipart Content-Type, or null when it has none. */
export function multipartBoundary(contentType: string): string | null {
  const match = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return match?.[1] ?? match?.[2] ?? null;
}

/**
 * Checks every part's headers, and the content of every part that is not a file, strictly. Run
 * after the platform's parser accepted the body, so the parts are known to be well-formed; file
 * contents are bytes and are left to whoever reads them.
 */
export function checkMultipartText(raw: Uint8Array, boundary: string): void {
  const body = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  // Every delimiter after the first starts on a new line: a boundary-like run inside a value,
  // not after CRLF, is content.
  const delimiter = Buffer.from(`\r\n--${boundary}`, 'latin1');
  const first = body.indexOf(delimiter.subarray(2));
  let after = first < 0 ? -1 : first + delimiter.length - 2;
  while (after >= 0 && body.subarray(after, after + 2).toString('latin1') === '\r\n') {
    const start = after + 2;
    const end = body.indexOf(delimiter, start);
    if (end < 0) return;
    const part = body.subarray(start, end);
    const headerEnd = part.indexOf('\r\n\r\n');
    const headers = strictText(part.subarray(0, Math.max(0, headerEnd)), 'A form field’s name');
    if (!/;\s*filename\*?=/i.test(headers)) strictText(part.subarray(headerEnd + 4), 'A form field');
    after = end + delimiter.length;
  }
}

/**
 * Refuses a request whose path or query string is not strict text, before any route reads it.
 * The address is checked, never used, so it is read whole, in one pass: its scheme and host are
 * plain ASCII (@hono/node-server refuses a Host that does not read back as itself), a query's `&`
 * and `=` are ASCII too (never inside an escape or a UTF-8 character, so splitting there first
 * would refuse nothing more), and a `+` read as a space is as valid as a plus.
 * (A refusal here decides nothing about access: the error handler marks a MalformedInput refused.)
 */
export const strictAddress: MiddlewareHandler = async function strictAddress(c, next) {
  strictText(unescapeBytes(encoder.encode(c.req.url)), 'The address');
  await next();
};
