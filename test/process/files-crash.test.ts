/**
 * Nothing is lost, nothing half written, when the server dies mid-upload: the built server is
 * killed (SIGKILL, no goodbye) while 20 uploads stream in at once, and started again over the same
 * DATA_DIR. Every upload that was answered as done is there, under its name, with the SHA-256 of
 * what was sent; no version names content that is missing; the contents nothing names (the uploads
 * cut off) are swept; and SQLite's integrity check passes.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createSession } from '../../src/auth/sessions.js';
import { openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { BLOB_GRACE_MS, sweepBlobs } from '../../src/files/sweep.js';
import { DiskBlobStore } from '../../src/storage/disk.js';
import { buildEntity, buildOrganization, buildStaff } from '../helpers/factories.js';
import { startServer, until } from '../helpers/process.js';

const UPLOADS = 20;
const ORIGIN = 'http://127.0.0.1';
const BOUNDARY = '----portico-crash';
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/**
 * One upload, sent a piece at a time so the kill finds it midway: resolves with the status the
 * server answered, or null when the connection died first.
 */
function upload(
  port: number,
  cookie: string,
  entity: string,
  name: string,
  content: Buffer,
): Promise<number | null> {
  const head = Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="${name}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
  const body = Buffer.concat([head, content, tail]);
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: `/entities/${entity}/files`,
        headers: {
          Cookie: cookie,
          Origin: ORIGIN,
          'Content-Type': `multipart/form-data; boundary=${BOUNDARY}`,
          'Content-Length': body.length,
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? null));
        res.on('error', () => resolve(null));
      },
    );
    req.on('error', () => resolve(null));
    let at = 0;
    const step = 64 * 1024;
    const next = () => {
      if (at >= body.length) return req.end();
      req.write(body.subarray(at, at + step));
      at += step;
      // 10 ms a step: the large uploads take half a second or more, so some are still arriving
      // when the server is killed, however fast it answers the small ones (at 2 ms, a fast machine
      // answered all twenty before the kill landed).
      setTimeout(next, 10);
    };
    next();
  });
}

describe('a server killed mid-upload', () => {
  it('keeps every upload it answered, whole, names no missing content, and leaves only what the sweep removes', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-crash-'));
    cleanups.push(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const url = `sqlite:${path.join(dataDir, 'portico.db')}`;
    // The firm, its Admin signed in, and a client, written before the server starts.
    const seed = openDatabase(url);
    await migrateToLatest(seed);
    await buildOrganization(seed);
    const admin = await buildStaff(seed, ['admin']);
    const { token } = await createSession(seed, admin.id);
    const entity = await buildEntity(seed, 'Clearwater Holdings');
    await seed.destroy();

    // BASE_URL's origin is what the uploads send as theirs (the origin check); http, so the
    // session cookie has its plain name.
    const env = { BASE_URL: ORIGIN };
    const server = await startServer(dataDir, env, cleanups);
    await until(() => server.output().includes('"msg":"listening"'), 'the server to listen', server.output);

    const cookie = `portico_session=${token}`;
    const sent = Array.from({ length: UPLOADS }, (_, i) => ({
      name: `statement-${String(i).padStart(2, '0')}.bin`,
      // Sizes from 64 KB to about 3 MB: the small ones finish, the large ones are cut off.
      content: randomBytes(64 * 1024 + i * 150 * 1024),
    }));
    const answers: (number | null)[] = new Array(UPLOADS).fill(undefined);
    const done = sent.map((s, i) =>
      upload(server.port, cookie, entity, s.name, s.content).then((status) => {
        answers[i] = status;
      }),
    );
    // Killed once some have been answered and others are still arriving.
    await until(() => answers.filter((a) => a === 303).length >= 4, 'some uploads to finish', server.output);
    server.child.kill('SIGKILL');
    await server.exited;
    await Promise.all(done);
    const answered = sent.filter((_, i) => answers[i] === 303);
    const cut = sent.filter((_, i) => answers[i] !== 303);
    expect(answered.length).toBeGreaterThanOrEqual(4);
    expect(cut.length).toBeGreaterThan(0);

    // Started again over the same data: it comes up, and what it answered is there.
    const again = await startServer(dataDir, env, cleanups);
    await until(() => again.output().includes('"msg":"listening"'), 'the restart to listen', again.output);
    for (const s of answered) {
      const res = await fetch(`http://127.0.0.1:${again.port}/entities/${entity}/files?sort=name`, {
        headers: { Cookie: cookie },
      });
      expect(await res.text()).toContain(s.name);
    }
    again.child.kill('SIGKILL');
    await again.exited;

    const db = openDatabase(url);
    cleanups.push(() => db.destroy());
    const files = await db.selectFrom('files').select(['name', 'sha256', 'size']).execute();
    const byName = new Map(files.map((f) => [f.name, f]));
    for (const s of answered)
      expect(byName.get(s.name), s.name).toEqual({
        name: s.name,
        sha256: sha256(s.content),
        size: s.content.length,
      });
    // Whatever else is listed was whole too: a row is written only after its content.
    for (const f of files) {
      const s = sent.find((x) => x.name === f.name)!;
      expect(f.sha256).toBe(sha256(s.content));
    }
    const store = new DiskBlobStore(dataDir);
    for (const v of await db.selectFrom('file_versions').select('sha256').execute())
      expect(await store.stat(v.sha256), v.sha256).not.toBeNull();
    const [check] = (await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db)).rows;
    expect(check?.integrity_check).toBe('ok');

    // The cut uploads left drafts (or whole contents no row names): the sweep, a day on, removes
    // them, and nothing a row names.
    const drafts = path.join(dataDir, 'blobs', 'tmp');
    const leftDrafts = fs.existsSync(drafts) ? fs.readdirSync(drafts).length : 0;
    const unnamed: string[] = [];
    for await (const blob of store.list())
      if (!files.some((f) => f.sha256 === blob.sha256)) unnamed.push(blob.sha256);
    expect(leftDrafts + unnamed.length).toBeGreaterThan(0);
    await sweepBlobs(db, store, { now: Date.now() + BLOB_GRACE_MS + 60_000 });
    const kept: string[] = [];
    for await (const blob of store.list()) kept.push(blob.sha256);
    expect(kept.sort()).toEqual(files.map((f) => f.sha256).sort());
    expect(fs.existsSync(drafts) ? fs.readdirSync(drafts) : []).toEqual([]);
  });
});
