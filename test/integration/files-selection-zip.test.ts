/**
 * Files chosen in a listing download as one zip: only those the reader may read (another
 * client's id, or one not shared with a contact, is left out as if it did not exist), a name met
 * twice numbered, each file's download in the audit log; nothing chosen sends the person back.
 */
import { describe, expect, it } from 'vitest';
import { addBinding } from '../../src/permissions/queries.js';
import { bindAtEntity, buildContact, buildEntity, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { DIALECTS_AND_STORES, useStore } from '../helpers/stores.js';
import { unzip } from '../helpers/zip.js';

function upload(name: string, content: string): FormData {
  const form = new FormData();
  form.append('files', new File([content], name));
  return form;
}

describe.each(DIALECTS_AND_STORES)('a zip of chosen files (%s, %s)', (dialect, storeKind) => {
  const store = useStore(storeKind);
  const firm = useFirm(dialect, { config: store.config });

  it('holds exactly the chosen files the reader may read', async () => {
    const clearwater = await buildEntity(firm.db, 'Clearwater Holdings');
    const harbour = await buildEntity(firm.db, 'Harbour Trust');
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    await admin.post(`/entities/${clearwater}/files/folders`, { folderName: 'Tax' });
    const tax = await firm.db.selectFrom('folders').selectAll().executeTakeFirstOrThrow();
    await admin.post(`/entities/${clearwater}/files?folder=${tax.id}`, upload('notes.txt', 'in the folder'));
    await admin.post(`/entities/${clearwater}/files`, upload('notes.txt', 'at the top'));
    await admin.post(`/entities/${clearwater}/files`, upload('ledger.csv', 'a,b\n'));
    await admin.post(`/entities/${harbour}/files`, upload('theirs.txt', 'another client'));
    const files = await firm.db
      .selectFrom('files')
      .select(['id', 'name', 'entity_id', 'folder_id'])
      .execute();
    const id = (name: string, folder: string | null = null) =>
      files.find((f) => f.name === name && f.folder_id === folder)!.id;
    const listing = await (await admin.get(`/entities/${clearwater}/files`)).text();
    expect(listing).toContain(`form="zip-selection"`);

    const chosen = [
      id('notes.txt', tax.id),
      id('notes.txt'),
      id('ledger.csv'),
      id('theirs.txt'),
      'nosuchfile',
    ];
    const res = await admin.get(
      `/entities/${clearwater}/files/zip?${chosen.map((f) => `file=${f}`).join('&')}`,
    );
    expect([res.status, res.headers.get('Content-Type'), res.headers.get('Content-Disposition')]).toEqual([
      200,
      'application/zip',
      `attachment; filename="Selected files.zip"; filename*=UTF-8''Selected%20files.zip`,
    ]);
    const zipped = await unzip(Buffer.from(await res.arrayBuffer()));
    expect(Object.keys(zipped).sort()).toEqual(['ledger.csv', 'notes (2).txt', 'notes.txt']);
    expect(zipped['ledger.csv']).toBe('a,b\n');
    // The two files named alike are both there, one under each name.
    expect([zipped['notes.txt'], zipped['notes (2).txt']].sort()).toEqual(['at the top', 'in the folder']);
    const audited = await firm.db
      .selectFrom('audit_events')
      .select('object_label')
      .where('action', '=', 'file.downloaded')
      .execute();
    expect(audited.map((a) => a.object_label).sort()).toEqual(['ledger.csv', 'notes.txt', 'notes.txt']);

    // A contact with one of them shared gets that one alone; only ids they may not read: missing.
    const grace = await buildContact(firm.db, clearwater);
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', clearwater);
    await addBinding(
      firm.db,
      { userId: grace.id },
      'contact_viewer',
      { type: 'item', id: id('ledger.csv') },
      null,
    );
    const asGrace = await signedIn(firm.app, firm.db, grace);
    expect((await asGrace.get(`/entities/${clearwater}/files/zip?file=${id('ledger.csv')}`)).status).toBe(
      403,
    );
    expect((await admin.get(`/entities/${clearwater}/files/zip?file=${id('theirs.txt')}`)).status).toBe(404);
    expect((await admin.get(`/entities/${harbour}/files/zip?file=${id('ledger.csv')}`)).status).toBe(404);

    // Nothing chosen: back to the folder, told why.
    const none = await admin.get(`/entities/${clearwater}/files/zip?folder=${tax.id}`);
    expect([none.status, none.headers.get('Location')]).toEqual([
      302,
      `/entities/${clearwater}/files?folder=${tax.id}`,
    ]);
  });
});
