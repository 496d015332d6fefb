/**
 * Blobs on local disk, under `<DATA_DIR>/blobs`: each at `ab/cd/<sha256>` by its first two byte
 * pairs (so no folder holds millions of files), written first to `tmp/<random>`, fsynced, renamed
 * into place and its folder fsynced, so a crash leaves either the whole blob at its address or a
 * temp file the sweep removes. A blob already at its address is kept and the new copy dropped.
 * A file already whole on this disk (a resumable upload's) is linked to its address, not copied.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  BlobMissing,
  type BlobStore,
  checkAddress,
  SHA256_HEX,
  type StoredBlob,
  TooLarge,
} from './blob-store.js';
import { Hashing } from './hashing.js';

const WRITE_BUFFER = 1024 * 1024;

/** How many bytes may wait in the page cache before the disk is asked to write them down. */
const SYNC_EVERY = 32 * 1024 * 1024;

/**
 * Passes bytes on to `out`, and every SYNC_EVERY bytes asks the disk (fdatasync, on libuv's thread
 * pool, one at a time) to write down what `out` has written so far, while the next bytes arrive. The
 * fsync that ends the blob is then left with the last few megabytes: left with a whole GiB, it alone
 * took 0.7 s here, after the last byte had arrived (the kernel starts writing on its own only past
 * a tenth of the memory). A failed early sync changes nothing: the final fsync reports for all.
 */
function writtenDownAsItGoes(out: fs.WriteStream): Transform {
  let unsynced = 0;
  let syncing = false;
  let fd: number | undefined;
  out.once('open', (opened: number) => {
    fd = opened;
  });
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      unsynced += chunk.length;
      if (unsynced >= SYNC_EVERY && !syncing && fd !== undefined) {
        unsynced = 0;
        syncing = true;
        fs.fdatasync(fd, () => {
          syncing = false;
        });
      }
      done(null, chunk);
    },
  });
}

export class DiskBlobStore implements BlobStore {
  readonly kind = 'disk' as const;
  readonly #root: string;
  readonly #tmp: string;

  constructor(dataDir: string) {
    this.#root = path.join(dataDir, 'blobs');
    this.#tmp = path.join(this.#root, 'tmp');
  }

  #pathOf(sha256: string): string {
    checkAddress(sha256);
    return path.join(this.#root, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  }

  async put(body: Readable | AsyncIterable<Uint8Array>, options: { maxBytes: number }): Promise<StoredBlob> {
    await fsp.mkdir(this.#tmp, { recursive: true });
    const draft = path.join(this.#tmp, `${Date.now()}-${randomBytes(8).toString('hex')}`);
    const hashing = new Hashing(options.maxBytes);
    try {
      // `flush`: fsynced before it closes, so the rename below moves a file whose bytes are on disk.
      // A buffer of WRITE_BUFFER lets the next bytes arrive while the disk writes the last ones,
      // then go down in one write: with the default 16 KB, receiving and writing took turns. A
      // stream is piped as it is: wrapping it in Readable.from pulled it a chunk and a promise at a
      // time (together ~25 % of an upload's throughput, measured alone).
      const out = fs.createWriteStream(draft, {
        flags: 'wx',
        mode: 0o600,
        flush: true,
        highWaterMark: WRITE_BUFFER,
      });
      await pipeline(body, hashing, writtenDownAsItGoes(out), out);
      const blob = hashing.result();
      const target = this.#pathOf(blob.sha256);
      await fsp.mkdir(path.dirname(target), { recursive: true });
      if (fs.existsSync(target)) {
        await fsp.rm(draft, { force: true });
        await renew(target);
      } else {
        await fsp.rename(draft, target);
        await syncFolder(path.dirname(target));
      }
      return blob;
    } catch (error) {
      await fsp.rm(draft, { force: true });
      throw error;
    }
  }

  async adopt(file: string, options: { maxBytes: number; sha256?: string | null }): Promise<StoredBlob> {
    const handle = await fsp.open(file, 'r');
    let blob: StoredBlob;
    try {
      const { size } = await handle.stat();
      if (size > options.maxBytes) throw new TooLarge(options.maxBytes);
      const sha256 = options.sha256 ?? (await hashOf(file));
      blob = { sha256, size };
      // As a put leaves its blob: the server's alone, and written now as far as the sweep's grace
      // period goes (the file's last chunk may have come long ago); on disk before any name of the
      // store points at it.
      await handle.chmod(0o600);
      const now = new Date();
      await handle.utimes(now, now);
      await handle.sync();
    } finally {
      await handle.close();
    }
    const target = this.#pathOf(blob.sha256);
    await fsp.mkdir(path.dirname(target), { recursive: true });
    try {
      await fsp.link(file, target);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Another filesystem (DATA_DIR's folders mounted apart): copied after all.
      if (code === 'EXDEV') return this.put(fs.createReadStream(file), options);
      if (code !== 'EEXIST') throw error;
      await renew(target);
      return blob;
    }
    await syncFolder(path.dirname(target));
    return blob;
  }

  async get(sha256: string, range?: { start: number; end: number }, chunkBytes?: number): Promise<Readable> {
    const where = this.#pathOf(sha256);
    // Opened before the stream is handed out, so a missing blob is an error here, not mid-response.
    const handle = await fsp.open(where, 'r').catch((error: NodeJS.ErrnoException) => {
      throw error.code === 'ENOENT' ? new BlobMissing(sha256) : error;
    });
    return handle.createReadStream({
      ...(range ? { start: range.start, end: range.end } : {}),
      ...(chunkBytes ? { highWaterMark: chunkBytes } : {}),
    });
  }

  async stat(sha256: string): Promise<{ size: number; writtenAt: number } | null> {
    const stats = await fsp.stat(this.#pathOf(sha256)).catch(() => null);
    return stats ? { size: stats.size, writtenAt: stats.mtimeMs } : null;
  }

  async delete(sha256: string): Promise<void> {
    await fsp.rm(this.#pathOf(sha256), { force: true });
  }

  async *list(): AsyncIterable<{ sha256: string; writtenAt: number }> {
    for (const a of await entries(this.#root)) {
      if (!/^[0-9a-f]{2}$/.test(a)) continue;
      for (const b of await entries(path.join(this.#root, a)))
        for (const name of await entries(path.join(this.#root, a, b))) {
          if (!SHA256_HEX.test(name)) continue;
          const stats = await fsp.stat(path.join(this.#root, a, b, name)).catch(() => null);
          if (stats) yield { sha256: name, writtenAt: stats.mtimeMs };
        }
    }
  }

  async forgetAbandoned(olderThanMs: number, now = Date.now()): Promise<number> {
    let removed = 0;
    for (const name of await entries(this.#tmp)) {
      const where = path.join(this.#tmp, name);
      const stats = await fsp.stat(where).catch(() => null);
      if (stats && now - stats.mtimeMs > olderThanMs) {
        await fsp.rm(where, { force: true });
        removed++;
      }
    }
    return removed;
  }
}

/** Written again, as far as the sweep's grace period goes: see S3BlobStore.put. */
async function renew(blob: string): Promise<void> {
  const now = new Date();
  await fsp.utimes(blob, now, now);
}

async function hashOf(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of fs.createReadStream(file, { highWaterMark: WRITE_BUFFER })) hash.update(chunk);
  return hash.digest('hex');
}

async function entries(dir: string): Promise<string[]> {
  return fsp.readdir(dir).catch(() => []);
}

/** A rename is durable only once its folder is: fsync the folder (where the platform allows it). */
async function syncFolder(dir: string): Promise<void> {
  const handle = await fsp.open(dir, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // Some filesystems refuse fsync on a folder; the rename itself has happened.
  } finally {
    await handle.close();
  }
}
