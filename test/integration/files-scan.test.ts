/**
 * Virus scanning of uploads through the real routes, against a real clamd (test/helpers/clamd.ts):
 * infected content is refused with nothing kept; while clamd is down an upload waits as pending,
 * marked "Being checked" for staff, downloadable by no one, and invisible to contacts (a missing
 * file, as far as they can tell), until the rescan job passes it, or removes it when infected.
 * The app reaches clamd through a symlink to its socket: removing the link is clamd going down.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { addBinding } from '../../src/permissions/queries.js';
import { DiskBlobStore } from '../../src/storage/disk.js';
import { type Client, pageText } from '../helpers/app.js';
import { clamdMissing, EICAR, EICAR_SIGNATURE, startClamd, type TestClamd } from '../helpers/clamd.js';
import { DIALECTS } from '../helpers/db.js';
import { buildContact, buildEntity, buildPortal, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { queuedMails, runSchedules, runUntilIdle } from '../helpers/jobs.js';
import { uploadWhole } from '../helpers/tus.js';

const sha = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

function upload(files: { name: string; content: string }[]): FormData {
  const form = new FormData();
  for (const f of files) form.append('files', new File([f.content], f.name));
  return form;
}

describe.skipIf(clamdMissing())('virus scanning of uploads', () => {
  let clamd: TestClamd;
  // Smaller than the uploads' own limit (64 KB), so a file can be too large for clamd alone.
  beforeAll(async () => {
    clamd = await startClamd({ streamMaxLength: '32K' });
  });
  afterAll(() => clamd?.stop());

  describe.each(DIALECTS)('(%s)', (dialect) => {
    let dataDir: string;
    let link: string;
    const firm = useFirm(dialect, {
      config: () => {
        dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-scan-'));
        link = path.join(dataDir, 'clamd.ctl');
        fs.symlinkSync(clamd.unix.path, link);
        return {
          dataDir,
          files: { maxBytes: 64 * 1024, blockedExtensions: ['exe'] },
          clamd: { kind: 'unix', path: link },
        };
      },
    });
    afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));
    const clamdDown = () => fs.rmSync(link);
    const clamdUp = () => fs.symlinkSync(clamd.unix.path, link);
    const blobs = () => new DiskBlobStore(dataDir);

    let clearwater: string;
    let admin: Client;
    let grace: User;
    let asGrace: Client;
    beforeEach(async () => {
      clearwater = await buildEntity(firm.db, 'Clearwater Holdings');
      admin = await signedIn(firm.app, firm.db, firm.admin);
      // Grace sees every file of Clearwater: a full-access member of its portal.
      const portal = await buildPortal(firm.db, 'Clearwater family', firm.admin.id, [clearwater]);
      grace = await buildContact(firm.db, clearwater);
      await addBinding(
        firm.db,
        { userId: grace.id },
        'portal_full_access',
        { type: 'portal', id: portal },
        null,
      );
      asGrace = await signedIn(firm.app, firm.db, grace);
    });

    const uploadAs = (client: Client, files: { name: string; content: string }[]) =>
      client.post(`/entities/${clearwater}/files`, upload(files));
    const filesIn = () =>
      firm.db.selectFrom('files').selectAll().where('entity_id', '=', clearwater).orderBy('name').execute();
    const portalFiles = async () => {
      const html = await (await asGrace.get(`/portal?entity=${clearwater}`)).text();
      const section = html.match(/<section aria-label="Files">(.*?)<\/section>/)?.[1] ?? '';
      return [...section.matchAll(/\/download"[^>]*>([^<]+)</g)].map((m) => m[1]).sort();
    };
    const audited = (action: string) =>
      firm.db.selectFrom('audit_events').selectAll().where('action', '=', action).execute();
    // Each run a minute after the last: a schedule runs once in each of its periods.
    let minutes = 0;
    const rescan = () => runSchedules(firm.db, firm.assembly.host, Date.now() + ++minutes * 60_000);

    it('refuses an infected file beside the others with a clear reason, writes no row, keeps no content, and logs it', async () => {
      const res = await uploadAs(admin, [
        { name: 'invoice.txt', content: `pay now ${EICAR}` },
        { name: 'notes.txt', content: 'quarterly notes' },
      ]);
      expect(res.status).toBe(200);
      const text = pageText(await res.text());
      expect(text).toContain(`“invoice.txt” was refused: the virus check found ${EICAR_SIGNATURE} in it.`);
      expect(text).toContain('Uploaded: notes.txt.');
      const rows = await filesIn();
      expect(rows.map((r) => [r.name, r.scan_status])).toEqual([['notes.txt', 'clean']]);
      expect(await blobs().stat(sha(`pay now ${EICAR}`))).toBeNull();
      expect(await blobs().stat(sha('quarterly notes'))).not.toBeNull();
      const [line] = await audited('file.infected_refused');
      expect([line?.actor_id, line?.object_label, JSON.parse(line?.after_json ?? '{}').virus]).toEqual([
        firm.admin.id,
        'invoice.txt',
        EICAR_SIGNATURE,
      ]);
      const contents = await firm.db.selectFrom('file_versions').select('sha256').execute();
      expect(contents.map((v) => v.sha256)).toEqual([sha('quarterly notes')]);
    });

    it('a resumable upload is checked as the plain form’s: infected refused with nothing kept, pending while clamd is down', async () => {
      const endpoint = `/entities/${clearwater}/uploads`;
      const infected = new TextEncoder().encode(`pay now ${EICAR}`);
      const refused = await uploadWhole(admin, endpoint, 'invoice.txt', infected);
      const outcome = (await (await admin.get(refused)).json()) as { state: string; message: string };
      expect(outcome).toEqual({
        state: 'refused',
        message: `“invoice.txt” was refused: the virus check found ${EICAR_SIGNATURE} in it. Nothing of it was kept.`,
      });
      expect(await filesIn()).toEqual([]);
      expect(await blobs().stat(sha(`pay now ${EICAR}`))).toBeNull();
      expect(await audited('file.infected_refused')).toHaveLength(1);

      clamdDown();
      const waiting = await uploadWhole(
        admin,
        endpoint,
        'waiting.txt',
        new TextEncoder().encode('not checked'),
      );
      expect(((await (await admin.get(waiting)).json()) as { message: string }).message).toBe(
        'waiting.txt (being checked for viruses)',
      );
      const [file] = await filesIn();
      expect(file?.scan_status).toBe('pending');
      // Nothing unchecked is previewed or downloaded, for staff either.
      expect((await admin.get(`/files/${file!.id}/download`)).status).toBe(409);
      expect((await admin.get(`/files/${file!.id}/thumbnail`)).status).toBe(404);
      expect((await asGrace.get(`/files/${file!.id}/download`)).status).toBe(404);
      clamdUp();
      await rescan();
      expect((await filesIn())[0]?.scan_status).toBe('clean');
    });

    it('refuses a file larger than clamd will check, keeping nothing, rather than keep what no one checked', async () => {
      const big = 'x'.repeat(40 * 1024);
      const res = await uploadAs(admin, [{ name: 'scan.txt', content: big }]);
      expect(res.status).toBe(422);
      expect(pageText(await res.text())).toContain(
        '“scan.txt” is too large for the virus check and was not kept.',
      );
      expect(await filesIn()).toEqual([]);
      expect(await blobs().stat(sha(big))).toBeNull();
    });

    it('lists a clean upload to staff and to the contact, and both download it', async () => {
      expect((await uploadAs(admin, [{ name: 'report.txt', content: 'all fine' }])).status).toBe(303);
      const [file] = await filesIn();
      expect([file?.scan_status, await portalFiles()]).toEqual(['clean', ['report.txt']]);
      expect(pageText(await (await admin.get(`/entities/${clearwater}/files`)).text())).not.toContain(
        'Being checked',
      );
      for (const who of [admin, asGrace]) {
        const res = await who.get(`/files/${file!.id}/download`);
        expect([res.status, await res.text()]).toEqual([200, 'all fine']);
      }
    });

    it('while clamd is down an upload waits: staff see it being checked, no one downloads it, the contact finds nothing', async () => {
      expect((await uploadAs(admin, [{ name: 'ready.txt', content: 'checked earlier' }])).status).toBe(303);
      clamdDown();
      const res = await uploadAs(admin, [{ name: 'waiting.txt', content: 'not checked yet' }]);
      expect(res.status).toBe(303);
      const [ready, waiting] = await filesIn();
      expect([ready?.scan_status, waiting?.scan_status]).toEqual(['clean', 'pending']);
      const version = await firm.db
        .selectFrom('file_versions')
        .select('scan_status')
        .where('file_id', '=', waiting!.id)
        .executeTakeFirstOrThrow();
      expect(version.scan_status).toBe('pending');

      // Staff: listed and on its page with the label; the download is refused, calmly.
      const list = await (await admin.get(`/entities/${clearwater}/files`)).text();
      expect(pageText(list)).toContain('Uploaded: waiting.txt (being checked for viruses).');
      expect(list).toMatch(/waiting\.txt<\/a> <span class="status-label[^"]*">Being checked<\/span>/);
      expect(list).not.toMatch(/ready\.txt<\/a> <span/);
      expect(pageText(await (await admin.get(`/files/${waiting!.id}`)).text())).toContain(
        'waiting.txt Being checked',
      );
      const refused = await admin.get(`/files/${waiting!.id}/download`);
      expect(refused.status).toBe(409);
      expect(pageText(await refused.text())).toContain('has not yet passed the virus check');
      expect((await admin.get(`/files/${waiting!.id}/download?version=1`)).status).toBe(409);

      // The contact: not in the portal, and its id answers as a missing one does.
      expect(await portalFiles()).toEqual(['ready.txt']);
      const missing = await asGrace.get(`/files/${crypto.randomUUID()}/download`);
      const hidden = await asGrace.get(`/files/${waiting!.id}/download`);
      expect([hidden.status, pageText(await hidden.text())]).toEqual([
        missing.status,
        pageText(await missing.text()),
      ]);
      expect(hidden.status).toBe(404);
      expect((await asGrace.get(`/files/${waiting!.id}/download?version=1`)).status).toBe(404);

      // Nor in a zip of the folder it is in, for anyone.
      await admin.post(`/entities/${clearwater}/files/folders`, { folderName: 'Year end' });
      const folder = await firm.db.selectFrom('folders').selectAll().executeTakeFirstOrThrow();
      for (const f of [ready!, waiting!]) await admin.post(`/files/${f.id}/move`, { to: folder.id });
      const zip = Buffer.from(await (await admin.get(`/folders/${folder.id}/zip`)).arrayBuffer());
      expect(zip.includes('ready.txt')).toBe(true);
      expect(zip.includes('waiting.txt')).toBe(false);
    });

    it('a new version uploaded while clamd is down hides the file from the contact until the rescan passes it', async () => {
      expect((await uploadAs(admin, [{ name: 'accounts.txt', content: 'version one' }])).status).toBe(303);
      clamdDown();
      expect((await uploadAs(admin, [{ name: 'accounts.txt', content: 'version two' }])).status).toBe(303);
      const [file] = await filesIn();
      expect([file?.version, file?.scan_status, await portalFiles()]).toEqual([2, 'pending', []]);
      // Staff still download the version that passed.
      expect(await (await admin.get(`/files/${file!.id}/download?version=1`)).text()).toBe('version one');

      // Still down: the job leaves it waiting.
      await rescan();
      expect((await filesIn())[0]?.scan_status).toBe('pending');

      clamdUp();
      await rescan();
      const [after] = await filesIn();
      expect([after?.version, after?.scan_status, await portalFiles()]).toEqual([
        2,
        'clean',
        ['accounts.txt'],
      ]);
      const res = await asGrace.get(`/files/${file!.id}/download`);
      expect([res.status, await res.text()]).toEqual([200, 'version two']);
      const versions = await firm.db.selectFrom('file_versions').select('scan_status').execute();
      expect(versions.map((v) => v.scan_status)).toEqual(['clean', 'clean']);
    });

    it('a client’s upload while clamd is down tells the firm it is still being checked', async () => {
      clamdDown();
      const sent = await asGrace.post(
        `/portal/entities/${clearwater}/files`,
        upload([{ name: 'bank.txt', content: 'statement' }]),
      );
      expect(sent.status).toBe(303);
      const { 'mail.send': _send, ...others } = firm.assembly.host.jobs;
      await runUntilIdle(firm.db, others);
      const [mail] = await queuedMails(firm.db, 'client-upload');
      expect(mail?.to).toBe(firm.admin.email);
      expect(mail?.text).toContain(
        'bank.txt is still being checked for viruses, and can be downloaded once the check passes.',
      );
    });

    it('the rescan removes infected pending content: the file it alone made, the version it added, and the content', async () => {
      expect((await uploadAs(admin, [{ name: 'ledger.txt', content: 'clean ledger' }])).status).toBe(303);
      clamdDown();
      const infected = `ledger ${EICAR}`;
      await uploadAs(admin, [
        { name: 'ledger.txt', content: infected },
        { name: 'payload.txt', content: infected },
      ]);
      expect((await filesIn()).map((f) => [f.name, f.version, f.scan_status])).toEqual([
        ['ledger.txt', 2, 'pending'],
        ['payload.txt', 1, 'pending'],
      ]);
      clamdUp();
      // Uploaded again now clamd answers: refused, but the content stays while pending rows point at it.
      const again = await uploadAs(admin, [{ name: 'again.txt', content: infected }]);
      expect(pageText(await again.text())).toContain('“again.txt” was refused');
      expect(await blobs().stat(sha(infected))).not.toBeNull();

      await rescan();
      const rows = await filesIn();
      expect(rows.map((f) => [f.name, f.version, f.scan_status, f.sha256])).toEqual([
        ['ledger.txt', 1, 'clean', sha('clean ledger')],
      ]);
      const versions = await firm.db.selectFrom('file_versions').select(['number', 'sha256']).execute();
      expect(versions).toEqual([{ number: 1, sha256: sha('clean ledger') }]);
      expect(await blobs().stat(sha(infected))).toBeNull();
      const removed = await audited('file.infected_removed');
      expect(removed.map((r) => [r.object_label, r.actor_label]).sort()).toEqual([
        ['ledger.txt', 'System'],
        ['payload.txt', 'System'],
      ]);
      // The next upload of that name is version 2 again, as if the infected one never was.
      expect((await uploadAs(admin, [{ name: 'ledger.txt', content: 'ledger, fixed' }])).status).toBe(303);
      expect((await filesIn())[0]?.version).toBe(2);
    });

    it('a contact’s upload while clamd is down is told it appears once checked, and does not appear before', async () => {
      const carol = await buildContact(firm.db, clearwater);
      await addBinding(
        firm.db,
        { userId: carol.id },
        'contact_entity_collaborator',
        { type: 'entity', id: clearwater },
        null,
      );
      const asCarol = await signedIn(firm.app, firm.db, carol);
      clamdDown();
      const res = await asCarol.post(
        `/portal/entities/${clearwater}/files`,
        upload([{ name: 'receipts.txt', content: 'receipts' }]),
      );
      expect(res.status).toBe(303);
      const page = pageText(await (await asCarol.get(`/portal?entity=${clearwater}`)).text());
      expect(page).toContain('It appears in your files once it has passed the virus check.');
      expect(await portalFiles()).toEqual([]);
      clamdUp();
      await rescan();
      expect(await portalFiles()).toEqual(['receipts.txt']);
    });
  });
});

describe.each(DIALECTS)('without CLAMD_URL (%s)', (dialect) => {
  let dataDir: string;
  const firm = useFirm(dialect, {
    config: () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-noscan-'));
      return { dataDir };
    },
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('stores every upload as it always did: clean, listed and downloadable, with nothing to check it against', async () => {
    const clearwater = await buildEntity(firm.db, 'Clearwater Holdings');
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const res = await admin.post(
      `/entities/${clearwater}/files`,
      upload([{ name: 'test.txt', content: EICAR }]),
    );
    expect(res.status).toBe(303);
    const file = await firm.db.selectFrom('files').selectAll().executeTakeFirstOrThrow();
    expect(file.scan_status).toBe('clean');
    expect(await (await admin.get(`/files/${file.id}/download`)).text()).toBe(EICAR);
  });
  it('reads files stored before virus scanning existed as clean (migration 0019)', async () => {
    const clearwater = await buildEntity(firm.db, 'Clearwater Holdings');
    const row = { entity_id: clearwater, place: '', name: 'old.txt', name_key: 'old.txt', version: 1 };
    const content = { sha256: sha('old'), size: 3, content_type: 'text/plain' };
    const by = { created_by: null, created_by_label: 'Ada', created_at: 1, modified_by: null };
    // As the code before 0019 wrote them: no scan state named.
    await firm.db
      .insertInto('files')
      .values({
        id: 'f1',
        folder_id: null,
        ...row,
        ...content,
        ...by,
        modified_by_label: 'Ada',
        modified_at: 1,
      })
      .execute();
    await firm.db
      .insertInto('file_versions')
      .values({
        id: 'v1',
        file_id: 'f1',
        number: 1,
        name: 'old.txt',
        ...content,
        uploaded_by: null,
        uploaded_by_label: 'Ada',
        uploaded_at: 1,
      })
      .execute();
    const file = await firm.db.selectFrom('files').select('scan_status').executeTakeFirstOrThrow();
    const version = await firm.db.selectFrom('file_versions').select('scan_status').executeTakeFirstOrThrow();
    expect([file.scan_status, version.scan_status]).toEqual(['clean', 'clean']);
  });
});
