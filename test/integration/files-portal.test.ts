import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { nameKey } from '../../src/files/names.js';
import { generateId } from '../../src/kernel/tokens.js';
import { addBinding } from '../../src/permissions/queries.js';
import { type Client, comparable, fieldError, pageText } from '../helpers/app.js';
import {
  addPortalMember,
  bindAtEntity,
  buildContact,
  buildEntity,
  buildPortal,
  signedIn,
} from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { DIALECTS_AND_STORES, useStore } from '../helpers/stores.js';
import { sendChunk, startUpload } from '../helpers/tus.js';
import { unzip } from '../helpers/zip.js';

function upload(files: { name: string; content: string }[]): FormData {
  const form = new FormData();
  for (const f of files) form.append('files', new File([f.content], f.name));
  return form;
}

/** The names a listing shows, folders and files, in its order. */
const listed = (html: string) =>
  [...(html.match(/<tbody[^>]*>(.*?)<\/tbody>/s)?.[1] ?? '').matchAll(/<a href="[^"]*"[^>]*>(.*?)<\/a>/g)]
    .map((m) => pageText(m[1]!).replace('📁 ', '').replace(' (folder)', '/'))
    .filter((name) => !name.startsWith('Download'));

describe.each(DIALECTS_AND_STORES)('files in the portal (%s, %s)', (dialect, storeKind) => {
  const store = useStore(storeKind);
  const firm = useFirm(dialect, {
    config: () => ({ ...store.config(), files: { maxBytes: 64 * 1024, blockedExtensions: ['exe'] } }),
  });
  let clearwater: string;
  let harbour: string;
  let admin: Client;
  let grace: User;
  let asGrace: Client;
  const folders: Record<string, string> = {};
  const files: Record<string, string> = {};

  async function folder(name: string, parent?: string) {
    await admin.post(`/entities/${clearwater}/files/folders${parent ? `?folder=${parent}` : ''}`, {
      folderName: name,
    });
    const row = await firm.db
      .selectFrom('folders')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    folders[name] = row.id;
    return row.id;
  }

  async function file(name: string, content: string, where?: string) {
    await admin.post(
      `/entities/${clearwater}/files${where ? `?folder=${where}` : ''}`,
      upload([{ name, content }]),
    );
    const row = await firm.db
      .selectFrom('files')
      .select('id')
      .where('name', '=', name)
      .executeTakeFirstOrThrow();
    files[name] = row.id;
    return row.id;
  }

  /** A folder of the other client, Harbour Trust. */
  async function harbourFolder() {
    await admin.post(`/entities/${harbour}/files/folders`, { folderName: 'Harbour' });
    return firm.db
      .selectFrom('folders')
      .select('id')
      .where('entity_id', '=', harbour)
      .executeTakeFirstOrThrow();
  }

  const share = (userId: string, roleId: string, scope: { type: 'item' | 'folder'; id: string }) =>
    addBinding(firm.db, { userId }, roleId, scope, null);

  // Staff's tree: 2025 holds a summary and Tax, which holds two returns; Internal holds notes; a letter sits at the top.
  beforeEach(async () => {
    clearwater = await buildEntity(firm.db, 'Clearwater Holdings');
    harbour = await buildEntity(firm.db, 'Harbour Trust');
    admin = await signedIn(firm.app, firm.db, firm.admin);
    await folder('2025');
    await folder('Tax', folders['2025']);
    await folder('Internal');
    await file('Return.txt', 'return', folders.Tax);
    await file('Workings.txt', 'workings', folders.Tax);
    await file('Notes.txt', 'notes', folders.Internal);
    await file('Summary.txt', 'summary', folders['2025']);
    await file('Letter.txt', 'letter');
    grace = await buildContact(firm.db, clearwater, { firstName: 'Grace', lastName: 'Hopper' });
    asGrace = await signedIn(firm.app, firm.db, grace);
  });

  it('a contact opens the folders shared with them and the way down to them, and nothing else', async () => {
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', clearwater);
    await share(grace.id, 'contact_viewer', { type: 'folder', id: folders.Tax! });
    await share(grace.id, 'contact_viewer', { type: 'item', id: files['Letter.txt']! });
    const filesPage = (query = '') => asGrace.get(`/portal/entities/${clearwater}/files${query}`);

    const top = await filesPage();
    expect(top.status).toBe(200);
    expect(listed(await top.text())).toEqual(['2025/', 'Letter.txt']);
    // On the way down, a folder shows only the way: 2025 holds Tax and nothing of its own.
    expect(listed(await (await filesPage(`?folder=${folders['2025']}`)).text())).toEqual(['Tax/']);
    const tax = await (await filesPage(`?folder=${folders.Tax}`)).text();
    expect(listed(tax)).toEqual(['Return.txt', 'Workings.txt']);
    expect(pageText(tax)).toContain('Files2025Tax');
    // Sorted by size, largest first, as the column heading asks.
    expect(listed(await (await filesPage(`?folder=${folders.Tax}&sort=size&dir=desc`)).text())).toEqual([
      'Workings.txt',
      'Return.txt',
    ]);

    // A folder not theirs, another client's, or none at all: one answer.
    const other = await harbourFolder();
    const missing = await filesPage('?folder=no-such-folder');
    expect(missing.status).toBe(404);
    const body = comparable(await missing.text());
    for (const id of [folders.Internal, other.id]) {
      const res = await filesPage(`?folder=${id}`);
      expect([res.status, comparable(await res.text())]).toEqual([404, body]);
    }
    expect((await asGrace.get(`/portal/entities/${harbour}/files`)).status).toBe(404);
    // Staff are refused the client's side.
    expect((await admin.get(`/portal/entities/${clearwater}/files`)).status).toBe(403);

    // A file still being checked is listed to no contact, and its page answers as missing.
    await firm.db
      .updateTable('files')
      .set({ scan_status: 'pending' })
      .where('id', '=', files['Workings.txt']!)
      .execute();
    expect(listed(await (await filesPage(`?folder=${folders.Tax}`)).text())).toEqual(['Return.txt']);
    expect((await asGrace.get(`/portal/files/${files['Workings.txt']}`)).status).toBe(404);
    expect((await asGrace.get(`/portal/files/${files['Notes.txt']}`)).status).toBe(404);

    // Without an entity role here (she still sees another client), the folder role opens nothing.
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', harbour);
    await firm.db
      .deleteFrom('role_bindings')
      .where('scope_type', '=', 'entity')
      .where('scope_id', '=', clearwater)
      .execute();
    expect((await filesPage(`?folder=${folders.Tax}`)).status).toBe(404);
  });

  it('a portal member with full access opens every folder, named all the way down, and no other client’s', async () => {
    const portal = await buildPortal(firm.db, 'Clearwater family', firm.admin.id, [clearwater]);
    await addPortalMember(firm.db, portal, grace.id, 'full');
    const member = await signedIn(firm.app, firm.db, grace);
    const filesPage = (query = '') => member.get(`/portal/entities/${clearwater}/files${query}`);
    expect(listed(await (await filesPage()).text())).toEqual(['2025/', 'Internal/', 'Letter.txt']);
    const tax = await (await filesPage(`?folder=${folders.Tax}`)).text();
    expect(listed(tax)).toEqual(['Return.txt', 'Workings.txt']);
    expect(pageText(tax)).toContain('Files2025Tax');
    expect(listed(await (await filesPage(`?folder=${folders.Internal}`)).text())).toEqual(['Notes.txt']);

    const other = await harbourFolder();
    const missing = await filesPage('?folder=no-such-folder');
    const elsewhere = await filesPage(`?folder=${other.id}`);
    expect([elsewhere.status, comparable(await elsewhere.text())]).toEqual([
      404,
      comparable(await missing.text()),
    ]);
  });

  it('a folder role opens its folder, its zip and the portal home however many folders the client has', async () => {
    // More folders than any cap a listing of them once had, made before the one shared.
    const now = Date.now();
    const many = Array.from({ length: 2500 }, (_, i) => ({
      id: generateId(),
      entity_id: clearwater,
      parent_id: null,
      place: '',
      path: '',
      name: `Archive ${i}`,
      name_key: nameKey(`Archive ${i}`),
      created_by: firm.admin.id,
      created_by_label: 'Admin',
      created_at: now,
      updated_at: now,
    }));
    for (let i = 0; i < many.length; i += 500)
      await firm.db
        .insertInto('folders')
        .values(many.slice(i, i + 500))
        .execute();
    const late = await folder('Late');
    const deeper = await folder('Deeper', late);
    await file('Late.txt', 'late', late);
    await file('Deep.txt', 'deep', deeper);
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', clearwater);
    await share(grace.id, 'contact_viewer', { type: 'folder', id: late });

    expect(listed(await (await asGrace.get(`/portal/entities/${clearwater}/files`)).text())).toEqual([
      'Late/',
    ]);
    const opened = await (await asGrace.get(`/portal/entities/${clearwater}/files?folder=${deeper}`)).text();
    expect(listed(opened)).toEqual(['Deep.txt']);
    expect(pageText(opened)).toContain('FilesLateDeeper');
    const home = pageText(await (await asGrace.get(`/portal?entity=${clearwater}`)).text());
    expect(home).toContain('Late.txt');
    expect(home).toContain('Deep.txt');
    const zip = await asGrace.get(`/portal/entities/${clearwater}/files/zip?folder=${late}`);
    expect(zip.status).toBe(200);
    expect(await unzip(Buffer.from(await zip.arrayBuffer()))).toEqual({
      'Late.txt': 'late',
      'Deeper/Deep.txt': 'deep',
    });
    // Staff see every one of them on the folder list's first page.
    const staffTop = pageText(await (await admin.get(`/entities/${clearwater}/files`)).text());
    for (const name of ['Archive 0', 'Archive 2499', 'Internal', 'Late']) expect(staffTop).toContain(name);
    const staffZip = await admin.get(`/folders/${deeper}/zip`);
    expect(await unzip(Buffer.from(await staffZip.arrayBuffer()))).toEqual({ 'Deep.txt': 'deep' });
  });

  it('a collaborator sends files into the folder they are looking at, or into “From clients” from the top', async () => {
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_collaborator', clearwater);
    await share(grace.id, 'contact_viewer', { type: 'folder', id: folders.Tax! });
    const tax = await (
      await asGrace.get(`/portal/entities/${clearwater}/files?folder=${folders.Tax}`)
    ).text();
    expect(tax).toContain(
      `action="/portal/entities/${clearwater}/files?folder=${folders.Tax}&amp;back=files"`,
    );
    expect(pageText(tax)).toContain('They go into this folder, “Tax”.');

    const sent = await asGrace.post(
      `/portal/entities/${clearwater}/files?folder=${folders.Tax}&back=files`,
      upload([{ name: 'Receipts.txt', content: 'receipts' }]),
    );
    expect([sent.status, sent.headers.get('Location')]).toEqual([
      303,
      `/portal/entities/${clearwater}/files?folder=${folders.Tax}`,
    ]);
    const receipts = await firm.db
      .selectFrom('files')
      .selectAll()
      .where('name', '=', 'Receipts.txt')
      .executeTakeFirstOrThrow();
    expect(receipts.folder_id).toBe(folders.Tax);
    const owner = await firm.db
      .selectFrom('role_bindings')
      .select(['user_id', 'role_id'])
      .where('scope_id', '=', receipts.id)
      .execute();
    expect(owner).toEqual([{ user_id: grace.id, role_id: 'contact_owner' }]);
    const announced = await firm.db
      .selectFrom('jobs')
      .select('payload')
      .where('kind', '=', 'event.dispatch')
      .execute();
    expect(announced.map((e) => JSON.parse(e.payload).payload.folderId)).toEqual([folders.Tax]);

    // From the top level of the Files page: into “From clients”, and back to the Files page.
    const fromTop = await asGrace.post(
      `/portal/entities/${clearwater}/files?back=files`,
      upload([{ name: 'ID.txt', content: 'id' }]),
    );
    expect(fromTop.headers.get('Location')).toBe(`/portal/entities/${clearwater}/files`);
    const id = await firm.db
      .selectFrom('files')
      .innerJoin('folders', 'folders.id', 'files.folder_id')
      .select('folders.name')
      .where('files.name', '=', 'ID.txt')
      .executeTakeFirstOrThrow();
    expect(id.name).toBe('From clients');

    // Into a folder they may not open: as if it were not there, and nothing is added.
    const before = await firm.db.selectFrom('files').select('id').execute();
    const refused = await asGrace.post(
      `/portal/entities/${clearwater}/files?folder=${folders.Internal}`,
      upload([{ name: 'Sneaky.txt', content: 'x' }]),
    );
    expect(refused.status).toBe(404);
    expect(
      (
        await startUpload(asGrace, `/portal/entities/${clearwater}/uploads`, 1, {
          filename: 'Sneaky.txt',
          folder: folders.Internal!,
        })
      ).status,
    ).toBe(404);
    expect(await firm.db.selectFrom('files').select('id').execute()).toEqual(before);

    // A reader (Contact - Entity Access) sees Tax but has no upload form and is refused one.
    const reader = await buildContact(firm.db, clearwater);
    await bindAtEntity(firm.db, { userId: reader.id }, 'contact_entity_access', clearwater);
    await share(reader.id, 'contact_viewer', { type: 'folder', id: folders.Tax! });
    const asReader = await signedIn(firm.app, firm.db, reader);
    const readerTax = await asReader.get(`/portal/entities/${clearwater}/files?folder=${folders.Tax}`);
    expect(await readerTax.text()).not.toContain('Send files to the firm');
    expect(
      (
        await asReader.post(
          `/portal/entities/${clearwater}/files?folder=${folders.Tax}`,
          upload([{ name: 'x.txt', content: 'x' }]),
        )
      ).status,
    ).toBe(403);
  });

  it('a contact adds a new version of a file they may change, when they choose to; of one they only read, they are told to keep both', async () => {
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_collaborator', clearwater);
    await share(grace.id, 'contact_viewer', { type: 'item', id: files['Return.txt']! });
    await share(grace.id, 'contact_editor', { type: 'item', id: files['Workings.txt']! });
    const tax = `/portal/entities/${clearwater}/files?folder=${folders.Tax}`;
    const form = (name: string, content: string, sameName?: 'version' | 'keep') => {
      const f = upload([{ name, content }]);
      if (sameName) f.append('sameName', sameName);
      return f;
    };
    const said = async (res: Response) =>
      pageText(await (await asGrace.get(res.headers.get('Location')!)).text());
    const row = (id: string) =>
      firm.db.selectFrom('files').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    const rolesOn = (id: string) =>
      firm.db.selectFrom('role_bindings').select(['user_id', 'role_id']).where('scope_id', '=', id).execute();

    // The form offers the choice, keeping both unless they say otherwise.
    const page = await (await asGrace.get(tax)).text();
    expect(page).toMatch(/<input[^>]*name="sameName"[^>]*value="keep"[^>]*checked/);

    const versioned = await asGrace.post(`${tax}&back=files`, form('WORKINGS.txt', 'second', 'version'));
    expect(await said(versioned)).toContain('Uploaded: Workings.txt (version 2).');
    const workings = await row(files['Workings.txt']!);
    expect([workings.version, workings.modified_by, workings.created_by]).toEqual([
      2,
      grace.id,
      firm.admin.id,
    ]);
    // Changing it makes her no more than she was: its Contact - Editor, not its owner.
    expect(await rolesOn(workings.id)).toEqual([{ user_id: grace.id, role_id: 'contact_editor' }]);
    expect(await (await asGrace.get(`/files/${workings.id}/download`)).text()).toBe('second');

    const refused = await asGrace.post(`${tax}&back=files`, form('Return.txt', 'mine', 'version'));
    expect(await said(refused)).toContain(
      '“Return.txt” is already here, and you may not add versions of it. Upload it as a separate file (keep both) instead.',
    );
    expect((await row(files['Return.txt']!)).version).toBe(1);

    await asGrace.post(`${tax}&back=files`, form('Return.txt', 'mine'));
    const kept = await firm.db
      .selectFrom('files')
      .selectAll()
      .where('name', '=', 'Return (2).txt')
      .executeTakeFirstOrThrow();
    expect(await rolesOn(kept.id)).toEqual([{ user_id: grace.id, role_id: 'contact_owner' }]);

    // The same choice travels with a resumable upload.
    const url = (
      await startUpload(asGrace, `/portal/entities/${clearwater}/uploads`, 5, {
        filename: 'Workings.txt',
        folder: folders.Tax!,
        sameName: 'version',
      })
    ).headers.get('Location')!;
    expect((await sendChunk(asGrace, url, 0, new TextEncoder().encode('third'))).status).toBe(204);
    expect((await row(files['Workings.txt']!)).version).toBe(3);

    // The firm is told of the version as such.
    const announced = await firm.db
      .selectFrom('jobs')
      .select('payload')
      .where('kind', '=', 'event.dispatch')
      .execute();
    const names = announced.flatMap((e) =>
      JSON.parse(e.payload).payload.files.map((f: { name: string }) => f.name),
    );
    expect(names).toEqual(['Workings.txt (version 2)', 'Return (2).txt', 'Workings.txt (version 3)']);
  });

  it('Contact - Owner renames and deletes what they sent; an editor only renames; a viewer does neither', async () => {
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_collaborator', clearwater);
    await asGrace.post(
      `/portal/entities/${clearwater}/files`,
      upload([{ name: 'Mine.txt', content: 'mine' }]),
    );
    const mine = await firm.db
      .selectFrom('files')
      .selectAll()
      .where('name', '=', 'Mine.txt')
      .executeTakeFirstOrThrow();
    await share(grace.id, 'contact_editor', { type: 'item', id: files['Return.txt']! });
    await share(grace.id, 'contact_viewer', { type: 'item', id: files['Letter.txt']! });

    const ownPage = await (await asGrace.get(`/portal/files/${mine.id}`)).text();
    expect(ownPage).toContain(`action="/portal/files/${mine.id}/rename"`);
    expect(ownPage).toContain(`action="/portal/files/${mine.id}/delete"`);
    expect(ownPage).toContain(`href="/files/${mine.id}/download"`);

    // A name already in the folder is refused beside the field, keeping what was typed.
    await asGrace.post(`/portal/entities/${clearwater}/files`, upload([{ name: 'Other.txt', content: 'o' }]));
    const clash = await asGrace.post(`/portal/files/${mine.id}/rename`, { name: 'other.TXT' });
    expect(clash.status).toBe(422);
    const clashPage = await clash.text();
    expect(fieldError(clashPage, 'f-name')).toContain('already');
    expect(clashPage).toContain('value="other.TXT"');
    const renamed = await asGrace.post(`/portal/files/${mine.id}/rename`, { name: 'Bank statement.txt' });
    expect([renamed.status, renamed.headers.get('Location')]).toEqual([303, `/portal/files/${mine.id}`]);

    // Deleting needs the box ticked; then the file is gone and the audit log says who.
    const unticked = await asGrace.post(`/portal/files/${mine.id}/delete`, {});
    expect(unticked.status).toBe(422);
    expect(fieldError(await unticked.text(), 'f-confirm')).toBe('Tick the box to confirm.');
    const deleted = await asGrace.post(`/portal/files/${mine.id}/delete`, { confirm: 'yes' });
    expect(deleted.status).toBe(303);
    expect(await firm.db.selectFrom('files').select('id').where('id', '=', mine.id).execute()).toEqual([]);
    const audit = await firm.db
      .selectFrom('audit_events')
      .select(['action', 'actor_id', 'object_label'])
      .where('object_id', '=', mine.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => [a.action, a.actor_id, a.object_label])).toEqual([
      ['file.uploaded', grace.id, 'Mine.txt'],
      ['file.renamed', grace.id, 'Bank statement.txt'],
      ['file.deleted', grace.id, 'Bank statement.txt'],
    ]);

    // Contact - Editor: renames the staff's file, may not delete it.
    const editorPage = await (await asGrace.get(`/portal/files/${files['Return.txt']}`)).text();
    expect(editorPage).toContain('/rename"');
    expect(editorPage).not.toContain('/delete"');
    expect(
      (await asGrace.post(`/portal/files/${files['Return.txt']}/delete`, { confirm: 'yes' })).status,
    ).toBe(403);
    expect(
      (await asGrace.post(`/portal/files/${files['Return.txt']}/rename`, { name: 'Return 2025.txt' })).status,
    ).toBe(303);

    // Contact - Viewer: reads only.
    const viewerPage = await (await asGrace.get(`/portal/files/${files['Letter.txt']}`)).text();
    expect(viewerPage).not.toContain('/rename"');
    expect(viewerPage).not.toContain('/delete"');
    expect(
      (await asGrace.post(`/portal/files/${files['Letter.txt']}/rename`, { name: 'x.txt' })).status,
    ).toBe(403);
    // A file not shared with them answers as a missing one, on every address.
    for (const suffix of ['', '/rename', '/delete']) {
      const notTheirs = `/portal/files/${files['Notes.txt']}${suffix}`;
      const missing = `/portal/files/no-such-file${suffix}`;
      const send = (p: string) =>
        suffix ? asGrace.post(p, { name: 'x.txt', confirm: 'yes' }) : asGrace.get(p);
      const [a, b] = [await send(notTheirs), await send(missing)];
      expect([a.status, comparable(await a.text())]).toEqual([b.status, comparable(await b.text())]);
      expect(a.status).toBe(404);
    }
    expect(
      await firm.db.selectFrom('files').select('name').where('id', '=', files['Notes.txt']!).execute(),
    ).toEqual([{ name: 'Notes.txt' }]);
  });
});
