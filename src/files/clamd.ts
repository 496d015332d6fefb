/**
 * A small client for clamd (ClamAV's daemon): INSTREAM sends the content in length-prefixed chunks
 * and reads one verdict. Whatever goes wrong on the way is a verdict too, never an exception about
 * the scanner: a clamd that cannot be reached, answers late or answers nonsense is "unavailable",
 * which the caller must treat as not clean (fail closed). It never logs or returns content.
 *
 * Content past clamd's StreamMaxLength is refused by clamd: over a unix socket it says so ("INSTREAM
 * size limit exceeded"); over TCP it resets the connection mid-stream and its answer is lost. A
 * PING tells the two apart from a clamd that went away: alive means it refused this content.
 */
import net from 'node:net';
import { Readable } from 'node:stream';
import type { ClamdAddress } from '../kernel/config.js';

export type Verdict =
  | { status: 'clean' }
  | { status: 'infected'; signature: string }
  /** Larger than clamd's StreamMaxLength: it will refuse this content every time it is sent. */
  | { status: 'too-large' }
  | { status: 'unavailable'; reason: string };

/** How long clamd may stay silent: while connecting, and between chunks or before its verdict. */
export const CONNECT_TIMEOUT_MS = 5_000;
export const IDLE_TIMEOUT_MS = 60_000;
/** Well under clamd's smallest StreamMaxLength; each chunk is sent only once the last has gone. */
const CHUNK_BYTES = 64 * 1024;

export interface ScanOptions {
  connectMs?: number;
  idleMs?: number;
}

function open(address: ClamdAddress): net.Socket {
  return address.kind === 'unix'
    ? net.connect({ path: address.path })
    : net.connect({ host: address.host, port: address.port });
}

/** Where clamd is, for logs: the address, never more. */
export function describeClamd(address: ClamdAddress): string {
  return address.kind === 'unix' ? `unix:${address.path}` : `tcp://${address.host}:${address.port}`;
}

/** One command, one NUL-terminated answer (the `z` prefix), or why there is none. */
function converse(address: ClamdAddress, options: ScanOptions) {
  const socket = open(address);
  let reply = '';
  let connected = false;
  socket.setTimeout(options.connectMs ?? CONNECT_TIMEOUT_MS);
  socket.on('connect', () => {
    connected = true;
    socket.setTimeout(options.idleMs ?? IDLE_TIMEOUT_MS);
  });
  const answer = new Promise<{ text: string } | { failed: string }>((resolve) => {
    socket.on('data', (data: Buffer) => {
      reply += data.toString('utf8');
      const end = reply.indexOf('\0');
      if (end >= 0) resolve({ text: reply.slice(0, end).trim() });
    });
    socket.on('timeout', () =>
      resolve({
        failed: connected ? 'clamd stopped answering' : 'clamd did not accept the connection in time',
      }),
    );
    socket.on('error', (error: NodeJS.ErrnoException) => resolve({ failed: error.code ?? error.message }));
    socket.on('close', () =>
      resolve(
        reply
          ? { text: reply.replace(/\0/g, '').trim() }
          : { failed: 'clamd closed the connection without an answer' },
      ),
    );
  });
  let answered = false;
  void answer.then(() => {
    answered = true;
    socket.destroy();
  });
  const write = (data: Uint8Array | string) =>
    new Promise<boolean>((resolve) => {
      if (answered || socket.destroyed) return resolve(false);
      socket.write(data, (error) => resolve(!error));
    });
  return { answer, write, connected: () => connected, close: () => socket.destroy() };
}

/** Is clamd there and answering? */
export async function pingClamd(address: ClamdAddress, options: ScanOptions = {}): Promise<boolean> {
  const talk = converse(address, {
    connectMs: options.connectMs,
    idleMs: options.connectMs ?? CONNECT_TIMEOUT_MS,
  });
  await talk.write('zPING\0');
  const answer = await talk.answer;
  return 'text' in answer && answer.text === 'PONG';
}

function frame(part: Uint8Array): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(part.length);
  return Buffer.concat([length, part]);
}

/**
 * Sends `content` to clamd and reads its verdict. Errors reading `content` itself (the blob store)
 * are thrown: they are not the scanner's.
 * @example await scanContent({ kind: 'tcp', host: '127.0.0.1', port: 3310 }, await store.get(sha256))
 */
export async function scanContent(
  address: ClamdAddress,
  content: Readable | AsyncIterable<Uint8Array>,
  options: ScanOptions = {},
): Promise<Verdict> {
  const talk = converse(address, options);
  let sentAll = false;
  try {
    sentAll = await sendStream(talk.write, content);
  } catch (error) {
    talk.close();
    throw error;
  } finally {
    // Left unread when clamd stopped taking it: its file handle or connection is let go now.
    if (content instanceof Readable) content.destroy();
  }
  const answer = await talk.answer;
  if ('text' in answer) return verdictOf(answer.text);
  if (talk.connected() && !sentAll && (await pingClamd(address, options))) return { status: 'too-large' };
  return { status: 'unavailable', reason: answer.failed };
}

/** Writes the command, the content in frames, and the empty frame that ends it; false once clamd stops taking it. */
async function sendStream(
  write: (data: Uint8Array | string) => Promise<boolean>,
  content: AsyncIterable<Uint8Array>,
): Promise<boolean> {
  if (!(await write('zINSTREAM\0'))) return false;
  for await (const chunk of content)
    for (let at = 0; at < chunk.length; at += CHUNK_BYTES)
      if (!(await write(frame(chunk.subarray(at, at + CHUNK_BYTES))))) return false;
  return write(Buffer.alloc(4));
}

/** clamd's answer to INSTREAM (without its NUL) as a verdict: anything it does not recognise is not clean. */
export function verdictOf(text: string): Verdict {
  if (text === 'stream: OK') return { status: 'clean' };
  const found = /^stream: (.+) FOUND$/.exec(text);
  if (found) return { status: 'infected', signature: found[1]! };
  if (/size limit exceeded/i.test(text)) return { status: 'too-large' };
  return { status: 'unavailable', reason: `clamd answered: ${text.slice(0, 200)}` };
}
