/**
 * Where file contents live: a blob store, addressed by the SHA-256 of the content, computed while
 * it streams in. A blob is written under a name of its own and only then moved to its address
 * (renamed on disk, copied on S3), so its address never points at half a file, and a failed,
 * cancelled or too-large upload leaves nothing at any address. Two drivers (src/storage/disk.ts,
 * src/storage/s3.ts) pass one shared test suite.
 */
import type { Readable } from 'node:stream';

export interface StoredBlob {
  /** Lowercase hex SHA-256 of the content: its address. */
  sha256: string;
  size: number;
}

export interface BlobStore {
  readonly kind: 'disk' | 's3';
  /**
   * Streams `body` in, hashing and counting as it comes; refuses with TooLarge as soon as it passes
   * `maxBytes`. Resolves once the blob is durable at its address (an existing blob of the same
   * content is kept, its written time renewed). Whatever fails, nothing is left at any address.
   */
  put(body: Readable | AsyncIterable<Uint8Array>, options: { maxBytes: number }): Promise<StoredBlob>;
  /**
   * Stores the file at `file`, on this machine's disk, as `put` would, and leaves the file where it
   * is (the caller removes it). On disk the blob is linked to the file's bytes rather than copied,
   * and `sha256`, when the caller hashed these very bytes as they were written, spares reading them
   * again. The file must no longer change.
   */
  adopt(file: string, options: { maxBytes: number; sha256?: string | null }): Promise<StoredBlob>;
  /**
   * The blob's bytes, or `range` of them (inclusive offsets, as HTTP ranges). Throws BlobMissing.
   * `chunkBytes` asks for smaller reads (the disk store's; a bucket's stream is the SDK's own).
   */
  get(sha256: string, range?: { start: number; end: number }, chunkBytes?: number): Promise<Readable>;
  /** The blob's size and when it was last written, or null when there is none. */
  stat(sha256: string): Promise<{ size: number; writtenAt: number } | null>;
  /** Removes the blob; a missing one is fine. Only the orphan sweep calls it. */
  delete(sha256: string): Promise<void>;
  /** Every blob with when it was written: for the sweep of blobs no row points to. */
  list(): AsyncIterable<{ sha256: string; writtenAt: number }>;
  /** Removes what uploads abandoned (a crash mid-write) longer than `olderThanMs` ago. */
  forgetAbandoned(olderThanMs: number, now?: number): Promise<number>;
}

/** The upload passed the size limit: cut off there, and nothing kept. */
export class TooLarge extends Error {
  constructor(readonly maxBytes: number) {
    super(`larger than the limit of ${maxBytes} bytes`);
    this.name = 'TooLarge';
  }
}

export class BlobMissing extends Error {
  constructor(sha256: string) {
    super(`no blob ${sha256}`);
    this.name = 'BlobMissing';
  }
}

/** The disk (or the server's share of it) is full: trying again at once will not help. */
export function isDiskFull(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null | undefined)?.code;
  return code === 'ENOSPC' || code === 'EDQUOT';
}

export const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Refuses anything but a SHA-256 address, so no address can reach outside the store. */
export function checkAddress(sha256: string): string {
  if (!SHA256_HEX.test(sha256)) throw new BlobMissing(sha256.slice(0, 80));
  return sha256;
}
