/**
 * Blobs in an S3-compatible bucket: each at `blobs/<sha256>`. An upload streams, hashed as it goes,
 * into `tmp/<random>` as a multipart upload (parts of 5 MiB, the least S3 accepts), and only once
 * that upload has completed is it copied to its address and the temp object deleted: S3 has no
 * rename, and the address is known only at the end. An upload that fails is aborted, and its temp
 * object removed; one a crash abandoned is found by its age under `tmp/`.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { S3Client } from '@aws-sdk/client-s3';
import { s3Sdk, s3Uploads } from './aws-sdk.js';
import { BlobMissing, type BlobStore, checkAddress, SHA256_HEX, type StoredBlob } from './blob-store.js';
import { Hashing } from './hashing.js';

export interface S3Options {
  bucket: string;
  region: string;
  /** A non-AWS endpoint (MinIO, Backblaze, a test server), e.g. http://127.0.0.1:9000. */
  endpoint?: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** Path-style addressing (bucket in the path): most non-AWS servers need it. */
  forcePathStyle?: boolean;
}

const PART_BYTES = 5 * 1024 * 1024;

/** A client for the configured bucket's server (also tus's, for uploads in progress). */
export function s3Client(options: S3Options): S3Client {
  return new (s3Sdk().S3Client)({
    region: options.region,
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
    forcePathStyle: options.forcePathStyle ?? false,
    credentials: { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey },
    // Checksums only where S3 demands them: S3-compatible servers may not read the aws-chunked
    // framing newer SDKs send by default; the content's own SHA-256 is checked by us anyway.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

export class S3BlobStore implements BlobStore {
  readonly kind = 's3' as const;
  readonly #client: S3Client;
  readonly #bucket: string;

  constructor(options: S3Options) {
    this.#bucket = options.bucket;
    this.#client = s3Client(options);
  }

  /** A bucket cannot take a file by reference: it reads it in, hashing as it goes. */
  adopt(file: string, options: { maxBytes: number }): Promise<StoredBlob> {
    return this.put(fs.createReadStream(file), options);
  }

  async put(body: Readable | AsyncIterable<Uint8Array>, options: { maxBytes: number }): Promise<StoredBlob> {
    const draft = `tmp/${Date.now()}-${randomBytes(8).toString('hex')}`;
    const hashing = new Hashing(options.maxBytes);
    const out = new PassThrough();
    const upload = new (s3Uploads().Upload)({
      client: this.#client,
      params: { Bucket: this.#bucket, Key: draft, Body: out },
      partSize: PART_BYTES,
      queueSize: 2,
      leavePartsOnError: false,
    });
    const uploaded = upload.done();
    try {
      await Promise.all([pipeline(body, hashing, out), uploaded]);
    } catch (error) {
      // Stop the upload (it aborts its multipart upload) and let it settle before cleaning up.
      await upload.abort().catch(() => {});
      await uploaded.catch(() => {});
      await this.#remove(draft);
      throw error;
    }
    const blob = hashing.result();
    const key = `blobs/${blob.sha256}`;
    try {
      // Copied even when the blob is there: the same bytes, written again, restart its grace
      // period, so the sweep cannot take a blob an upload is about to point a row at.
      await this.#client.send(
        new (s3Sdk().CopyObjectCommand)({
          Bucket: this.#bucket,
          Key: key,
          CopySource: `${this.#bucket}/${draft}`,
        }),
      );
    } finally {
      await this.#remove(draft);
    }
    return blob;
  }

  async get(sha256: string, range?: { start: number; end: number }): Promise<Readable> {
    try {
      const res = await this.#client.send(
        new (s3Sdk().GetObjectCommand)({
          Bucket: this.#bucket,
          Key: `blobs/${checkAddress(sha256)}`,
          ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}),
        }),
      );
      return res.Body as Readable;
    } catch (error) {
      if (error instanceof s3Sdk().NoSuchKey || (error as { name?: string }).name === 'NoSuchKey')
        throw new BlobMissing(sha256);
      throw error;
    }
  }

  async stat(sha256: string): Promise<{ size: number; writtenAt: number } | null> {
    try {
      const head = await this.#client.send(
        new (s3Sdk().HeadObjectCommand)({ Bucket: this.#bucket, Key: `blobs/${checkAddress(sha256)}` }),
      );
      return { size: Number(head.ContentLength ?? 0), writtenAt: head.LastModified?.getTime() ?? 0 };
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  async delete(sha256: string): Promise<void> {
    await this.#remove(`blobs/${checkAddress(sha256)}`);
  }

  async *list(): AsyncIterable<{ sha256: string; writtenAt: number }> {
    for await (const object of this.#objects('blobs/')) {
      const sha256 = object.key.slice('blobs/'.length);
      if (SHA256_HEX.test(sha256)) yield { sha256, writtenAt: object.writtenAt };
    }
  }

  async forgetAbandoned(olderThanMs: number, now = Date.now()): Promise<number> {
    let removed = 0;
    for await (const object of this.#objects('tmp/'))
      if (now - object.writtenAt > olderThanMs) {
        await this.#remove(object.key);
        removed++;
      }
    return removed;
  }

  async *#objects(prefix: string): AsyncIterable<{ key: string; writtenAt: number }> {
    let token: string | undefined;
    do {
      const page = await this.#client.send(
        new (s3Sdk().ListObjectsV2Command)({
          Bucket: this.#bucket,
          Prefix: prefix,
          ContinuationToken: token,
        }),
      );
      for (const o of page.Contents ?? [])
        if (o.Key) yield { key: o.Key, writtenAt: o.LastModified?.getTime() ?? 0 };
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async #remove(key: string): Promise<void> {
    await this.#client.send(new (s3Sdk().DeleteObjectCommand)({ Bucket: this.#bucket, Key: key }));
  }

  /** Closes the client's connections. */
  close(): void {
    this.#client.destroy();
  }
}

function isMissing(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  const { NotFound, NoSuchKey } = s3Sdk();
  return (
    error instanceof NotFound || error instanceof NoSuchKey || name === 'NotFound' || name === 'NoSuchKey'
  );
}
