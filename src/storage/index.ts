/** The storage driver the configuration names: local disk under DATA_DIR, or an S3-compatible bucket. */
import type { Config } from '../kernel/config.js';
import type { BlobStore } from './blob-store.js';
import { DiskBlobStore } from './disk.js';
import { S3BlobStore } from './s3.js';

export { s3Sdk } from './aws-sdk.js';
export { BlobMissing, type BlobStore, isDiskFull, type StoredBlob, TooLarge } from './blob-store.js';
export { type S3Options, s3Client } from './s3.js';

export function createBlobStore(config: Pick<Config, 'dataDir' | 'storage'>): BlobStore {
  const storage = config.storage ?? { kind: 'disk' };
  if (storage.kind === 'disk') return new DiskBlobStore(config.dataDir);
  const { kind: _kind, ...options } = storage;
  return new S3BlobStore(options);
}
