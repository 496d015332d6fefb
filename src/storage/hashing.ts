/** The stream every driver writes through: it hashes, counts, and cuts off past the limit. */
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';
import { TooLarge } from './blob-store.js';

export class Hashing extends Transform {
  readonly #hash = createHash('sha256');
  #size = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(
    chunk: Buffer,
    _encoding: BufferEncoding,
    done: (error?: Error | null, data?: Buffer) => void,
  ) {
    this.#size += chunk.length;
    if (this.#size > this.maxBytes) return done(new TooLarge(this.maxBytes));
    this.#hash.update(chunk);
    done(null, chunk);
  }

  /** Once the stream has ended: the content's address and size. */
  result(): { sha256: string; size: number } {
    return { sha256: this.#hash.digest('hex'), size: this.#size };
  }
}
