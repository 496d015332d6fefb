/**
 * The storage drivers, one suite for both: local disk, and S3 against an S3-compatible server on
 * loopback. A blob is found by the SHA-256 of its content; one too large, or whose upload breaks
 * halfway, leaves nothing behind at any address or in temp; the same content is stored once;
 * ranges read what they say; abandoned temp files are swept by age; no address reaches outside.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { BlobMissing, type BlobStore, TooLarge } from '../../src/storage/blob-store.js';
import { DiskBlobStore } from '../../src/storage/disk.js';
import { createBlobStore } from '../../src/storage/index.js';
import { S3BlobStore } from '../../src/storage/s3.js';
import { startS3, type TestS3 } from '../helpers/s3.js';

const sha = (s: string | Buffer) => createHash('sha256').update(s).digest('hex');
const MiB = 1024 * 1024;

/** `total` bytes in chunks of 64 KiB, then an error instead of the end when `failAt` is passed. */
async function* chunks(total: number, failAt?: number): AsyncIterable<Uint8Array> {
  const chunk = Buffer.alloc(64 * 1024, 7);
  for (let sent = 0; sent < total; sent += chunk.length) {
    if (failAt !== undefined && sent >= failAt) throw new Error('the connection dropped');
    yield chunk.subarray(0, Math.min(chunk.length, total - sent));
  }
}

const all = async (store: BlobStore) => {
  const found: string[] = [];
  for await (const b of store.list()) found.push(b.sha256);
  return found.sort();
};

let s3: TestS3;
beforeAll(async () => {
  s3 = await startS3();
});
afterAll(() => s3.close());

describe.each(['disk', 's3'] as const)('the %s blob store', (kind) => {
  let store: BlobStore;
  let dataDir: string;
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-blobs-'));
    // Made as the app makes it, from the configuration.
    store = createBlobStore({
      dataDir,
      storage: kind === 'disk' ? { kind } : { kind, ...s3.options, forcePathStyle: true },
    });
    expect(store.kind).toBe(kind);
    // Each test starts from an empty bucket.
    for await (const b of store.list()) await store.delete(b.sha256);
    await store.forgetAbandoned(-1);
  });
  afterEach(() => {
    if (store instanceof S3BlobStore) store.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('stores content at the SHA-256 of its bytes, once however often it is put, and reads it back', async () => {
    const blob = await store.put(Readable.from([Buffer.from('Tax return 2026\n')]), { maxBytes: 1000 });
    expect(blob).toEqual({ sha256: sha('Tax return 2026\n'), size: 16 });
    expect(await text(await store.get(blob.sha256))).toBe('Tax return 2026\n');
    expect(await store.stat(blob.sha256)).toEqual({ size: 16, writtenAt: expect.any(Number) });
    expect(await store.put(Readable.from([Buffer.from('Tax return 2026\n')]), { maxBytes: 1000 })).toEqual(
      blob,
    );
    expect(await all(store)).toEqual([blob.sha256]);
    expect(await store.forgetAbandoned(-1)).toBe(0);
  });

  it('putting content already stored renews its written time, so the sweep’s grace period starts again', async () => {
    const blob = await store.put(Readable.from([Buffer.from('kept')]), { maxBytes: 1000 });
    const first = (await store.stat(blob.sha256))!.writtenAt;
    // S3 keeps whole seconds.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await store.put(Readable.from([Buffer.from('kept')]), { maxBytes: 1000 });
    expect((await store.stat(blob.sha256))!.writtenAt).toBeGreaterThan(first);
  });

  it('stores a large upload in many parts, and reads a range of it', async () => {
    const size = 12 * MiB + 123;
    const blob = await store.put(chunks(size), { maxBytes: 20 * MiB });
    const whole = Buffer.alloc(size, 7);
    expect(blob).toEqual({ sha256: sha(whole), size });
    expect(await text(await store.get(blob.sha256, { start: 10, end: 19 }))).toBe(
      Buffer.alloc(10, 7).toString(),
    );
  });

  it('reads in the smaller chunks asked for (the zip’s), whole or a range, where the store reads them itself', async () => {
    const size = 200 * 1024;
    const blob = await store.put(chunks(size), { maxBytes: MiB });
    const sizes: number[] = [];
    for await (const chunk of await store.get(blob.sha256, undefined, 16 * 1024)) sizes.push(chunk.length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(size);
    // A bucket's stream is the SDK's own; the disk store reads no more than asked at a time.
    if (kind === 'disk') expect(Math.max(...sizes)).toBe(16 * 1024);
    const part = await store.get(blob.sha256, { start: 100, end: 40_099 }, 16 * 1024);
    expect((await text(part)).length).toBe(40_000);
  });

  it('cuts off an upload past the limit and keeps nothing, at its address or in temp', async () => {
    await expect(store.put(chunks(6 * MiB), { maxBytes: 5 * MiB })).rejects.toBeInstanceOf(TooLarge);
    expect(await all(store)).toEqual([]);
    expect(await store.forgetAbandoned(-1)).toBe(0);
  });

  it('keeps nothing of an upload whose connection broke halfway', async () => {
    await expect(store.put(chunks(7 * MiB, 6 * MiB), { maxBytes: 20 * MiB })).rejects.toThrow(
      'the connection dropped',
    );
    expect(await all(store)).toEqual([]);
    expect(await store.forgetAbandoned(-1)).toBe(0);
  });

  it('takes a whole file from this disk as a blob and leaves the file where it was', async () => {
    const file = path.join(dataDir, 'assembled');
    fs.writeFileSync(file, 'Payroll 2026\n');
    // Its last byte came long ago: the blob counts as written now, or the sweep could take it.
    const longAgo = new Date(Date.now() - 2 * 60 * 60_000);
    fs.utimesSync(file, longAgo, longAgo);
    const adopted = Date.now();
    const blob = await store.adopt(file, { maxBytes: 1000 });
    expect(blob).toEqual({ sha256: sha('Payroll 2026\n'), size: 13 });
    // S3 keeps whole seconds.
    expect((await store.stat(blob.sha256))!.writtenAt).toBeGreaterThanOrEqual(adopted - 1000);
    expect(await text(await store.get(blob.sha256))).toBe('Payroll 2026\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('Payroll 2026\n');
    // The same content again keeps the one blob, and renews its written time as a put does.
    const first = (await store.stat(blob.sha256))!.writtenAt;
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect(await store.adopt(file, { maxBytes: 1000 })).toEqual(blob);
    expect((await store.stat(blob.sha256))!.writtenAt).toBeGreaterThan(first);
    expect(await all(store)).toEqual([blob.sha256]);
    if (kind === 'disk') {
      // Linked, not copied: one set of bytes with two names, readable by the server alone.
      const stored = fs.statSync(
        path.join(dataDir, 'blobs', blob.sha256.slice(0, 2), blob.sha256.slice(2, 4), blob.sha256),
      );
      expect(stored.ino).toBe(fs.statSync(file).ino);
      expect(stored.mode & 0o777).toBe(0o600);
    }
  });

  it('refuses to take a file past the limit, and keeps nothing of it', async () => {
    const file = path.join(dataDir, 'assembled');
    fs.writeFileSync(file, Buffer.alloc(2000, 1));
    await expect(store.adopt(file, { maxBytes: 1999 })).rejects.toBeInstanceOf(TooLarge);
    expect(await all(store)).toEqual([]);
    expect(await store.forgetAbandoned(-1)).toBe(0);
  });

  it('answers a missing blob, and any address that is not a SHA-256, as missing', async () => {
    await expect(store.get(sha('never stored'))).rejects.toBeInstanceOf(BlobMissing);
    expect(await store.stat(sha('never stored'))).toBeNull();
    for (const bad of ['../../etc/passwd', `${sha('x')}/../x`, 'ABC', ''])
      await expect(store.get(bad)).rejects.toBeInstanceOf(BlobMissing);
    await store.delete(sha('never stored'));
  });

  it('deletes a blob, and sweeps only temp files older than the grace period', async () => {
    const blob = await store.put(Readable.from([Buffer.from('old letter')]), { maxBytes: 100 });
    await store.delete(blob.sha256);
    expect(await store.stat(blob.sha256)).toBeNull();
    expect(await all(store)).toEqual([]);
    // An abandoned upload: a temp file no put will finish.
    if (store instanceof DiskBlobStore) {
      fs.mkdirSync(path.join(dataDir, 'blobs', 'tmp'), { recursive: true });
      fs.writeFileSync(path.join(dataDir, 'blobs', 'tmp', 'abandoned'), 'half');
    } else {
      const client = new S3Client({
        region: s3.options.region,
        endpoint: s3.options.endpoint,
        forcePathStyle: true,
        credentials: { accessKeyId: s3.options.accessKeyId, secretAccessKey: s3.options.secretAccessKey },
        requestChecksumCalculation: 'WHEN_REQUIRED',
      });
      await client.send(
        new PutObjectCommand({ Bucket: s3.options.bucket, Key: 'tmp/abandoned', Body: 'half' }),
      );
      client.destroy();
    }
    expect(await store.forgetAbandoned(60 * 60_000)).toBe(0);
    expect(await store.forgetAbandoned(-1)).toBe(1);
  });
});

describe('the disk blob store taking a file', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-blobs-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  // /dev/shm is a filesystem of its own on Linux; elsewhere there is nothing to check.
  const apart = fs.existsSync('/dev/shm') && fs.statSync('/dev/shm').dev !== fs.statSync(os.tmpdir()).dev;
  it.runIf(apart)('copies a file it cannot link, from another filesystem', async () => {
    const store = new DiskBlobStore(dataDir);
    const elsewhere = fs.mkdtempSync('/dev/shm/portico-');
    try {
      const file = path.join(elsewhere, 'assembled');
      fs.writeFileSync(file, 'Trial balance\n');
      const blob = await store.adopt(file, { maxBytes: 100, sha256: sha('Trial balance\n') });
      expect(blob).toEqual({ sha256: sha('Trial balance\n'), size: 14 });
      expect(await text(await store.get(blob.sha256))).toBe('Trial balance\n');
      expect(fs.readFileSync(file, 'utf8')).toBe('Trial balance\n');
      expect(await store.forgetAbandoned(-1)).toBe(0);
    } finally {
      fs.rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('trusts the SHA-256 its caller computed as the bytes were written, and reads them only when it has none', async () => {
    const store = new DiskBlobStore(dataDir);
    const file = path.join(dataDir, 'assembled');
    fs.writeFileSync(file, 'Ledger\n');
    const read = vi.spyOn(fs, 'createReadStream');
    try {
      expect(await store.adopt(file, { maxBytes: 100, sha256: sha('Ledger\n') })).toEqual({
        sha256: sha('Ledger\n'),
        size: 7,
      });
      expect(read).not.toHaveBeenCalled();
      fs.writeFileSync(path.join(dataDir, 'other'), 'Journal\n');
      expect(await store.adopt(path.join(dataDir, 'other'), { maxBytes: 100, sha256: null })).toEqual({
        sha256: sha('Journal\n'),
        size: 8,
      });
      expect(read).toHaveBeenCalledTimes(1);
    } finally {
      read.mockRestore();
    }
  });

  it('asks the disk to write a large upload down as it arrives, not all at the end', async () => {
    const store = new DiskBlobStore(dataDir);
    const synced = vi.spyOn(fs, 'fdatasync');
    try {
      await store.put(chunks(MiB), { maxBytes: 100 * MiB });
      expect(synced).not.toHaveBeenCalled();
      const blob = await store.put(chunks(100 * MiB), { maxBytes: 100 * MiB });
      expect(blob.size).toBe(100 * MiB);
      // Every 32 MiB, one at a time: two or three times for 100 MiB, however fast the disk.
      expect(synced.mock.calls.length).toBeGreaterThanOrEqual(1);
      expect(synced.mock.calls.length).toBeLessThanOrEqual(3);
      for (const [fd] of synced.mock.calls) expect(typeof fd).toBe('number');
    } finally {
      synced.mockRestore();
    }
  });
});
