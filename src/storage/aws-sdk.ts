/**
 * The AWS SDK, loaded the first time a bucket is used: on an install that keeps its files on disk
 * it would hold about 15 MB of memory for nothing (as `pg` would on SQLite, src/db/connect.ts).
 */
import { createRequire } from 'node:module';

type S3Sdk = typeof import('@aws-sdk/client-s3');
type S3Uploads = typeof import('@aws-sdk/lib-storage');

const require = createRequire(import.meta.url);
let sdk: S3Sdk | undefined;
let uploads: S3Uploads | undefined;

/** `@aws-sdk/client-s3`: the client, its commands and its errors. */
export function s3Sdk(): S3Sdk {
  sdk ??= require('@aws-sdk/client-s3') as S3Sdk;
  return sdk;
}

/** `@aws-sdk/lib-storage`: the multipart `Upload`. */
export function s3Uploads(): S3Uploads {
  uploads ??= require('@aws-sdk/lib-storage') as S3Uploads;
  return uploads;
}
