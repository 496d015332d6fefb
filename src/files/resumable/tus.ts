/**
 * The tus server (`@tus/server`) that receives resumable uploads. Its bytes wait beside the file
 * contents until the last one arrives: under DATA_DIR/uploads (each upload's file and its `.json`
 * state, seen by every process on the machine), or in the bucket (s3-pieces.ts, seen by every
 * process anywhere). Its lock is the database's (lock.ts), so a chunk may reach any process.
 * Uploads not finished within a day are dropped by the hourly cleanup. `@tus/server` and its file
 * store (about 12 MB and 0.2 s) are loaded on the first resumable upload, not at start.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FileStore } from '@tus/file-store';
import type { Db } from '../../db/connect.js';
import type { Config } from '../../kernel/config.js';
import { generateId } from '../../kernel/tokens.js';
import { isDiskFull, s3Client } from '../../storage/index.js';
import { RunningHashes } from './running-hashes.js';

export const UPLOADS_PATH = '/uploads';
export const UPLOAD_EXPIRY_MS = 24 * 60 * 60 * 1000;

export interface Created {
  size: number;
  /** Writes the upload's own row, once tus has checked the request and named the upload. */
  record(id: string): Promise<void>;
}

export interface ResumableServer {
  /** Answers a tus request (POST, HEAD, PATCH, DELETE) as tus does. */
  handle(request: Request, created?: Created): Promise<Response>;
  open(id: string): Readable;
  /**
   * Where the assembled upload lies on this machine's disk, with its SHA-256 when this process saw
   * every byte arrive in order; null when uploads wait in a bucket.
   */
  assembled(id: string, size: number): { file: string; sha256: string | null } | null;
  discard(id: string): Promise<void>;
  /** Drops uploads past their day; returns how many. */
  expire(): Promise<number>;
}

/** Where uploads wait: beside the contents, under DATA_DIR or in the bucket. */
async function waitingRoom(config: Pick<Config, 'dataDir' | 'storage'>, Files: typeof FileStore) {
  const storage = config.storage ?? { kind: 'disk' };
  if (storage.kind === 's3') {
    const { S3PieceStore } = await import('./s3-pieces.js');
    const store = new S3PieceStore(s3Client(storage), storage.bucket, UPLOAD_EXPIRY_MS);
    return {
      store,
      open: (id: string) => Readable.from(store.read(id)),
      assembled: () => null,
      forget: () => {},
    };
  }
  const directory = path.join(config.dataDir, 'uploads');
  const store = new Files({ directory, expirationPeriodInMilliseconds: UPLOAD_EXPIRY_MS });
  const hashes = new RunningHashes();
  const { ERRORS } = await import('@tus/utils');
  // tus's own write, but saying a full disk as such (tus's reports every failed write alike), and
  // hashing the chunk on its way when this process has seen the upload from its first byte.
  store.write = (body, id, offset) =>
    hashes.write(id, offset, body, async (chunk) => {
      let received = 0;
      const counted = new Transform({
        transform(bytes: Buffer, _encoding, done) {
          received += bytes.length;
          done(null, bytes);
        },
      });
      try {
        await pipeline(
          chunk,
          counted,
          fs.createWriteStream(path.join(directory, id), { flags: 'r+', start: offset }),
        );
      } catch (error) {
        throw isDiskFull(error) ? NO_ROOM : ERRORS.FILE_WRITE_ERROR;
      }
      return offset + received;
    });
  return {
    store,
    open: (id: string) => store.read(id),
    assembled: (id: string, size: number) => ({
      file: path.join(directory, id),
      sha256: hashes.take(id, size),
    }),
    forget: (id: string) => hashes.forget(id),
  };
}

/** What a chunk that found the disk full is answered (tus passes such an error on as it is). */
export const NO_ROOM = {
  status_code: 507,
  body: 'The server has no room left for files. What arrived so far is kept: tell whoever runs this portal, and send the file again once there is room.\n',
};

export async function resumableServer(options: {
  db: Db;
  config: Pick<Config, 'dataDir' | 'storage' | 'baseUrl'>;
  maxBytes: number;
}): Promise<ResumableServer> {
  const [{ Server }, { FileStore: Files }, { DbLocker }] = await Promise.all([
    import('@tus/server'),
    import('@tus/file-store'),
    import('./lock.js'),
  ]);
  const { store, open, assembled, forget } = await waitingRoom(options.config, Files);
  // The request tus is creating an upload for, with what the route already decided about it.
  const creating = new WeakMap<Request, Created>();
  const server = new Server({
    path: UPLOADS_PATH,
    datastore: store,
    locker: new DbLocker(options.db),
    maxSize: options.maxBytes,
    relativeLocation: true,
    respectForwardedHeaders: false,
    allowedOrigins: [new URL(options.config.baseUrl).origin],
    disableTerminationForFinishedUploads: true,
    namingFunction: () => generateId(),
    async onUploadCreate(req, upload) {
      const created = creating.get(req as unknown as Request);
      // Only the routes that checked the request create uploads; a length other than the checked one is refused.
      if (!created || upload.size !== created.size)
        throw { status_code: 400, body: 'This upload was not started by the upload form.\n' };
      await created.record(upload.id);
      return {};
    },
  });
  return {
    handle(request, created) {
      if (created) creating.set(request, created);
      return server.handleWeb(request);
    },
    open,
    assembled,
    discard: (id) => {
      forget(id);
      return store.remove(id);
    },
    expire: () => server.cleanUpExpiredUploads(),
  };
}
