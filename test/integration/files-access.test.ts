/**
 * People and access on a file or a folder, for those who may share it: a staff member is given
 * Viewer, Editor or Owner on the item by email address (bad input refused beside the field, what
 * was typed kept), and "Why can this person see it?" names every role behind their reading it,
 * where it is given and through which group, and for a contact the entity role that admits them.
 */
import { describe, expect, it } from 'vitest';
import { addBinding } from '../../src/permissions/queries.js';
import { fieldError, pageText } from '../helpers/app.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildGroup,
  buildStaff,
  signedIn,
} from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { DIALECTS_AND_STORES, useStore } from '../helpers/stores.js';

function upload(name: string, content: string): FormData {
  const form = new FormData();
  form.append('files', new File([content], name));
  return form;
}

/** The rows of the table with this caption, each cell's text. */
function tableRows(html: string, caption: string): string[][] {
  const table = html.split(`<caption>${caption}</caption>`)[1]?.split('</table>')[0];
  if (table === undefined) throw new Error(`no table “${caption}”`);
  return [...(table.split('<tbody')[1] ?? '').matchAll(/<tr[^>]*>(.*?)<\/tr>/gs)].map((row) =>
    [...row[1]!.matchAll(/<td[^>]*>(.*?)<\/td>/gs)].map((cell) => pageText(cell[1]!).trim()),
  );
}

describe.each(DIALECTS_AND_STORES)('who has a file, and why (%s, %s)', (dialect, storeKind) => {
  const store = useStore(storeKind);
  const firm = useFirm(dialect, { config: store.config });

  async function world() {
    const clearwater = await buildEntity(firm.db, 'Clearwater Holdings');
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    await admin.post(`/entities/${clearwater}/files/folders`, { folderName: 'Tax' });
    const tax = await firm.db.selectFrom('folders').selectAll().executeTakeFirstOrThrow();
    await admin.post(`/entities/${clearwater}/files?folder=${tax.id}`, upload('Return.txt', 'return'));
    const file = await firm.db.selectFrom('files').selectAll().executeTakeFirstOrThrow();
    return { clearwater, admin, tax, file };
  }

  it('gives a staff member a role on the file by email, refusing what is wrong beside the field', async () => {
    const { clearwater, admin, file } = await world();
    const mary = await buildStaff(firm.db, [], {
      firstName: 'Mary',
      lastName: 'Item',
      email: 'mary@firm.example',
    });
    const grace = await buildContact(firm.db, clearwater, { email: 'grace@client.example' });
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', clearwater);
    await buildStaff(firm.db, [], { email: 'off@firm.example', disabled: true });
    const asMary = await signedIn(firm.app, firm.db, mary);
    expect((await asMary.get(`/files/${file.id}/download`)).status).toBe(404);

    for (const [email, error] of [
      ['', 'Enter the email address of the staff member.'],
      ['nobody@firm.example', 'No staff member has this email address.'],
      // A contact is shared with from the list of the client's contacts, not here.
      ['grace@client.example', 'No staff member has this email address.'],
      ['off@firm.example', 'This staff member’s account is disabled.'],
    ] as const) {
      const res = await admin.post(`/files/${file.id}/share`, { email, staffRole: 'viewer' });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(fieldError(html, 'f-email')).toBe(error);
      expect(html).toContain(`value="${email}"`);
    }
    const wrongRole = await admin.post(`/files/${file.id}/share`, {
      email: 'MARY@firm.example',
      staffRole: 'contact_viewer',
    });
    expect(fieldError(await wrongRole.text(), 'f-staffRole')).toBe('Choose one of the roles listed.');
    expect(
      await firm.db.selectFrom('role_bindings').select('id').where('scope_type', '=', 'item').execute(),
    ).toEqual([]);

    const given = await admin.post(`/files/${file.id}/share`, {
      email: 'MARY@firm.example',
      staffRole: 'viewer',
    });
    expect(given.status).toBe(303);
    expect(await (await asMary.get(`/files/${file.id}/download`)).text()).toBe('return');
    // Viewer reads, and no more.
    expect((await asMary.post(`/files/${file.id}/rename`, { name: 'Mine.txt' })).status).toBe(403);
    const page = pageText(await (await admin.get(`/files/${file.id}`)).text());
    expect(page).toContain('Mary Item Viewer (staff)');
    const audit = await firm.db
      .selectFrom('audit_events')
      .select(['action', 'after_json'])
      .where('object_id', '=', file.id)
      .where('action', '=', 'access.granted')
      .execute();
    expect(audit.map((a) => JSON.parse(a.after_json ?? '{}'))).toEqual([{ to: 'Mary Item', role: 'Viewer' }]);

    // Editor replaces Viewer (one role per person per item); then she renames it.
    await admin.post(`/files/${file.id}/share`, { email: 'mary@firm.example', staffRole: 'editor' });
    expect((await asMary.post(`/files/${file.id}/rename`, { name: 'Return 2025.txt' })).status).toBe(303);
    const held = await firm.db
      .selectFrom('role_bindings')
      .select(['id', 'role_id'])
      .where('scope_type', '=', 'item')
      .execute();
    expect(held.map((b) => b.role_id)).toEqual(['editor']);
    // Taken back, she reads nothing.
    expect((await admin.post(`/files/${file.id}/unshare`, { binding: held[0]!.id })).status).toBe(303);
    expect((await asMary.get(`/files/${file.id}/download`)).status).toBe(404);

    // Someone who may read but not share is offered neither form, and refused.
    const viewer = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: viewer.id }, 'viewer', clearwater);
    const asViewer = await signedIn(firm.app, firm.db, viewer);
    const viewerPage = await (await asViewer.get(`/files/${file.id}?person=mary@firm.example`)).text();
    expect(viewerPage).not.toContain('Give a staff member access');
    expect(viewerPage).not.toContain('Why can this person see it?');
    expect(
      (await asViewer.post(`/files/${file.id}/share`, { email: 'mary@firm.example', staffRole: 'viewer' }))
        .status,
    ).toBe(403);
  });

  it('says why someone can see a file: each role, where it is given, through which group', async () => {
    const { clearwater, admin, tax, file } = await world();
    const harbour = await buildEntity(firm.db, 'Harbour Trust');
    const ann = await buildStaff(firm.db, [], {
      firstName: 'Ann',
      lastName: 'Direct',
      email: 'ann@firm.example',
    });
    await addBinding(firm.db, { userId: ann.id }, 'viewer', { type: 'item', id: file.id }, null);
    const bob = await buildStaff(firm.db, [], {
      firstName: 'Bob',
      lastName: 'Grouped',
      email: 'bob@firm.example',
    });
    const team = await buildGroup(firm.db, 'Tax team', [bob.id]);
    await bindAtEntity(firm.db, { groupId: team }, 'editor', clearwater);
    await buildStaff(firm.db, [], { firstName: 'Cy', lastName: 'None', email: 'cy@firm.example' });
    await buildStaff(firm.db, [], {
      firstName: 'Di',
      lastName: 'Off',
      email: 'di@firm.example',
      disabled: true,
    });
    const grace = await buildContact(firm.db, clearwater, {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@client.example',
    });
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', clearwater);
    await addBinding(firm.db, { userId: grace.id }, 'contact_viewer', { type: 'folder', id: tax.id }, null);
    const other = await buildContact(firm.db, harbour, {
      firstName: 'Sam',
      lastName: 'Other',
      email: 'sam@harbour.example',
    });
    await bindAtEntity(firm.db, { userId: other.id }, 'contact_entity_access', harbour);

    const why = async (email: string) =>
      (await admin.get(`/files/${file.id}?person=${encodeURIComponent(email)}`)).text();

    expect(tableRows(await why('ann@firm.example'), 'Why Ann Direct can see this file')).toEqual([
      ['Viewer', 'This file', 'Given to them'],
    ]);
    expect(tableRows(await why('BOB@firm.example'), 'Why Bob Grouped can see this file')).toEqual([
      ['Editor', 'Clearwater Holdings', 'Group Tax team'],
    ]);
    const graceWhy = await why('grace@client.example');
    expect(tableRows(graceWhy, 'Why Grace Hopper can see this file')).toEqual([
      ['Contact - Viewer', 'The folder “Tax”', 'Given to them'],
    ]);
    expect(tableRows(graceWhy, 'And the role that lets Grace Hopper into the client in the portal')).toEqual([
      ['Contact - Entity Access', 'Clearwater Holdings', 'Given to them'],
    ]);
    expect(pageText(await why('cy@firm.example'))).toContain('Cy None cannot see this file.');
    expect(pageText(await why('di@firm.example'))).toContain('Di Off’s account is disabled');
    // An address that is no one's; another client's contact (whom an Admin may see) cannot see it.
    expect(pageText(await why('zed@nowhere.example'))).toContain(
      'No one you can look up here has the email address zed@nowhere.example.',
    );
    expect(pageText(await why('sam@harbour.example'))).toContain('Sam Other cannot see this file.');

    // Without her entity role, her folder role counts for nothing, and the page says so.
    await firm.db
      .deleteFrom('role_bindings')
      .where('user_id', '=', grace.id)
      .where('scope_type', '=', 'entity')
      .execute();
    expect(pageText(await why('grace@client.example'))).toContain('Grace Hopper cannot see this file.');

    // On a folder's page, the same question about the folder.
    const folderPage = await (
      await admin.get(`/entities/${clearwater}/files?folder=${tax.id}&person=ann@firm.example`)
    ).text();
    expect(pageText(folderPage)).toContain('Ann Direct cannot see this folder.');
    expect(folderPage).toContain(`<input type="hidden" name="folder" value="${tax.id}"`);
  });
});
