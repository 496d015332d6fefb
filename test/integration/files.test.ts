/**
 * Files inside a client: the plain upload streams each file into the blob store and adds a file or a
 * version; downloads are attachments under their own name with ranges and an ETag; names are one
 * name whatever their case or normalization; odd, blocked, mistyped and too-large files are refused
 * beside the field with nothing kept; folders nest, rename, and delete only when empty; moves are
 * authorized at both ends; and a file answers exactly like a missing one to whoever may not read it,
 * a contact included, whose item role counts only while an entity role admits them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { COUNT_CAP } from '../../src/files/queries.js';
import { BLOB_GRACE_MS, sweepBlobs } from '../../src/files/sweep.js';
import { createCustomRole } from '../../src/permissions/custom-role-store.js';
import { addBinding } from '../../src/permissions/queries.js';
import { s3Client } from '../../src/storage/index.js';
import { type Client, comparable, fieldError, pageText } from '../helpers/app.js';
import { asyncStorageRuns } from '../helpers/async-storage.js';
import {
  addPortalMember,
  bindAtEntity,
  buildContact,
  buildEntity,
  buildPortal,
  buildStaff,
  signedIn,
} from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { queuedMails, runUntilIdle } from '../helpers/jobs.js';
import { DIALECTS_AND_STORES, useStore } from '../helpers/stores.js';
import { unzip } from '../helpers/zip.js';

const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fea7d6a5d20000000049454e44ae426082',
  'hex',
);
const MAX_BYTES = 64 * 1024;

function upload(
  files: { name: string; content: string | Uint8Array }[],
  sameName?: 'version' | 'keep',
): FormData {
  const form = new FormData();
  if (sameName) form.append('sameName', sameName);
  for (const f of files) form.append('files', new File([f.content], f.name));
  return form;
}

describe.each(DIALECTS_AND_STORES)('files (%s, %s)', (dialect, storeKind) => {
  // A blob store of each test's own, made as the test's app is.
  const store = useStore(storeKind);
  const firm = useFirm(dialect, {
    config: () => ({ ...store.config(), files: { maxBytes: MAX_BYTES, blockedExtensions: ['exe'] } }),
  });
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

  async function uploadAs(
    client: Client,
    entityId: string,
    files: Parameters<typeof upload>[0],
    extra = '',
    sameName?: 'version' | 'keep',
  ) {
    return client.post(`/entities/${entityId}/files${extra.replace(/^&/, '?')}`, upload(files, sameName));
  }

  it('uploads several files at once, lists them, and downloads each as an attachment under its own name', async () => {
    const res = await uploadAs(admin, clearwater, [
      { name: 'Tax return 2025.pdf', content: '%PDF-1.4\nreturn' },
      { name: 'Notes – é.txt', content: 'hello world' },
    ]);
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/entities/${clearwater}/files`);
    const rows = await filesIn(clearwater);
    expect(rows.map((r) => [r.name, r.size, r.content_type, r.version, r.created_by_label])).toEqual([
      ['Notes – é.txt', 11, 'text/plain', 1, expect.stringContaining(firm.admin.first_name)],
      ['Tax return 2025.pdf', 15, 'application/pdf', 1, expect.stringContaining(firm.admin.first_name)],
    ]);
    let listed = '';
    const storageRuns = await asyncStorageRuns(async () => {
      listed = await (await admin.get(`/entities/${clearwater}/files`)).text();
    });
    expect(storageRuns, 'AsyncLocalStorage.run calls while listing').toBe(0);
    const list = pageText(listed);
    expect(list).toContain('Tax return 2025.pdf');
    expect(list).toContain('Notes – é.txt');

    const notes = rows[0]!;
    const download = await admin.get(`/files/${notes.id}/download`);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('hello world');
    expect(download.headers.get('Content-Disposition')).toBe(
      `attachment; filename="Notes _ e_.txt"; filename*=UTF-8''Notes%20%E2%80%93%20%C3%A9.txt`,
    );
    expect(download.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(download.headers.get('Content-Security-Policy')).toBe("default-src 'none'; sandbox");
    expect(download.headers.get('ETag')).toBe(`"${notes.sha256}"`);
    expect(download.headers.get('Content-Type')).toBe('text/plain');
  });

  it('answers ranges, If-None-Match and If-Range, so a broken download resumes', async () => {
    await uploadAs(admin, clearwater, [{ name: 'alphabet.txt', content: 'abcdefghijklmnopqrstuvwxyz' }]);
    const [file] = await filesIn(clearwater);
    const url = `/files/${file!.id}/download`;
    const part = await admin.get(url, { Range: 'bytes=3-5' });
    expect([part.status, await part.text(), part.headers.get('Content-Range')]).toEqual([
      206,
      'def',
      'bytes 3-5/26',
    ]);
    const tail = await admin.get(url, { Range: 'bytes=-4' });
    expect([tail.status, await tail.text()]).toEqual([206, 'wxyz']);
    const open = await admin.get(url, { Range: 'bytes=20-' });
    expect(await open.text()).toBe('uvwxyz');
    // Several ranges, or one that is not a range at all, are answered with the whole file.
    for (const Range of ['bytes=0-1,4-5', 'bytes=5-3', 'items=0-3', 'bytes=-'])
      expect([Range, (await admin.get(url, { Range })).status]).toEqual([Range, 200]);
    const several = await admin.get(url, { Range: 'bytes=0-1,4-5' });
    expect([await several.text(), several.headers.get('Content-Range')]).toEqual([
      'abcdefghijklmnopqrstuvwxyz',
      null,
    ]);
    const beyond = await admin.get(url, { Range: 'bytes=26-30' });
    expect([beyond.status, beyond.headers.get('Content-Range')]).toEqual([416, 'bytes */26']);
    const stale = await admin.get(url, { Range: 'bytes=3-5', 'If-Range': '"another version"' });
    expect([stale.status, (await stale.text()).length]).toEqual([200, 26]);
    const same = await admin.get(url, { 'If-None-Match': `"${file!.sha256}"` });
    expect(same.status).toBe(304);
  });

  it('a file of the same name (whatever its case or normalization) becomes a new version, or is kept beside it', async () => {
    await uploadAs(admin, clearwater, [{ name: 'Café.txt', content: 'first' }]);
    // "CAFE\u0301.TXT": the same name decomposed and in capitals.
    await uploadAs(admin, clearwater, [{ name: 'CAFE\u0301.TXT', content: 'second' }]);
    let rows = await filesIn(clearwater);
    expect(rows.map((r) => [r.name, r.version, r.size])).toEqual([['Café.txt', 2, 6]]);
    await uploadAs(admin, clearwater, [{ name: 'café.txt', content: 'third!!' }], '', 'keep');
    rows = await filesIn(clearwater);
    expect(rows.map((r) => [r.name, r.version])).toEqual([
      ['Café.txt', 2],
      ['café (2).txt', 1],
    ]);
    const cafe = rows[0]!;
    const first = await admin.get(`/files/${cafe.id}/download?version=1`);
    expect(await first.text()).toBe('first');
    expect((await admin.get(`/files/${cafe.id}/download?version=9`)).status).toBe(404);

    const page = pageText(await (await admin.get(`/files/${cafe.id}`)).text());
    expect(page).toMatch(/2 \(current\)/);
    const restored = await admin.post(`/files/${cafe.id}/restore`, { version: '1' });
    expect(restored.status).toBe(303);
    const after = await admin.get(`/files/${cafe.id}/download`);
    expect(await after.text()).toBe('first');
    const versions = await firm.db
      .selectFrom('file_versions')
      .select(['number', 'size'])
      .where('file_id', '=', cafe.id)
      .orderBy('number')
      .execute();
    expect(versions).toEqual([
      { number: 1, size: 5 },
      { number: 2, size: 6 },
      { number: 3, size: 5 },
    ]);
    const audit = await firm.db
      .selectFrom('audit_events')
      .select('action')
      .where('object_id', '=', cafe.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual([
      'file.uploaded',
      'file.version_added',
      'file.downloaded',
      'file.version_restored',
      'file.downloaded',
    ]);
  });

  it('markup and script go out as plain bytes to be saved, never as a page the browser would run', async () => {
    await uploadAs(admin, clearwater, [
      { name: 'page.html', content: '<!doctype html><script>alert(1)</script>' },
      {
        name: 'logo.svg',
        content: '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
      },
      { name: 'feed.xml', content: '<?xml version="1.0"?><feed/>' },
      // XHTML and XBRL (a company's filed accounts) are XML by their first bytes, as they should be.
      {
        name: 'report.xhtml',
        content:
          '<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
      },
      { name: 'accounts.xbrl', content: '<?xml version="1.0"?><xbrl/>' },
    ]);
    const rows = await filesIn(clearwater);
    expect(rows.map((r) => r.name)).toEqual([
      'accounts.xbrl',
      'feed.xml',
      'logo.svg',
      'page.html',
      'report.xhtml',
    ]);
    for (const row of rows) {
      const res = await admin.get(`/files/${row.id}/download`);
      expect([row.name, res.headers.get('Content-Type')]).toEqual([row.name, 'application/octet-stream']);
      expect(res.headers.get('Content-Disposition')).toMatch(/^attachment; /);
      expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'none'; sandbox");
    }
  });

  it('adding a version needs Edit on the file that is there: with File C alone, only a file beside it', async () => {
    await uploadAs(admin, clearwater, [{ name: 'Ledger.txt', content: 'first' }]);
    const uploaderRole = await createCustomRole(firm.db, {
      name: 'Uploader',
      kind: 'staff',
      permissions: ['entity.summary:R', 'file:R', 'file:C'],
    });
    const uploader = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: uploader.id }, uploaderRole, clearwater);
    const asUploader = await signedIn(firm.app, firm.db, uploader);
    const refused = await uploadAs(asUploader, clearwater, [{ name: 'LEDGER.txt', content: 'second' }]);
    expect(refused.status).toBe(422);
    expect(fieldError(await refused.text(), 'f-files')).toBe(
      '“Ledger.txt” is already here, and you may not add versions of it. Upload it as a separate file (keep both) instead.',
    );
    expect((await filesIn(clearwater)).map((f) => [f.name, f.version])).toEqual([['Ledger.txt', 1]]);
    // Keeping both is theirs to choose; Edit on the file lets them add its version.
    await uploadAs(asUploader, clearwater, [{ name: 'LEDGER.txt', content: 'second' }], '', 'keep');
    await bindAtEntity(firm.db, { userId: uploader.id }, 'editor', clearwater);
    await uploadAs(asUploader, clearwater, [{ name: 'Ledger.txt', content: 'third' }]);
    expect((await filesIn(clearwater)).map((f) => [f.name, f.version])).toEqual([
      ['LEDGER (2).txt', 1],
      ['Ledger.txt', 2],
    ]);
  });

  it('two uploads of one name at the same moment end as one file with two versions', async () => {
    const [a, b] = await Promise.all([
      uploadAs(admin, clearwater, [{ name: 'race.txt', content: 'one' }]),
      uploadAs(admin, clearwater, [{ name: 'race.txt', content: 'two' }]),
    ]);
    expect([a.status, b.status]).toEqual([303, 303]);
    const rows = await filesIn(clearwater);
    expect(rows.map((r) => [r.name, r.version])).toEqual([['race.txt', 2]]);
    const numbers = await firm.db
      .selectFrom('file_versions')
      .select('number')
      .where('file_id', '=', rows[0]!.id)
      .orderBy('number')
      .execute();
    expect(numbers.map((n) => n.number)).toEqual([1, 2]);
  });

  it('refuses odd, blocked, mistyped and too-large files beside the field, keeping the rest and no row for them', async () => {
    const res = await uploadAs(admin, clearwater, [
      { name: '../../etc/passwd', content: 'kept under its last segment' },
      { name: 'bad\u0000name.txt', content: 'x' },
      { name: `${'a'.repeat(300)}.txt`, content: 'x' },
      { name: 'invoice\u202Efdp.exe', content: 'x' },
      { name: 'setup.exe', content: 'MZ' },
      { name: 'photo.pdf', content: PNG },
      { name: 'big.txt', content: 'x'.repeat(MAX_BYTES + 1) },
      { name: '📎 receipt.txt', content: 'emoji is fine' },
    ]);
    expect(res.status).toBe(200);
    const html = await res.text();
    const text = pageText(html);
    expect(text).toContain('Uploaded: passwd, 📎 receipt.txt.');
    expect(text).toContain('A name cannot contain control characters or text-direction marks.');
    expect(text).toContain('The name must be at most 255 characters.');
    expect(text).toContain('.exe files are not accepted here.');
    expect(text).toContain('“photo.pdf” does not hold what its name says: its content is a .png file.');
    expect(text).toContain('“big.txt” is larger than the limit of 64 KB.');
    expect((await filesIn(clearwater)).map((r) => r.name)).toEqual(['passwd', '📎 receipt.txt']);

    const none = await uploadAs(admin, clearwater, [{ name: 'setup.exe', content: 'MZ' }]);
    expect(none.status).toBe(422);
    expect(fieldError(await none.text(), 'f-files')).toBe(
      '“setup.exe” cannot be uploaded: .exe files are not accepted here.',
    );
    const empty = await admin.post(`/entities/${clearwater}/files`, new FormData());
    expect(empty.status).toBe(422);
    expect(fieldError(await empty.text(), 'f-files')).toBe('Choose at least one file to upload.');
  });

  it('takes only the allowed extensions when a firm lists them, and says so on the form', async () => {
    const allowing = firm.otherProcess({
      files: { maxBytes: MAX_BYTES, blockedExtensions: [], allowedExtensions: ['pdf', 'csv'] },
    });
    const client = await signedIn(allowing, firm.db, firm.admin);
    const form = await (await client.get(`/entities/${clearwater}/files`)).text();
    expect(pageText(form)).toContain(
      'Up to 64 KB each. Only .pdf, .csv files are accepted. You can choose several.',
    );
    expect(form).toMatch(/<input id="f-files"[^>]* accept=".pdf,.csv"/);
    const res = await uploadAs(client, clearwater, [
      { name: 'Ledger.CSV', content: 'a,b' },
      { name: 'notes.txt', content: 'x' },
      { name: 'README', content: 'x' },
    ]);
    const text = pageText(await res.text());
    expect(text).toContain('Uploaded: Ledger.CSV.');
    expect(text).toContain('“notes.txt” cannot be uploaded: only .pdf, .csv files are accepted here.');
    expect(text).toContain('“README” cannot be uploaded: only .pdf, .csv files are accepted here.');
    expect((await filesIn(clearwater)).map((r) => r.name)).toEqual(['Ledger.CSV']);
  });

  it.skipIf(storeKind === 's3')(
    'a full disk refuses the upload with a clear message, keeps nothing half written, and the next one works',
    async () => {
      // Each new blob is begun for real, then written to /dev/full, which fails every write with
      // ENOSPC as a full disk does.
      const create = fs.createWriteStream;
      const full = vi.spyOn(fs, 'createWriteStream').mockImplementation(((
        where: fs.PathLike,
        options?: object,
      ) => {
        if (!String(where).includes(`${path.sep}blobs${path.sep}tmp${path.sep}`))
          return create(where, options as never);
        fs.writeFileSync(where, 'half');
        return create('/dev/full', { flags: 'w' });
      }) as typeof fs.createWriteStream);
      let res: Response;
      try {
        res = await uploadAs(admin, clearwater, [{ name: 'Ledger.csv', content: 'a,b\n'.repeat(1000) }]);
      } finally {
        full.mockRestore();
      }
      expect(res.status).toBe(422);
      expect(fieldError(await res.text(), 'f-files')).toBe(
        '“Ledger.csv” could not be stored: the server has no room left for files. Nothing of it was kept; tell whoever runs this portal.',
      );
      expect(await filesIn(clearwater)).toEqual([]);
      expect(fs.readdirSync(path.join(store.dataDir, 'blobs', 'tmp'))).toEqual([]);
      const left: string[] = [];
      for await (const blob of store.blobStore().list()) left.push(blob.sha256);
      expect(left).toEqual([]);

      expect((await uploadAs(admin, clearwater, [{ name: 'Ledger.csv', content: 'a,b\n' }])).status).toBe(
        303,
      );
      expect((await filesIn(clearwater)).map((f) => f.name)).toEqual(['Ledger.csv']);
    },
  );

  it.runIf(storeKind === 's3')(
    'a bucket that cannot be written refuses the upload with a clear message, keeps nothing, and the next one works',
    async () => {
      const bucket = { Bucket: store.s3!.bucket };
      const client = s3Client(store.s3!);
      try {
        await client.send(new DeleteBucketCommand(bucket));
        const res = await uploadAs(admin, clearwater, [
          { name: 'Ledger.csv', content: 'a,b\n'.repeat(1000) },
        ]);
        expect(res.status).toBe(422);
        expect(fieldError(await res.text(), 'f-files')).toBe(
          '“Ledger.csv” could not be stored just now. Nothing of it was kept; try again.',
        );
        expect(await filesIn(clearwater)).toEqual([]);
        await client.send(new CreateBucketCommand(bucket));
      } finally {
        client.destroy();
      }
      expect((await uploadAs(admin, clearwater, [{ name: 'Ledger.csv', content: 'a,b\n' }])).status).toBe(
        303,
      );
      expect((await filesIn(clearwater)).map((f) => f.name)).toEqual(['Ledger.csv']);
      const left: string[] = [];
      for await (const blob of store.blobStore().list()) left.push(blob.sha256);
      expect(left).toEqual([(await filesIn(clearwater))[0]!.sha256]);
    },
  );

  it('folders nest, refuse a second of the same name beside the field, rename, and delete only when empty', async () => {
    const made = await admin.post(`/entities/${clearwater}/files/folders`, { folderName: 'Tax 2025' });
    expect(made.status).toBe(303);
    const tax = await firm.db
      .selectFrom('folders')
      .selectAll()
      .where('name', '=', 'Tax 2025')
      .executeTakeFirstOrThrow();
    const again = await admin.post(`/entities/${clearwater}/files/folders`, { folderName: 'TAX 2025' });
    expect(again.status).toBe(422);
    const html = await again.text();
    expect(fieldError(html, 'f-folderName')).toBe('A folder named “TAX 2025” is already here.');
    expect(html).toContain('value="TAX 2025"');

    await admin.post(`/entities/${clearwater}/files/folders?folder=${tax.id}`, { folderName: 'Receipts' });
    const receipts = await firm.db
      .selectFrom('folders')
      .selectAll()
      .where('name', '=', 'Receipts')
      .executeTakeFirstOrThrow();
    expect([receipts.parent_id, receipts.path]).toEqual([tax.id, tax.id]);
    await uploadAs(admin, clearwater, [{ name: 'r1.txt', content: 'r1' }], `&folder=${receipts.id}`);
    const inner = await (await admin.get(`/entities/${clearwater}/files?folder=${receipts.id}`)).text();
    const crumbs = inner.match(/<nav aria-label="Folders" class="breadcrumbs">(.*?)<\/nav>/)?.[1] ?? '';
    expect([...crumbs.matchAll(/<li>(.*?)<\/li>/g)].map(([, li]) => pageText(li ?? ''))).toEqual([
      'Files',
      'Tax 2025',
      'Receipts',
    ]);
    expect(pageText(inner)).toContain('r1.txt');

    const refused = await admin.post(`/folders/${tax.id}/delete`, { confirm: 'yes' });
    expect(refused.status).toBe(422);
    expect(pageText(await refused.text())).toContain('“Tax 2025” is not empty');
    const renamed = await admin.post(`/folders/${tax.id}/rename`, { name: 'Tax return 2025' });
    expect(renamed.status).toBe(303);

    const [r1] = await firm.db.selectFrom('files').selectAll().where('name', '=', 'r1.txt').execute();
    expect((await admin.post(`/files/${r1!.id}/move`, { to: '' })).status).toBe(303);
    expect((await admin.post(`/files/${r1!.id}/delete`, { confirm: 'yes' })).status).toBe(303);
    expect((await admin.post(`/folders/${receipts.id}/delete`, { confirm: 'yes' })).status).toBe(303);
    expect(await firm.db.selectFrom('folders').select('name').execute()).toEqual([
      { name: 'Tax return 2025' },
    ]);
    const actions = await firm.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', 'like', 'f%')
      .orderBy('id')
      .execute();
    expect(actions.map((a) => a.action)).toEqual([
      'folder.created',
      'folder.created',
      'file.uploaded',
      'folder.renamed',
      'file.moved',
      'file.deleted',
      'folder.deleted',
    ]);
  });

  it('a folder moves with everything in it, never into itself, and what is shared where it lands covers it', async () => {
    const make = async (name: string, parent?: string) => {
      await admin.post(`/entities/${clearwater}/files/folders${parent ? `?folder=${parent}` : ''}`, {
        folderName: name,
      });
      return (
        await firm.db.selectFrom('folders').selectAll().where('name', '=', name).executeTakeFirstOrThrow()
      ).id;
    };
    const year = await make('2025');
    const payroll = await make('Payroll', year);
    const weekly = await make('Weekly', payroll);
    const archive = await make('Archive');
    await uploadAs(admin, clearwater, [{ name: 'March.csv', content: 'a,b' }], `&folder=${payroll}`);
    const [march] = await filesIn(clearwater);
    const grace = await buildContact(firm.db, clearwater);
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', clearwater);
    await addBinding(firm.db, { userId: grace.id }, 'contact_viewer', { type: 'folder', id: archive }, null);
    const asGrace = await signedIn(firm.app, firm.db, grace);
    expect((await asGrace.get(`/files/${march!.id}/download`)).status).toBe(404);

    const page = await (await admin.get(`/entities/${clearwater}/files?folder=${year}`)).text();
    expect(page).toContain(`action="/folders/${year}/move"`);
    const moved = await admin.post(`/folders/${year}/move`, { to: archive });
    expect([moved.status, moved.headers.get('Location')]).toEqual([
      303,
      `/entities/${clearwater}/files?folder=${year}`,
    ]);
    const paths = Object.fromEntries(
      (await firm.db.selectFrom('folders').select(['id', 'path', 'place']).execute()).map((f) => [
        f.id,
        [f.place, f.path],
      ]),
    );
    expect(paths[year]).toEqual([archive, archive]);
    expect(paths[payroll]).toEqual([year, `${archive}/${year}`]);
    expect(paths[weekly]).toEqual([payroll, `${archive}/${year}/${payroll}`]);
    // The Archive's contact now reads what is inside it, however deep.
    expect(await (await asGrace.get(`/files/${march!.id}/download`)).text()).toBe('a,b');

    // Not into itself, nor into a folder of its own.
    for (const inside of [year, payroll]) {
      const refused = await admin.post(`/folders/${year}/move`, { to: inside });
      expect(refused.status).toBe(422);
      expect(fieldError(await refused.text(), 'f-to')).toBe(
        '“2025” cannot go inside itself or a folder within it.',
      );
    }
    // Not beside another of its name.
    await admin.post(`/entities/${clearwater}/files/folders`, { folderName: '2025' });
    const taken = await admin.post(`/folders/${year}/move`, { to: '' });
    expect(taken.status).toBe(422);
    expect(fieldError(await taken.text(), 'f-to')).toBe('A folder named “2025” is already in the top level.');
    expect(
      (await firm.db.selectFrom('folders').select('path').where('id', '=', payroll).executeTakeFirstOrThrow())
        .path,
    ).toBe(`${archive}/${year}`);
    const audit = await firm.db
      .selectFrom('audit_events')
      .select(['action', 'after_json'])
      .where('object_id', '=', year)
      .execute();
    expect(audit).toContainEqual({
      action: 'folder.moved',
      after_json: JSON.stringify({ folder: 'Archive' }),
    });
  });

  it('a move is authorized at both ends: a folder of another client, or one the mover may not add to, is refused', async () => {
    await uploadAs(admin, clearwater, [{ name: 'a.txt', content: 'a' }]);
    await admin.post(`/entities/${harbour}/files/folders`, { folderName: 'Elsewhere' });
    const elsewhere = await firm.db.selectFrom('folders').selectAll().executeTakeFirstOrThrow();
    const [file] = await filesIn(clearwater);
    const res = await admin.post(`/files/${file!.id}/move`, { to: elsewhere.id });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), 'f-to')).toBe('Choose a folder from the list.');
    expect((await filesIn(clearwater))[0]!.folder_id).toBeNull();

    // A viewer reads but may not move, rename or delete: each is refused.
    const viewer = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: viewer.id }, 'viewer', clearwater);
    const asViewer = await signedIn(firm.app, firm.db, viewer);
    expect((await asViewer.get(`/files/${file!.id}/download`)).status).toBe(200);
    for (const action of ['move', 'rename', 'delete', 'restore'])
      expect([
        action,
        (
          await asViewer.post(`/files/${file!.id}/${action}`, {
            to: '',
            name: 'b.txt',
            confirm: 'yes',
            version: '1',
          })
        ).status,
      ]).toEqual([action, 403]);
    expect(
      (await asViewer.post(`/entities/${clearwater}/files`, upload([{ name: 'x.txt', content: 'x' }])))
        .status,
    ).toBe(403);

    // An Editor of one folder, who only reads the rest of the client, may move within that folder's
    // reach but not into a folder of the same client they may not add to.
    await admin.post(`/entities/${clearwater}/files/folders`, { folderName: 'Working' });
    await admin.post(`/entities/${clearwater}/files/folders`, { folderName: 'Signed' });
    const folders = await firm.db
      .selectFrom('folders')
      .selectAll()
      .where('entity_id', '=', clearwater)
      .execute();
    const working = folders.find((f) => f.name === 'Working')!;
    const signed = folders.find((f) => f.name === 'Signed')!;
    await uploadAs(admin, clearwater, [{ name: 'draft.txt', content: 'd' }], `&folder=${working.id}`);
    const draft = (await filesIn(clearwater)).find((f) => f.name === 'draft.txt')!;
    await addBinding(firm.db, { userId: viewer.id }, 'editor', { type: 'folder', id: working.id }, null);
    const refused = await asViewer.post(`/files/${draft.id}/move`, { to: signed.id });
    expect(refused.status).toBe(422);
    expect(fieldError(await refused.text(), 'f-to')).toBe('Choose a folder from the list.');
    expect((await filesIn(clearwater)).find((f) => f.name === 'draft.txt')!.folder_id).toBe(working.id);
    await bindAtEntity(firm.db, { userId: viewer.id }, 'editor', clearwater);
    expect((await asViewer.post(`/files/${draft.id}/move`, { to: signed.id })).status).toBe(303);
    expect((await filesIn(clearwater)).find((f) => f.name === 'draft.txt')!.folder_id).toBe(signed.id);
  });

  it('the sweep takes the contents no version points to once past the grace period, never one in use', async () => {
    await uploadAs(admin, clearwater, [
      { name: 'kept.txt', content: 'kept' },
      { name: 'gone.txt', content: 'gone' },
    ]);
    await uploadAs(admin, clearwater, [{ name: 'kept.txt', content: 'kept, second version' }]);
    const gone = (await filesIn(clearwater)).find((f) => f.name === 'gone.txt')!;
    await admin.post(`/files/${gone.id}/delete`, { confirm: 'yes' });
    const blobs = store.blobStore();
    const stored = async () => {
      const all: string[] = [];
      for await (const b of blobs.list()) all.push(b.sha256);
      return all.sort();
    };
    expect(await stored()).toHaveLength(3);

    // Within the grace period nothing goes, not even the deleted file's content.
    expect(await sweepBlobs(firm.db, blobs)).toEqual({ removed: 0, abandoned: 0 });
    const later = { now: Date.now() + BLOB_GRACE_MS + 60_000 };
    expect(await sweepBlobs(firm.db, blobs, later)).toEqual({ removed: 1, abandoned: 0 });
    const versions = await firm.db.selectFrom('file_versions').select('sha256').execute();
    expect(await stored()).toEqual([...new Set(versions.map((v) => v.sha256))].sort());
    // Both versions of kept.txt still download.
    const kept = (await filesIn(clearwater))[0]!;
    expect(await (await admin.get(`/files/${kept.id}/download?version=1`)).text()).toBe('kept');
    expect(await (await admin.get(`/files/${kept.id}/download`)).text()).toBe('kept, second version');
  });

  it('staff share a file with a contact who sees the client, who then finds it in the portal, and stop sharing it', async () => {
    await uploadAs(admin, clearwater, [
      { name: 'For Grace.txt', content: 'yours' },
      { name: 'Internal.txt', content: 'ours' },
    ]);
    const rows = await filesIn(clearwater);
    const shared = rows.find((r) => r.name === 'For Grace.txt')!;
    const grace = await buildContact(firm.db, clearwater, { firstName: 'Grace', lastName: 'Hopper' });
    const stranger = await buildContact(firm.db, harbour, { firstName: 'Sam', lastName: 'Stranger' });
    await bindAtEntity(firm.db, { userId: stranger.id }, 'contact_entity_access', harbour);

    // Only contacts who see this client are offered; Grace does not yet.
    let page = await (await admin.get(`/files/${shared.id}`)).text();
    expect(pageText(page)).toContain('No contact sees this client in the portal yet');
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', clearwater);
    page = await (await admin.get(`/files/${shared.id}`)).text();
    expect(page).toContain(`<option value="${grace.id}">Grace Hopper`);
    expect(page).not.toContain(stranger.id);

    // Another client's contact is refused beside the field, as one that is not there.
    const refused = await admin.post(`/files/${shared.id}/share`, {
      contact: stranger.id,
      role: 'contact_viewer',
    });
    expect(refused.status).toBe(422);
    expect(fieldError(await refused.text(), 'f-contact')).toBe('Choose a contact from the list.');
    const badRole = await admin.post(`/files/${shared.id}/share`, { contact: grace.id, role: 'admin' });
    expect(fieldError(await badRole.text(), 'f-role')).toBe('Choose one of the roles listed.');

    // Her Client portal switch is on: she is emailed a link that signs her in at this client.
    await firm.db
      .updateTable('contact_profiles')
      .set({ portal_access: 1 })
      .where('user_id', '=', grace.id)
      .execute();
    const done = await admin.post(`/files/${shared.id}/share`, { contact: grace.id, role: 'contact_viewer' });
    expect(done.status).toBe(303);
    const mails = await queuedMails(firm.db, 'file-shared');
    expect(mails.map((m) => [m.to, m.subject])).toEqual([
      [grace.email, 'Clearwater Accounting: For Grace.txt was shared with you'],
    ]);
    expect(mails[0]!.text).toContain(`?entity=${clearwater}`);
    expect(pageText(await (await admin.get(`/files/${shared.id}`)).text())).toContain(
      'Grace Hopper Contact - Viewer',
    );

    const asGrace = await signedIn(firm.app, firm.db, grace);
    const portal = await (await asGrace.get(`/portal?entity=${clearwater}`)).text();
    const files = portal.match(/<section aria-label="Files">(.*?)<\/section>/)?.[1] ?? '';
    expect(files).toContain(`href="/files/${shared.id}/download"`);
    expect(pageText(files)).toContain('For Grace.txt');
    expect(pageText(files)).not.toContain('Internal.txt');
    expect(await (await asGrace.get(`/files/${shared.id}/download`)).text()).toBe('yours');

    // Giving another role replaces the first: one role per contact per file.
    await admin.post(`/files/${shared.id}/share`, { contact: grace.id, role: 'contact_editor' });
    const held = await firm.db
      .selectFrom('role_bindings')
      .select(['id', 'role_id'])
      .where('scope_type', '=', 'item')
      .execute();
    expect(held.map((b) => b.role_id)).toEqual(['contact_editor']);

    const gone = await admin.post(`/files/${shared.id}/unshare`, { binding: held[0]!.id });
    expect(gone.status).toBe(303);
    expect((await asGrace.get(`/files/${shared.id}/download`)).status).toBe(404);
    const after = await (await asGrace.get(`/portal?entity=${clearwater}`)).text();
    expect(pageText(after.match(/<section aria-label="Files">(.*?)<\/section>/)?.[1] ?? '')).toBe(
      'FilesNothing here yet.',
    );
    const audit = await firm.db
      .selectFrom('audit_events')
      .select(['action', 'object_label'])
      .where('object_type', '=', 'file')
      .where('action', 'like', 'access.%')
      .orderBy('id')
      .execute();
    expect(audit).toEqual([
      { action: 'access.granted', object_label: 'For Grace.txt' },
      { action: 'access.granted', object_label: 'For Grace.txt' },
      { action: 'access.revoked', object_label: 'For Grace.txt' },
    ]);

    // A viewer reads the file but may not share it.
    const viewer = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: viewer.id }, 'viewer', clearwater);
    const asViewer = await signedIn(firm.app, firm.db, viewer);
    expect(await (await asViewer.get(`/files/${shared.id}`)).text()).not.toContain('Share with');
    expect(
      (await asViewer.post(`/files/${shared.id}/share`, { contact: grace.id, role: 'contact_viewer' }))
        .status,
    ).toBe(403);
  });

  it('a full-access portal member sees every file of the client in the portal; a contributor only what is shared', async () => {
    await uploadAs(admin, clearwater, [{ name: 'a.txt', content: 'a' }]);
    await admin.post(`/entities/${clearwater}/files/folders`, { folderName: 'Deep' });
    const deep = await firm.db.selectFrom('folders').selectAll().executeTakeFirstOrThrow();
    await uploadAs(admin, clearwater, [{ name: 'b.txt', content: 'b' }], `&folder=${deep.id}`);
    const portal = await buildPortal(firm.db, 'Clearwater family', firm.admin.id, [clearwater]);
    const full = await buildContact(firm.db, clearwater);
    const contributor = await buildContact(firm.db, clearwater);
    await addPortalMember(firm.db, portal, full.id, 'full');
    await addPortalMember(firm.db, portal, contributor.id, 'contributor');
    const filesOf = async (who: User) => {
      const html = await (
        await (await signedIn(firm.app, firm.db, who)).get(`/portal?entity=${clearwater}`)
      ).text();
      return [
        ...(html.match(/<section aria-label="Files">(.*?)<\/section>/)?.[1] ?? '').matchAll(
          /\/download"[^>]*>([^<]+)</g,
        ),
      ]
        .map((m) => m[1])
        .sort();
    };
    expect(await filesOf(full)).toEqual(['a.txt', 'b.txt']);
    expect(await filesOf(contributor)).toEqual([]);
    // Portal members are among the contacts a folder may be shared with; one shared with the
    // contributor covers what is in it.
    const choices = await (await admin.get(`/entities/${clearwater}/files?folder=${deep.id}`)).text();
    expect(choices).toContain(`value="${contributor.id}"`);
    expect(
      (await admin.post(`/folders/${deep.id}/share`, { contact: contributor.id, role: 'contact_viewer' }))
        .status,
    ).toBe(303);
    expect(await filesOf(contributor)).toEqual(['b.txt']);
  });

  it('a collaborating contact uploads from the portal into “From clients”, owns what they sent, and the firm is emailed once', async () => {
    const grace = await buildContact(firm.db, clearwater, { firstName: 'Grace', lastName: 'Hopper' });
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_collaborator', clearwater);
    const mary = await buildStaff(firm.db, [], { firstName: 'Mary', lastName: 'Recipient' });
    await bindAtEntity(firm.db, { userId: mary.id }, 'viewer', clearwater);
    await firm.db
      .insertInto('entity_notify_recipients')
      .values({ entity_id: clearwater, user_id: mary.id, created_at: Date.now() })
      .execute();
    await buildPortal(firm.db, 'Clearwater family', firm.admin.id, [clearwater]);
    const asGrace = await signedIn(firm.app, firm.db, grace);
    const portal = await (await asGrace.get(`/portal?entity=${clearwater}`)).text();
    expect(portal).toContain(`action="/portal/entities/${clearwater}/files"`);

    const res = await asGrace.post(
      `/portal/entities/${clearwater}/files`,
      upload([
        { name: 'Bank statement.pdf', content: '%PDF-1.4\nstatement' },
        { name: 'setup.exe', content: 'MZ' },
      ]),
    );
    expect([res.status, res.headers.get('Location')]).toEqual([303, `/portal?entity=${clearwater}`]);
    const after = pageText(await (await asGrace.get(`/portal?entity=${clearwater}`)).text());
    expect(after).toContain('Uploaded: Bank statement.pdf. Not uploaded: “setup.exe” cannot be uploaded');
    const [file] = await filesIn(clearwater);
    const folder = await firm.db
      .selectFrom('folders')
      .selectAll()
      .where('id', '=', file!.folder_id!)
      .executeTakeFirstOrThrow();
    expect([file!.name, folder.name, file!.created_by_label]).toEqual([
      'Bank statement.pdf',
      'From clients',
      expect.stringContaining('Grace Hopper'),
    ]);
    const owner = await firm.db
      .selectFrom('role_bindings')
      .select(['user_id', 'role_id'])
      .where('scope_type', '=', 'item')
      .where('scope_id', '=', file!.id)
      .execute();
    expect(owner).toEqual([{ user_id: grace.id, role_id: 'contact_owner' }]);
    // She sees what she sent in her portal.
    expect(after).toContain('Bank statement.pdf');

    // The event is queued with the upload; its delivery queues one email to each: Mary and the administrator.
    const { 'mail.send': _send, ...others } = firm.assembly.host.jobs;
    await runUntilIdle(firm.db, others);
    const mails = await queuedMails(firm.db, 'client-upload');
    expect(mails.map((m) => m.to).sort()).toEqual([firm.admin.email, mary.email].sort());
    expect(mails[0]!.subject).toBe('Grace Hopper uploaded a file to Clearwater Holdings');
    expect(mails[0]!.text).toContain(`http://portico.test/entities/${clearwater}/files?folder=${folder.id}`);

    // Someone with Contact - Entity Access only may not upload; another client answers as missing.
    const reader = await buildContact(firm.db, clearwater);
    await bindAtEntity(firm.db, { userId: reader.id }, 'contact_entity_access', clearwater);
    const asReader = await signedIn(firm.app, firm.db, reader);
    expect(
      (await asReader.post(`/portal/entities/${clearwater}/files`, upload([{ name: 'x.txt', content: 'x' }])))
        .status,
    ).toBe(403);
    expect(
      (await asGrace.post(`/portal/entities/${harbour}/files`, upload([{ name: 'x.txt', content: 'x' }])))
        .status,
    ).toBe(404);
    expect(
      (await admin.post(`/portal/entities/${clearwater}/files`, upload([{ name: 'x.txt', content: 'x' }])))
        .status,
    ).toBe(403);
    expect(await filesIn(clearwater)).toHaveLength(1);

    // Grace is deleted: her file still says who uploaded and last changed it.
    expect((await admin.post(`/contacts/${grace.id}/delete`, { confirm: 'yes' })).status).toBe(303);
    expect(await firm.db.selectFrom('users').select('id').where('id', '=', grace.id).execute()).toEqual([]);
    const facts = pageText(await (await admin.get(`/files/${file!.id}`)).text());
    expect(facts).toMatch(/Uploaded.{0,40} by Grace HopperLast modified.{0,40} by Grace Hopper/);
  });

  it('a folder of thousands pages by name, date or size, counting only up to a cap', async () => {
    await admin.post(`/entities/${clearwater}/files/folders`, { folderName: 'Receipts' });
    const folder = await firm.db.selectFrom('folders').selectAll().executeTakeFirstOrThrow();
    const now = Date.now();
    const rows = Array.from({ length: COUNT_CAP + 60 }, (_, i) => {
      const name = `Receipt ${String(i).padStart(5, '0')}.pdf`;
      return {
        id: `receipt${i}`,
        entity_id: clearwater,
        folder_id: folder.id,
        place: folder.id,
        name,
        name_key: name.toLowerCase(),
        version: 1,
        sha256: 'a'.repeat(64),
        size: 1000 + ((i * 7) % 5000),
        content_type: 'application/pdf',
        created_by: null,
        created_by_label: 'Test',
        created_at: now - i * 1000,
        modified_by: null,
        modified_by_label: 'Test',
        modified_at: now - i * 1000,
      };
    });
    for (let i = 0; i < rows.length; i += 500)
      await firm.db
        .insertInto('files')
        .values(rows.slice(i, i + 500))
        .execute();
    const list = async (q: string) =>
      pageText(await (await admin.get(`/entities/${clearwater}/files?folder=${folder.id}&${q}`)).text());
    const first = await list('sort=name');
    expect(first).toContain(`Page 1 · more than ${COUNT_CAP.toLocaleString('en-GB')} in all`);
    expect(first).toContain('Receipt 00000.pdf');
    expect(first).toContain('Next page');
    const last = await list(`sort=name&page=${Math.ceil(rows.length / 50)}`);
    expect(last).toContain(`of ${Math.ceil(rows.length / 50)} · ${rows.length} in all`);
    expect(last).toContain(`Receipt ${String(rows.length - 1).padStart(5, '0')}.pdf`);
    expect(last).not.toContain('Next page');
    expect(await list('sort=date&dir=desc')).toContain('Receipt 00000.pdf');
    expect(await list('sort=date')).toContain(`Receipt ${String(rows.length - 1).padStart(5, '0')}.pdf`);
    const biggest = await list('sort=size&dir=desc');
    // The largest (5,999 bytes) come first.
    expect(biggest).toMatch(/ModifiedVersionReceipt \d{5}\.pdf6 KB/);
  });

  it('a folder downloads as one zip, streamed, with its subfolders, colliding names numbered, and only what the reader may read', async () => {
    await admin.post(`/entities/${clearwater}/files/folders`, { folderName: 'Tax 2025' });
    const tax = await firm.db.selectFrom('folders').selectAll().executeTakeFirstOrThrow();
    await admin.post(`/entities/${clearwater}/files/folders?folder=${tax.id}`, { folderName: 'Receipts' });
    const receipts = await firm.db
      .selectFrom('folders')
      .selectAll()
      .where('name', '=', 'Receipts')
      .executeTakeFirstOrThrow();
    await uploadAs(
      admin,
      clearwater,
      [{ name: 'Return.pdf', content: '%PDF-1.4\nreturn' }],
      `&folder=${tax.id}`,
    );
    await uploadAs(
      admin,
      clearwater,
      [
        { name: 'a.txt', content: 'first a' },
        { name: 'b.txt', content: 'b' },
      ],
      `&folder=${receipts.id}`,
    );
    // A second a.txt kept beside the first: inside the zip the names must still differ.
    await uploadAs(
      admin,
      clearwater,
      [{ name: 'A.txt', content: 'second a' }],
      `&folder=${receipts.id}`,
      'keep',
    );

    const res = await admin.get(`/folders/${tax.id}/zip`);
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/zip');
    expect(res.headers.get('Content-Disposition')).toBe(
      `attachment; filename="Tax 2025.zip"; filename*=UTF-8''Tax%202025.zip`,
    );
    const entries = await unzip(Buffer.from(await res.arrayBuffer()));
    expect(entries).toEqual({
      'Return.pdf': '%PDF-1.4\nreturn',
      'Receipts/a.txt': 'first a',
      'Receipts/A (2).txt': 'second a',
      'Receipts/b.txt': 'b',
    });
    const audit = await firm.db
      .selectFrom('audit_events')
      .select(['action', 'after_json'])
      .where('action', '=', 'folder.downloaded')
      .execute();
    expect(audit).toEqual([{ action: 'folder.downloaded', after_json: JSON.stringify({ files: 4 }) }]);
    // Each file in it counts as downloaded, as it would downloaded alone.
    const downloaded = await firm.db
      .selectFrom('audit_events')
      .select('object_label')
      .where('action', '=', 'file.downloaded')
      .execute();
    expect(downloaded.map((a) => a.object_label).sort()).toEqual([
      'A (2).txt',
      'Return.pdf',
      'a.txt',
      'b.txt',
    ]);

    // Someone who reads only one file of it gets only that file; someone who reads none, a missing folder.
    const reader = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: reader.id }, 'entity_access', clearwater);
    const b = (await filesIn(clearwater)).find((f) => f.name === 'b.txt')!;
    const asReader = await signedIn(firm.app, firm.db, reader);
    expect((await asReader.get(`/folders/${tax.id}/zip`)).status).toBe(404);
    await addBinding(firm.db, { userId: reader.id }, 'viewer', { type: 'item', id: b.id }, null);
    const one = await asReader.get(`/folders/${tax.id}/zip`);
    expect(await unzip(Buffer.from(await one.arrayBuffer()))).toEqual({ 'Receipts/b.txt': 'b' });

    // A contributor of the client's portal downloads the folder from the portal, as far as it is
    // shared with them; another client's folder, or the top level, answers as missing.
    const portal = await buildPortal(firm.db, 'Clearwater family', firm.admin.id, [clearwater]);
    const contributor = await buildContact(firm.db, clearwater);
    await addPortalMember(firm.db, portal, contributor.id, 'contributor');
    const asContributor = await signedIn(firm.app, firm.db, contributor);
    const zipOf = (folder: string) =>
      asContributor.get(`/portal/entities/${clearwater}/files/zip?folder=${folder}`);
    expect((await zipOf(tax.id)).status).toBe(404);
    await addBinding(
      firm.db,
      { userId: contributor.id },
      'contact_viewer',
      { type: 'folder', id: receipts.id },
      null,
    );
    const page = await (
      await asContributor.get(`/portal/entities/${clearwater}/files?folder=${receipts.id}`)
    ).text();
    expect(page).toContain(`href="/portal/entities/${clearwater}/files/zip?folder=${receipts.id}"`);
    const theirs = await zipOf(receipts.id);
    expect([theirs.status, theirs.headers.get('Content-Disposition')]).toEqual([
      200,
      `attachment; filename="Receipts.zip"; filename*=UTF-8''Receipts.zip`,
    ]);
    expect(await unzip(Buffer.from(await theirs.arrayBuffer()))).toEqual({
      'a.txt': 'first a',
      'A (2).txt': 'second a',
      'b.txt': 'b',
    });
    // Tax 2025 holds Receipts: its zip holds what of Receipts is theirs, and nothing else.
    expect(await unzip(Buffer.from(await (await zipOf(tax.id)).arrayBuffer()))).toEqual({
      'Receipts/a.txt': 'first a',
      'Receipts/A (2).txt': 'second a',
      'Receipts/b.txt': 'b',
    });
    // A folder shared with nothing in it yet: said on its page, no zip.
    await admin.post(`/entities/${clearwater}/files/folders`, { folderName: 'Empty' });
    const empty = (await firm.db.selectFrom('folders').selectAll().where('name', '=', 'Empty').execute())[0]!;
    await addBinding(
      firm.db,
      { userId: contributor.id },
      'contact_viewer',
      { type: 'folder', id: empty.id },
      null,
    );
    const nothing = await zipOf(empty.id);
    expect([nothing.status, nothing.headers.get('Location')]).toEqual([
      302,
      `/portal/entities/${clearwater}/files?folder=${empty.id}`,
    ]);
    const told = await asContributor.get(nothing.headers.get('Location')!);
    expect(pageText(await told.text())).toContain('There is nothing in “Empty” for you to download yet.');
    await admin.post(`/entities/${harbour}/files/folders`, { folderName: 'Elsewhere' });
    const elsewhere = (
      await firm.db.selectFrom('folders').selectAll().where('entity_id', '=', harbour).execute()
    )[0]!;
    expect(
      (await asContributor.get(`/portal/entities/${harbour}/files/zip?folder=${elsewhere.id}`)).status,
    ).toBe(404);
    expect((await asContributor.get(`/portal/entities/${clearwater}/files/zip`)).status).toBe(404);
  });

  describe('who may read a file', () => {
    let file: string;
    let other: string;
    let contact: User;

    beforeEach(async () => {
      await uploadAs(admin, clearwater, [
        { name: 'shared.txt', content: 'for the client' },
        { name: 'internal.txt', content: 'staff only' },
      ]);
      const rows = await filesIn(clearwater);
      file = rows.find((r) => r.name === 'shared.txt')!.id;
      other = rows.find((r) => r.name === 'internal.txt')!.id;
      contact = await buildContact(firm.db, clearwater);
    });

    const missing = 'x'.repeat(21);

    it('staff with no role on the client get exactly what a missing file gets, on every address', async () => {
      const stranger = await signedIn(firm.app, firm.db, await buildStaff(firm.db));
      for (const suffix of ['', '/download']) {
        const [refused, absent] = [
          await stranger.get(`/files/${file}${suffix}`),
          await stranger.get(`/files/${missing}${suffix}`),
        ];
        expect([refused.status, comparable(await refused.text())]).toEqual([
          absent.status,
          comparable(await absent.text()),
        ]);
        expect(refused.status).toBe(404);
      }
      expect((await stranger.get(`/entities/${clearwater}/files`)).status).toBe(404);
    });

    it('a contact reads a file shared with them only while an entity role admits them, and nothing else', async () => {
      const asContact = await signedIn(firm.app, firm.db, contact);
      await addBinding(firm.db, { userId: contact.id }, 'contact_viewer', { type: 'item', id: file }, null);
      const absent = await asContact.get(`/files/${missing}/download`);
      const unadmitted = await asContact.get(`/files/${file}/download`);
      const where = (res: Response, id: string) => res.headers.get('Location')?.replace(id, '<id>');
      expect([unadmitted.status, where(unadmitted, file)]).toEqual([absent.status, where(absent, missing)]);
      expect(unadmitted.status).not.toBe(200);

      // Without an entity role their session ended; once admitted they sign in again.
      await bindAtEntity(firm.db, { userId: contact.id }, 'contact_entity_access', clearwater);
      const admitted = await signedIn(firm.app, firm.db, contact);
      const shared = await admitted.get(`/files/${file}/download`);
      expect([shared.status, await shared.text()]).toEqual([200, 'for the client']);
      expect((await admitted.get(`/files/${other}/download`)).status).toBe(404);
      // Staff pages stay closed to contacts whatever they hold.
      expect((await admitted.get(`/files/${file}`)).status).not.toBe(200);
      expect((await admitted.get(`/entities/${clearwater}/files`)).status).not.toBe(200);

      // Still let in through another client, but no longer admitted to this one: the item role
      // stops counting on the next request.
      await bindAtEntity(firm.db, { userId: contact.id }, 'contact_entity_access', harbour);
      await firm.db
        .deleteFrom('role_bindings')
        .where('user_id', '=', contact.id)
        .where('scope_type', '=', 'entity')
        .where('scope_id', '=', clearwater)
        .execute();
      expect((await admitted.get(`/files/${file}/download`)).status).toBe(404);
    });

    it('a folder role covers what is in the folder; deleting the file takes its roles with it', async () => {
      await admin.post(`/entities/${clearwater}/files/folders`, { folderName: 'Shared' });
      const shared = await firm.db.selectFrom('folders').selectAll().executeTakeFirstOrThrow();
      await admin.post(`/files/${file}/move`, { to: shared.id });
      await bindAtEntity(firm.db, { userId: contact.id }, 'contact_entity_access', clearwater);
      await addBinding(
        firm.db,
        { userId: contact.id },
        'contact_viewer',
        { type: 'folder', id: shared.id },
        null,
      );
      const asContact = await signedIn(firm.app, firm.db, contact);
      expect((await asContact.get(`/files/${file}/download`)).status).toBe(200);
      expect((await asContact.get(`/files/${other}/download`)).status).toBe(404);

      await addBinding(firm.db, { userId: contact.id }, 'contact_viewer', { type: 'item', id: other }, null);
      await admin.post(`/files/${other}/delete`, { confirm: 'yes' });
      const left = await firm.db
        .selectFrom('role_bindings')
        .select('scope_id')
        .where('scope_type', '=', 'item')
        .execute();
      expect(left).toEqual([]);
    });
  });
});
