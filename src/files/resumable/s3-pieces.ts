/**
 * Where resumable uploads wait when file contents are kept in an S3-compatible bucket, so app
 * processes on several machines all see them: each upload is `uploads/<id>.info` (its length,
 * details and start) and its bytes, as they arrive, in pieces `uploads/<id>/<offset>`. A piece is
 * written whole once its bytes are in hand (at most PIECE_BYTES, held in memory for that long);
 * when a connection drops, what did arrive is written as a last piece, so the next chunk goes on
 * from the last byte received. How far an upload got is the sum of its pieces, read by listing
 * them. Only the plain object calls every S3-compatible server answers are used (put, get, list,
 * delete): no multipart upload is left open between chunks.
 */
import type { Readable } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { DataStore, ERRORS, Upload } from '@tus/utils';
import { s3Sdk } from '../../storage/index.js';

/** The most one piece holds: a browser's chunk (under 1 MB) is always one piece. */
export const PIECE_BYTES = 8 * 1024 * 1024;

const OFFSET_DIGITS = 16;

export class S3PieceStore extends DataStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly expiryMs: number,
  ) {
    super();
    this.extensions = ['creation', 'termination', 'expiration'];
  }

  override async create(upload: Upload): Promise<Upload> {
    upload.creation_date = new Date().toISOString();
    await this.#put(`uploads/${upload.id}.info`, Buffer.from(JSON.stringify(upload)));
    return upload;
  }

  override async getUpload(id: string): Promise<Upload> {
    const info = await this.#get(`uploads/${id}.info`);
    if (!info) throw ERRORS.FILE_NOT_FOUND;
    const saved = JSON.parse(info.toString('utf8')) as Upload;
    let offset = 0;
    for await (const piece of this.#pieces(id)) offset += piece.size;
    return new Upload({ ...saved, offset });
  }

  override async write(stream: Readable, id: string, offset: number): Promise<number> {
    let held: Buffer[] = [];
    let heldBytes = 0;
    let at = offset;
    const flush = async () => {
      if (!heldBytes) return;
      await this.#put(pieceKey(id, at), Buffer.concat(held, heldBytes));
      at += heldBytes;
      held = [];
      heldBytes = 0;
    };
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        held.push(chunk);
        heldBytes += chunk.length;
        if (heldBytes >= PIECE_BYTES) await flush();
      }
    } catch (error) {
      // The bytes that did arrive are kept: the client resumes right after them.
      await flush().catch(() => {});
      throw error;
    }
    await flush();
    return at;
  }

  /** The upload's bytes, piece after piece, each opened when its turn comes. */
  async *read(id: string): AsyncIterable<Uint8Array> {
    const keys: string[] = [];
    for await (const piece of this.#pieces(id)) keys.push(piece.key);
    for (const key of keys) {
      const res = await this.client.send(new (s3Sdk().GetObjectCommand)({ Bucket: this.bucket, Key: key }));
      yield* res.Body as Readable;
    }
  }

  override async remove(id: string): Promise<void> {
    for await (const piece of this.#pieces(id)) await this.#delete(piece.key);
    await this.#delete(`uploads/${id}.info`);
  }

  /** Drops uploads begun more than a day ago (finished ones were dropped when their file was made). */
  override async deleteExpired(): Promise<number> {
    const before = Date.now() - this.expiryMs;
    const infos: string[] = [];
    for await (const object of this.#list('uploads/'))
      if (object.key.endsWith('.info')) infos.push(object.key);
    let removed = 0;
    for (const key of infos) {
      const info = await this.#get(key);
      const began = info ? Date.parse((JSON.parse(info.toString('utf8')) as Upload).creation_date ?? '') : 0;
      if (began < before) {
        await this.remove(key.slice('uploads/'.length, -'.info'.length));
        removed++;
      }
    }
    return removed;
  }

  override getExpiration(): number {
    return this.expiryMs;
  }

  /** The upload's pieces in order (their keys sort by offset). */
  async *#pieces(id: string): AsyncIterable<{ key: string; size: number }> {
    for await (const object of this.#list(`uploads/${id}/`)) yield object;
  }

  async *#list(prefix: string): AsyncIterable<{ key: string; size: number }> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new (s3Sdk().ListObjectsV2Command)({ Bucket: this.bucket, Prefix: prefix, ContinuationToken: token }),
      );
      for (const o of page.Contents ?? []) if (o.Key) yield { key: o.Key, size: Number(o.Size ?? 0) };
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async #put(key: string, body: Buffer): Promise<void> {
    await this.client.send(new (s3Sdk().PutObjectCommand)({ Bucket: this.bucket, Key: key, Body: body }));
  }

  async #get(key: string): Promise<Buffer | null> {
    try {
      const res = await this.client.send(new (s3Sdk().GetObjectCommand)({ Bucket: this.bucket, Key: key }));
      return Buffer.from(await res.Body!.transformToByteArray());
    } catch (error) {
      const name = (error as { name?: string }).name;
      if (name === 'NoSuchKey' || name === 'NotFound') return null;
      throw error;
    }
  }

  async #delete(key: string): Promise<void> {
    await this.client.send(new (s3Sdk().DeleteObjectCommand)({ Bucket: this.bucket, Key: key }));
  }
}

const pieceKey = (id: string, offset: number) =>
  `uploads/${id}/${String(offset).padStart(OFFSET_DIGITS, '0')}`;
