/**
 * Resumable uploads (tus): a file sent in chunks, cut off midway, continues from the offset the
 * server kept and becomes one file whose SHA-256 is that of every byte; the upload answers only the
 * person who started it, while they may still add files where it goes; names, sizes and types are
 * refused as the plain form refuses them; a contact's upload lands in "From clients" and tells the
 * firm once; the database lock passes between requests; and unfinished uploads expire.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { DbLocker } from '../../src/files/resumable/lock.js';
import { s3Client } from '../../src/storage/index.js';
import { Client, pageText } from '../helpers/app.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildPortal,
  buildStaff,
  signedIn,
} from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { queuedMails, runSchedules, runUntilIdle } from '../helpers/jobs.js';
import { DIALECTS_AND_STORES, useStore } from '../helpers/stores.js';
import { sendChunk as patch, startUpload as start, TUS } from '../helpers/tus.js';

const MAX_BYTES = 256 * 1024;
async function offsetOf(client: Client, url: string): Promise<number> {
  const head = await client.request(url, { method: 'HEAD', headers: TUS });
  expect(head.status).toBe(200);
  return Number(head.headers.get('Upload-Offset'));
}

/** A body that sends `bytes` and then fails, as a connection lost mid-chunk does. */
function cutShort(bytes: Uint8Array): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (sent) return controller.error(new Error('connection lost'));
      sent = true;
      controller.enqueue(bytes);
    },
  });
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe.each(DIALECTS_AND_STORES)('resumable uploads (%s, %s)', (dialect, storeKind) => {
  // Where uploads wait: under DATA_DIR on disk, or in the bucket.
  const store = useStore(storeKind);
  const firm = useFirm(dialect, {
    config: () => ({ ...store.config(), files: { maxBytes: MAX_BYTES, blockedExtensions: ['exe'] } }),
  });

  /**
   * What waits of the upload `id` (the bucket is shared by the tests, a DATA_DIR is not), by name:
   * its bytes and its state (on disk), or its info and pieces (in the bucket).
   */
  async function waiting(id: string): Promise<string[]> {
    const s3 = store.s3;
    if (!s3) {
      const dir = path.join(store.dataDir, 'uploads');
      return fs.existsSync(dir)
        ? fs
            .readdirSync(dir)
            .filter((name) => name.startsWith(id))
            .sort()
        : [];
    }
    const page = await s3Client(s3).send(
      new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `uploads/${id}` }),
    );
    return (page.Contents ?? []).map((o) => o.Key!.slice('uploads/'.length)).sort();
  }

  /** Moves an upload's start back a day and more, as the clock would. */
  async function ageUpload(id: string): Promise<void> {
    const longAgo = new Date(Date.now() - 25 * 60 * 60 * 1000).toISOString();
    const s3 = store.s3;
    if (!s3) {
      const stateFile = path.join(store.dataDir, 'uploads', `${id}.json`);
      const state = JSON.parse(fs.readFileSync(stateFile, 'utf8')) as { creation_date: string };
      fs.writeFileSync(stateFile, JSON.stringify({ ...state, creation_date: longAgo }));
      return;
    }
    const client = s3Client(s3);
    const key = `uploads/${id}.info`;
    const got = await client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    const info = JSON.parse(await got.Body!.transformToString()) as Record<string, unknown>;
    const body = JSON.stringify({ ...info, creation_date: longAgo });
    await client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: body }));
  }
  let clearwater: string;
  let harbour: string;
  let admin: Client;

  beforeEach(async () => {
    clearwater = await buildEntity(firm.db, 'Clearwater Holdings');
    harbour = await buildEntity(firm.db, 'Harbour Trust');
    admin = await signedIn(firm.app, firm.db, firm.admin);
  });

  const filesIn = (entityId: string) =>
    firm.db.selectFrom('files').selectAll().where('entity_id', '=', entityId).orderBy('name').execute();

  it('an upload cut off midway continues from where the server stopped and becomes one whole file', async () => {
    await admin.post(`/entities/${clearwater}/files/folders`, { folderName: 'Payroll' });
    const folder = await firm.db.selectFrom('folders').selectAll().executeTakeFirstOrThrow();
    const content = new Uint8Array(200_000).map((_, i) => (i * 31) % 251);
    const created = await start(admin, `/entities/${clearwater}/uploads`, content.length, {
      filename: 'Payroll 2026.csv',
      folder: folder.id,
    });
    expect(created.status).toBe(201);
    const url = created.headers.get('Location')!;
    expect(url).toMatch(/^\/uploads\/[A-Za-z0-9_-]+$/);

    const first = await patch(admin, url, 0, content.subarray(0, 64_000));
    expect([first.status, first.headers.get('Upload-Offset')]).toEqual([204, '64000']);
    // The next chunk's connection drops after part of it: what arrived is kept, nothing more.
    await patch(admin, url, 64_000, cutShort(content.slice(64_000, 90_000)));
    const kept = await offsetOf(admin, url);
    expect(kept).toBeGreaterThanOrEqual(64_000);
    expect(kept).toBeLessThanOrEqual(90_000);
    // A chunk sent for the wrong offset is refused and changes nothing.
    expect((await patch(admin, url, kept + 5, content.subarray(kept + 5, kept + 10))).status).toBe(409);
    expect(await filesIn(clearwater)).toEqual([]);
    expect(await (await admin.get(url)).json()).toEqual({ state: 'receiving' });

    const last = await patch(admin, url, kept, content.subarray(kept));
    expect([last.status, last.headers.get('Upload-Offset')]).toEqual([204, String(content.length)]);
    const [file] = await filesIn(clearwater);
    expect(file).toMatchObject({
      name: 'Payroll 2026.csv',
      folder_id: folder.id,
      size: content.length,
      sha256: sha256(content),
      content_type: 'text/csv',
      created_by: firm.admin.id,
    });
    expect(await (await admin.get(url)).json()).toEqual({
      state: 'done',
      fileId: file!.id,
      message: 'Payroll 2026.csv',
    });
    const download = await admin.get(`/files/${file!.id}/download`);
    expect(sha256(new Uint8Array(await download.arrayBuffer()))).toBe(sha256(content));
    const audit = await firm.db
      .selectFrom('audit_events')
      .select('action')
      .where('object_id', '=', file!.id)
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['file.uploaded', 'file.downloaded']);
    // tus's copy is gone once the file is safe.
    expect(await waiting(url.split('/').pop()!)).toEqual([]);

    // The same name again, through another resumable upload, is its next version.
    const again = await start(admin, `/entities/${clearwater}/uploads`, 3, {
      filename: 'payroll 2026.CSV',
      folder: folder.id,
    });
    const second = again.headers.get('Location')!;
    await patch(admin, second, 0, new TextEncoder().encode('a,b'));
    expect(((await (await admin.get(second)).json()) as { message: string }).message).toBe(
      'Payroll 2026.csv (version 2)',
    );
    const files = await filesIn(clearwater);
    expect(files.map((f) => [f.name, f.version, f.size])).toEqual([['Payroll 2026.csv', 2, 3]]);
  });

  it.runIf(storeKind === 'disk')(
    'an upload sent in order is hashed as it arrives and never read back; one that reached another process is read once',
    async () => {
      const reads = vi.spyOn(fs, 'createReadStream');
      const uploadsDir = path.join(store.dataDir, 'uploads');
      const readsOfUploads = () => reads.mock.calls.filter(([file]) => String(file).startsWith(uploadsDir));
      try {
        const content = new Uint8Array(150_000).map((_, i) => (i * 31) % 251);
        const inOrder = await start(admin, `/entities/${clearwater}/uploads`, content.length, {
          filename: 'Ledger.csv',
        });
        const url = inOrder.headers.get('Location')!;
        for (const at of [0, 50_000, 100_000])
          expect((await patch(admin, url, at, content.subarray(at, at + 50_000))).status).toBe(204);
        expect((await filesIn(clearwater)).map((f) => [f.name, f.sha256])).toEqual([
          ['Ledger.csv', sha256(content)],
        ]);
        expect(readsOfUploads()).toEqual([]);

        const other = content.map((byte) => 250 - byte);
        const resumed = await start(admin, `/entities/${clearwater}/uploads`, other.length, {
          filename: 'Journal.csv',
        });
        const second = resumed.headers.get('Location')!;
        const elsewhere = new Client(firm.otherProcess());
        for (const [name, value] of admin.cookies) elsewhere.cookies.set(name, value);
        expect((await patch(admin, second, 0, other.subarray(0, 50_000))).status).toBe(204);
        expect((await patch(elsewhere, second, 50_000, other.subarray(50_000, 100_000))).status).toBe(204);
        expect((await patch(admin, second, 100_000, other.subarray(100_000))).status).toBe(204);
        expect((await filesIn(clearwater)).map((f) => [f.name, f.sha256])).toEqual([
          ['Journal.csv', sha256(other)],
          ['Ledger.csv', sha256(content)],
        ]);
        expect(readsOfUploads()).toHaveLength(1);
      } finally {
        reads.mockRestore();
      }
    },
  );

  it.runIf(storeKind === 'disk')(
    'a chunk that finds the disk full is answered 507 with a clear message, and the upload goes on once there is room',
    async () => {
      const content = new Uint8Array(120_000).map((_, i) => (i * 13) % 251);
      const created = await start(admin, `/entities/${clearwater}/uploads`, content.length, {
        filename: 'Payroll.csv',
      });
      const url = created.headers.get('Location')!;
      expect((await patch(admin, url, 0, content.subarray(0, 60_000))).status).toBe(204);
      // tus's store opens the upload's file for each chunk: this one is written to /dev/full,
      // which fails every write with ENOSPC as a full disk does.
      const open = fs.createWriteStream;
      const full = vi
        .spyOn(fs, 'createWriteStream')
        .mockImplementation(((where: fs.PathLike, options?: object) =>
          String(where).startsWith(path.join(store.dataDir, 'uploads'))
            ? open('/dev/full', { flags: 'w' })
            : open(where, options as never)) as typeof fs.createWriteStream);
      let refused: Response;
      try {
        refused = await patch(admin, url, 60_000, content.subarray(60_000));
      } finally {
        full.mockRestore();
      }
      expect(refused.status).toBe(507);
      expect(await refused.text()).toBe(
        'The server has no room left for files. What arrived so far is kept: tell whoever runs this portal, and send the file again once there is room.\n',
      );
      expect(await filesIn(clearwater)).toEqual([]);
      const kept = await offsetOf(admin, url);
      expect(kept).toBe(60_000);
      expect((await patch(admin, url, kept, content.subarray(kept))).status).toBe(204);
      expect((await filesIn(clearwater)).map((f) => [f.name, f.sha256])).toEqual([
        ['Payroll.csv', sha256(content)],
      ]);
    },
  );

  it('only the person who started an upload may touch it, and only while they may add files there', async () => {
    const created = await start(admin, `/entities/${clearwater}/uploads`, 10, { filename: 'notes.txt' });
    const url = created.headers.get('Location')!;
    const missing = '/uploads/no-such-upload';
    const colleague = await buildStaff(firm.db, ['admin']);
    const asColleague = await signedIn(firm.app, firm.db, colleague);
    const grace = await buildContact(firm.db, clearwater);
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_collaborator', clearwater);
    const asGrace = await signedIn(firm.app, firm.db, grace);
    for (const other of [asColleague, asGrace]) {
      for (const target of [url, missing]) {
        expect((await other.request(target, { method: 'HEAD', headers: TUS })).status).toBe(404);
        expect((await other.get(target)).status).toBe(404);
        expect((await patch(other, target, 0, new TextEncoder().encode('0123456789'))).status).toBe(404);
        expect((await other.request(target, { method: 'DELETE', headers: TUS })).status).toBe(404);
      }
    }
    expect(await offsetOf(admin, url)).toBe(0);

    // Someone who may add files here starts one; losing that role stops it at the next chunk.
    const mary = await buildStaff(firm.db, []);
    await bindAtEntity(firm.db, { userId: mary.id }, 'editor', clearwater);
    const asMary = await signedIn(firm.app, firm.db, mary);
    const hers = (
      await start(asMary, `/entities/${clearwater}/uploads`, 4, { filename: 'a.txt' })
    ).headers.get('Location')!;
    expect((await patch(asMary, hers, 0, new TextEncoder().encode('ab'))).status).toBe(204);
    await firm.db.deleteFrom('role_bindings').where('user_id', '=', mary.id).execute();
    expect((await patch(asMary, hers, 2, new TextEncoder().encode('cd'))).status).toBe(404);
    // A viewer may not start one; another client answers as missing.
    const viewer = await buildStaff(firm.db, []);
    await bindAtEntity(firm.db, { userId: viewer.id }, 'viewer', clearwater);
    const asViewer = await signedIn(firm.app, firm.db, viewer);
    expect((await start(asViewer, `/entities/${clearwater}/uploads`, 4, { filename: 'a.txt' })).status).toBe(
      403,
    );
    expect((await start(asViewer, `/entities/${harbour}/uploads`, 4, { filename: 'a.txt' })).status).toBe(
      404,
    );
    expect(await filesIn(clearwater)).toEqual([]);
  });

  it('refuses what the plain form refuses before a byte is sent, and a mistyped file at its end', async () => {
    const endpoint = `/entities/${clearwater}/uploads`;
    const blocked = await start(admin, endpoint, 2, { filename: 'setup.exe' });
    expect([blocked.status, await blocked.text()]).toEqual([
      422,
      '“setup.exe” cannot be uploaded: .exe files are not accepted here.',
    ]);
    const large = await start(admin, endpoint, MAX_BYTES + 1, { filename: 'big.csv' });
    expect([large.status, await large.text()]).toEqual([
      413,
      '“big.csv” is larger than the limit of 256 KB.',
    ]);
    expect((await start(admin, endpoint, 2, { filename: '../../etc/passwd' })).status).toBe(422);
    const noLength = await admin.request(endpoint, { method: 'POST', headers: { ...TUS } });
    expect(noLength.status).toBe(400);
    expect((await start(admin, endpoint, 2, { filename: 'x.txt', folder: 'nope' })).status).toBe(404);
    expect(await firm.db.selectFrom('resumable_uploads').selectAll().execute()).toEqual([]);

    // A PNG's bytes named .pdf are refused once they have all arrived, and no file is made.
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    const url = (await start(admin, endpoint, png.length, { filename: 'invoice.pdf' })).headers.get(
      'Location',
    )!;
    expect((await patch(admin, url, 0, png)).status).toBe(204);
    const outcome = (await (await admin.get(url)).json()) as { state: string; message: string };
    expect(outcome.state).toBe('refused');
    expect(outcome.message).toContain('invoice.pdf');
    expect(await filesIn(clearwater)).toEqual([]);
  });

  it('a contact’s resumable upload lands in “From clients”, makes them its owner, and tells the firm once', async () => {
    const grace = await buildContact(firm.db, clearwater, { firstName: 'Grace', lastName: 'Hopper' });
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_collaborator', clearwater);
    await buildPortal(firm.db, 'Clearwater family', firm.admin.id, [clearwater]);
    const asGrace = await signedIn(firm.app, firm.db, grace);
    const portal = await (await asGrace.get(`/portal?entity=${clearwater}`)).text();
    expect(portal).toContain(`data-resumable="/portal/entities/${clearwater}/uploads"`);
    const content = new TextEncoder().encode('%PDF-1.4\nstatement');
    const url = (
      await start(asGrace, `/portal/entities/${clearwater}/uploads`, content.length, {
        filename: 'Statement.pdf',
      })
    ).headers.get('Location')!;
    await patch(asGrace, url, 0, content.subarray(0, 5));
    await patch(asGrace, url, 5, content.subarray(5));
    // Asked again (a HEAD, a GET), the upload is not added twice.
    expect(await offsetOf(asGrace, url)).toBe(content.length);
    expect(((await (await asGrace.get(url)).json()) as { state: string }).state).toBe('done');
    const [file] = await filesIn(clearwater);
    const folder = await firm.db.selectFrom('folders').selectAll().executeTakeFirstOrThrow();
    expect([file!.name, folder.name]).toEqual(['Statement.pdf', 'From clients']);
    const owner = await firm.db
      .selectFrom('role_bindings')
      .select(['user_id', 'role_id'])
      .where('scope_id', '=', file!.id)
      .execute();
    expect(owner).toEqual([{ user_id: grace.id, role_id: 'contact_owner' }]);
    const { 'mail.send': _send, ...others } = firm.assembly.host.jobs;
    await runUntilIdle(firm.db, others);
    expect((await queuedMails(firm.db, 'client-upload')).map((m) => m.to)).toEqual([firm.admin.email]);
    expect(pageText(await (await asGrace.get(`/portal?entity=${clearwater}`)).text())).toContain(
      'Statement.pdf',
    );
    // A folder she may not open is one that is not there (files-portal.test.ts sends into one she may).
    expect(
      (
        await start(asGrace, `/portal/entities/${clearwater}/uploads`, 1, {
          filename: 'a.txt',
          folder: 'anywhere',
        })
      ).status,
    ).toBe(404);
    // Staff cannot start one here; a contact of another client answers as missing.
    expect(
      (await start(admin, `/portal/entities/${clearwater}/uploads`, 1, { filename: 'a.txt' })).status,
    ).toBe(403);
    expect(
      (await start(asGrace, `/portal/entities/${harbour}/uploads`, 1, { filename: 'a.txt' })).status,
    ).toBe(404);
  });

  it('a cancelled upload leaves nothing; one left unfinished past its day is dropped by the cleanup', async () => {
    const endpoint = `/entities/${clearwater}/uploads`;
    const cancelled = (await start(admin, endpoint, 10, { filename: 'a.txt' })).headers.get('Location')!;
    await patch(admin, cancelled, 0, new TextEncoder().encode('01234'));
    expect((await admin.request(cancelled, { method: 'DELETE', headers: TUS })).status).toBe(204);
    expect((await admin.get(cancelled)).status).toBe(404);
    expect(await waiting(cancelled.split('/').pop()!)).toEqual([]);

    const left = (await start(admin, endpoint, 10, { filename: 'b.txt' })).headers.get('Location')!;
    await patch(admin, left, 0, new TextEncoder().encode('01234'));
    const id = left.split('/').pop()!;
    expect(await waiting(id)).toEqual(
      store.s3 ? [`${id}.info`, `${id}/${'0'.repeat(16)}`] : [id, `${id}.json`],
    );
    // A day and more later.
    await ageUpload(id);
    await firm.db
      .updateTable('resumable_uploads')
      .set({ created_at: Date.now() - 26 * 60 * 60 * 1000 })
      .execute();
    await runSchedules(firm.db, firm.assembly.host);
    expect(await waiting(id)).toEqual([]);
    expect(await firm.db.selectFrom('resumable_uploads').selectAll().execute()).toEqual([]);
  });

  it('the lock passes between requests of any process: a waiter asks the holder to let go, or takes it from one that died', async () => {
    const timings = { holdMs: 300, pollMs: 20, waitMs: 2000 };
    const first = new DbLocker(firm.db, timings).newLock('u1');
    const second = new DbLocker(firm.db, timings).newLock('u1');
    let asked = 0;
    await first.lock(new AbortController().signal, async () => {
      asked++;
      await first.unlock();
    });
    await second.lock(new AbortController().signal, () => {});
    expect(asked).toBeGreaterThanOrEqual(1);
    const row = await firm.db.selectFrom('upload_locks').selectAll().executeTakeFirstOrThrow();
    await second.unlock();
    expect(await firm.db.selectFrom('upload_locks').selectAll().execute()).toEqual([]);

    // A holder that stopped renewing (its process died) is taken over once its time runs out.
    await firm.db
      .insertInto('upload_locks')
      .values({ ...row, holder: 'gone', held_until: Date.now() + 100 })
      .execute();
    const third = new DbLocker(firm.db, timings).newLock('u1');
    const began = Date.now();
    await third.lock(new AbortController().signal, () => {});
    expect(Date.now() - began).toBeGreaterThanOrEqual(50);
    await third.unlock();
    // One that never lets go is waited for only so long.
    const stubborn = new DbLocker(firm.db, { ...timings, waitMs: 200 }).newLock('u2');
    await stubborn.lock(new AbortController().signal, () => {});
    const late = new DbLocker(firm.db, { ...timings, waitMs: 200 }).newLock('u2');
    await expect(late.lock(new AbortController().signal, () => {})).rejects.toMatchObject({
      status_code: 500,
    });
    await stubborn.unlock();
  });
});
