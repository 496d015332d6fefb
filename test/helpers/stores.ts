/**
 * Where a test's file contents are kept: on disk under a DATA_DIR of its own, or in a bucket of its
 * own on an S3-compatible server on loopback (s3rver, one per describe block). Each test gets a
 * fresh DATA_DIR and, with S3, a fresh bucket, so a sweep or a listing sees only that test's blobs.
 * Call `useStore` before `useFirm`: its hooks must run first.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import type { Config } from '../../src/kernel/config.js';
import { type BlobStore, createBlobStore, type S3Options, s3Client } from '../../src/storage/index.js';
import { S3BlobStore } from '../../src/storage/s3.js';
import { DIALECTS } from './db.js';
import { startS3, type TestS3 } from './s3.js';

export const STORES = ['disk', 's3'] as const;
export type StoreKind = (typeof STORES)[number];

/** Every dialect with every store, for `describe.each`. */
export const DIALECTS_AND_STORES = DIALECTS.flatMap((dialect) =>
  STORES.map((store) => [dialect, store] as const),
);

export interface TestStore {
  kind: StoreKind;
  /** The running test's DATA_DIR. */
  readonly dataDir: string;
  /** The running test's bucket, when the store is S3. */
  readonly s3: S3Options | undefined;
  /** What the running test's app is configured with: its DATA_DIR, and its bucket with S3. */
  config(): Pick<Config, 'dataDir' | 'storage'>;
  /** A driver over the running test's store, as the app makes one (closed after the test). */
  blobStore(): BlobStore;
}

export function useStore(kind: StoreKind): TestStore {
  let server: TestS3 | undefined;
  let buckets = 0;
  let dataDir = '';
  let s3: S3Options | undefined;
  const opened: BlobStore[] = [];
  beforeAll(async () => {
    if (kind === 's3') server = await startS3();
  });
  afterAll(() => server?.close());
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-store-'));
    if (!server) return;
    const bucket = `test-${++buckets}`;
    const client = s3Client(server.options);
    try {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    } finally {
      client.destroy();
    }
    s3 = { ...server.options, bucket };
  });
  afterEach(() => {
    for (const store of opened.splice(0)) if (store instanceof S3BlobStore) store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
  const config = () => ({
    dataDir,
    ...(s3 ? { storage: { kind: 's3' as const, ...s3, forcePathStyle: true } } : {}),
  });
  return {
    kind,
    get dataDir() {
      return dataDir;
    },
    get s3() {
      return s3;
    },
    config,
    blobStore() {
      const store = createBlobStore(config());
      opened.push(store);
      return store;
    },
  };
}
