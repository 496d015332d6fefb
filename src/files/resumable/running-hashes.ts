/**
 * The SHA-256 of a resumable upload, computed as its chunks stream to disk, so the file it becomes
 * need not be read again to be addressed. A process follows an upload only while every chunk so far
 * came to it, in order, and was written whole: a chunk cut short, or one that reached another
 * process, ends the following, and the upload is hashed from its assembled file instead.
 */
import { createHash, type Hash } from 'node:crypto';
import { pipeline, type Readable, Transform, type TransformCallback } from 'node:stream';

interface Following {
  hash: Hash;
  bytes: number;
  touched: number;
}

export class RunningHashes {
  readonly #following = new Map<string, Following>();

  /**
   * `most`: uploads followed at once (each costs a hash's state); `idleMs`: one not heard of for
   * this long is let go, as its upload has moved elsewhere or been abandoned.
   */
  constructor(
    private readonly most = 1000,
    private readonly idleMs = 24 * 60 * 60 * 1000,
  ) {}

  /**
   * Writes the chunk `body` of upload `id` at `offset` through `write` (which resolves with the
   * upload's offset after it), hashing the bytes as they pass when this process has followed the
   * upload from its first byte.
   */
  async write(
    id: string,
    offset: number,
    body: Readable,
    write: (body: Readable) => Promise<number>,
  ): Promise<number> {
    const following = this.#follow(id, offset);
    if (!following) return write(body);
    let seen = 0;
    const tap = new Transform({
      transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback) {
        following.hash.update(chunk);
        seen += chunk.length;
        done(null, chunk);
      },
    });
    // Errors pass both ways, as they would were `body` written directly.
    pipeline(body, tap, () => {});
    try {
      const written = await write(tap);
      following.bytes += seen;
      if (written !== following.bytes) this.#following.delete(id);
      return written;
    } catch (error) {
      this.#following.delete(id);
      throw error;
    }
  }

  /** The upload's SHA-256 when this process saw each of its `size` bytes arrive; it is then let go. */
  take(id: string, size: number): string | null {
    const following = this.#following.get(id);
    this.#following.delete(id);
    return following && following.bytes === size ? following.hash.digest('hex') : null;
  }

  forget(id: string): void {
    this.#following.delete(id);
  }

  #follow(id: string, offset: number): Following | null {
    const now = Date.now();
    if (offset === 0) {
      this.#letGoIdle(now);
      if (this.#following.size >= this.most) return null;
      const started = { hash: createHash('sha256'), bytes: 0, touched: now };
      this.#following.set(id, started);
      return started;
    }
    const following = this.#following.get(id);
    if (following?.bytes === offset) {
      following.touched = now;
      return following;
    }
    this.#following.delete(id);
    return null;
  }

  #letGoIdle(now: number): void {
    for (const [id, following] of this.#following)
      if (now - following.touched > this.idleMs) this.#following.delete(id);
  }
}
