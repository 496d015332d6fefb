/**
 * A whole folder shared with a contact: everything in it, subfolders and files added later too,
 * appears in their portal while they also see the client; one email names the folder; stopping
 * takes it all away; and only contacts who see the client may be chosen.
 */
import { describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { type Client, fieldError, pageText } from '../helpers/app.js';
import { bindAtEntity, buildContact, buildEntity, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { queuedMails } from '../helpers/jobs.js';
import { DIALECTS_AND_STORES, useStore } from '../helpers/stores.js';

function upload(name: string, content: string): FormData {
  const form = new FormData();
  form.append('files', new File([content], name));
  return form;
}

describe.each(DIALECTS_AND_STORES)('sharing a folder (%s, %s)', (dialect, storeKind) => {
  const store = useStore(storeKind);
  const firm = useFirm(dialect, { config: store.config });

  it('gives a contact what is in it, now and later, tells them once, and takes it back', async () => {
    const clearwater = await buildEntity(firm.db, 'Clearwater Holdings');
    const harbour = await buildEntity(firm.db, 'Harbour Trust');
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    await admin.post(`/entities/${clearwater}/files/folders`, { folderName: 'Tax 2025' });
    const tax = await firm.db.selectFrom('folders').selectAll().executeTakeFirstOrThrow();
    await admin.post(`/entities/${clearwater}/files/folders?folder=${tax.id}`, { folderName: 'Receipts' });
    const receipts = await firm.db
      .selectFrom('folders')
      .selectAll()
      .where('parent_id', '=', tax.id)
      .executeTakeFirstOrThrow();
    await admin.post(
      `/entities/${clearwater}/files?folder=${tax.id}`,
      upload('Return.pdf', '%PDF-1.4\nreturn'),
    );
    await admin.post(`/entities/${clearwater}/files`, upload('Elsewhere.txt', 'not in the folder'));

    const grace: User = await buildContact(firm.db, clearwater, { firstName: 'Grace', lastName: 'Hopper' });
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', clearwater);
    await firm.db
      .updateTable('contact_profiles')
      .set({ portal_access: 1 })
      .where('user_id', '=', grace.id)
      .execute();
    const stranger = await buildContact(firm.db, harbour);
    await bindAtEntity(firm.db, { userId: stranger.id }, 'contact_entity_access', harbour);

    // Offered on the folder's page; another client's contact is refused as one not there.
    const page = await (await admin.get(`/entities/${clearwater}/files?folder=${tax.id}`)).text();
    expect(page).toContain(`action="/folders/${tax.id}/share"`);
    const refused = await admin.post(`/folders/${tax.id}/share`, {
      contact: stranger.id,
      role: 'contact_viewer',
    });
    expect(refused.status).toBe(422);
    expect(fieldError(await refused.text(), 'f-contact')).toBe('Choose a contact from the list.');

    const done = await admin.post(`/folders/${tax.id}/share`, { contact: grace.id, role: 'contact_viewer' });
    expect(done.status).toBe(303);
    const after = pageText(await (await admin.get(`/entities/${clearwater}/files?folder=${tax.id}`)).text());
    expect(after).toContain('The folder “Tax 2025” is shared with Grace Hopper as Contact - Viewer.');
    expect(after).toContain('Grace Hopper Contact - Viewer');
    // A file added later, in a folder inside, is hers too.
    await admin.post(
      `/entities/${clearwater}/files?folder=${receipts.id}`,
      upload('Fuel.csv', 'date,amount\n'),
    );

    const asGrace: Client = await signedIn(firm.app, firm.db, grace);
    const portalFiles = async () => {
      const html = await (await asGrace.get(`/portal?entity=${clearwater}`)).text();
      const section = html.match(/<section aria-label="Files">(.*?)<\/section>/)?.[1] ?? '';
      return [...section.matchAll(/\/download"[^>]*>([^<]+)</g)].map((m) => m[1]).sort();
    };
    expect(await portalFiles()).toEqual(['Fuel.csv', 'Return.pdf']);
    const mails = await queuedMails(firm.db, 'file-shared');
    expect(mails.map((m) => [m.to, m.subject])).toEqual([
      [grace.email, 'Clearwater Accounting: the folder Tax 2025 was shared with you'],
    ]);
    // Shared again as the same role: nothing new, no second email.
    await admin.post(`/folders/${tax.id}/share`, { contact: grace.id, role: 'contact_viewer' });
    expect(await queuedMails(firm.db, 'file-shared')).toHaveLength(1);
    const audit = await firm.db
      .selectFrom('audit_events')
      .select(['action', 'object_type'])
      .where('object_id', '=', tax.id)
      .where('action', '=', 'access.granted')
      .execute();
    expect(audit).toEqual([{ action: 'access.granted', object_type: 'folder' }]);

    // Stopped: every file in it is gone from her portal at once.
    const binding = await firm.db
      .selectFrom('role_bindings')
      .select('id')
      .where('scope_type', '=', 'folder')
      .where('scope_id', '=', tax.id)
      .executeTakeFirstOrThrow();
    // A binding that is not this folder's answers as missing, and changes nothing.
    expect((await admin.post(`/folders/${receipts.id}/unshare`, { binding: binding.id })).status).toBe(404);
    expect(await portalFiles()).toEqual(['Fuel.csv', 'Return.pdf']);
    expect((await admin.post(`/folders/${tax.id}/unshare`, { binding: binding.id })).status).toBe(303);
    expect(await portalFiles()).toEqual([]);
  });
});
