/**
 * Settings → Security → Role Permissions (seed: caseware-cloud-built-in-roles.txt, "Built-in roles
 * cannot be modified or deleted"): every role is listed, a selected role shows its letters per
 * object type, and custom roles are added, edited and deleted by someone who holds Organization -
 * Edit and every permission the role carries, before and after the change.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import type { User } from '../../src/db/schema.js';
import {
  ALL_PERMISSIONS,
  BUILT_IN_ROLES,
  Forbidden,
  LETTERS,
  loadActor,
  SYSTEM,
} from '../../src/permissions/index.js';
import { addBinding } from '../../src/permissions/queries.js';
import * as service from '../../src/roles/service.js';
import { fieldError, fieldsetError } from '../helpers/app.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import { buildGroup, buildRole, buildStaff, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';

/**
 * One object type's row of a permission table, in C R E D A S order: the letter when granted,
 * '-' when the type has the letter but the role does not grant it, '' when the type has no such letter.
 */
function row(html: string, objectType: string): string[] {
  const cells = html.match(new RegExp(`<th scope="row">${objectType}</th>(.*?)</tr>`))?.[1];
  if (cells === undefined) throw new Error(`no row for ${objectType}`);
  const tds = [...cells.matchAll(/<td>(.*?)<\/td>/g)].map((m) => m[1] ?? '');
  const letters = Object.keys(LETTERS);
  expect(tds).toHaveLength(letters.length);
  return tds.map((td, i) =>
    td === '' ? '' : td.includes('>Granted<') ? letters[i]! : td.includes('>Not granted<') ? '-' : td,
  );
}

/** The ticked permission checkboxes of a role form. */
const ticked = (html: string) =>
  [...html.matchAll(/<input type="checkbox"[^>]*name="permissions" value="([^"]+)"[^>]*checked/g)].map(
    (m) => m[1],
  );

const counter = async (db: Db) =>
  Number(
    (
      await db
        .selectFrom('change_counters')
        .select('version')
        .where('name', '=', 'permissions')
        .executeTakeFirstOrThrow()
    ).version,
  );

const auditOf = (db: Db, action: string) =>
  db.selectFrom('audit_events').selectAll().where('action', '=', action).executeTakeFirstOrThrow();

const permissionsOf = async (db: Db, roleId: string) =>
  (
    await db
      .selectFrom('role_permissions')
      .select(['object_type', 'letter'])
      .where('role_id', '=', roleId)
      .execute()
  )
    .map((r) => `${r.object_type}:${r.letter}`)
    .sort();

describe.each(DIALECTS)('Role Permissions (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let bookkeepers: string;
  let settingsAdmin: User;

  beforeEach(async () => {
    bookkeepers = await buildRole(firm.db, 'Bookkeepers', ['file:R', 'file:C', 'entity.summary:R']);
    settingsAdmin = await buildStaff(firm.db, ['settings_admin']);
  });

  it('lists every built-in and custom role with whom it is for, from a link on the Settings page', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    expect(await (await client.get('/settings')).text()).toContain(
      '<a href="/settings/roles">Role Permissions</a>',
    );
    const html = await (await client.get('/settings/roles')).text();
    for (const role of Object.values(BUILT_IN_ROLES)) expect(html).toContain(`>${role.name}</a>`);
    expect(html).toMatch(
      new RegExp(
        `href="/settings/roles/${bookkeepers}#role-panel"[^>]*>Bookkeepers</a></td><td>Staff</td><td>Custom</td>`,
      ),
    );
    expect(html).toMatch(/>Contact - Viewer<\/a><\/td><td>Contacts<\/td><td>Built-in<\/td>/);
    expect(html).toContain('Add custom role');
  });

  it('selecting a built-in role shows its description, levels and letters, blank where a type has no such letter', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const html = await (await client.get('/settings/roles/settings_admin')).text();
    expect(html).toContain('Access and modify all system settings.');
    expect(html).toContain('Given at: System level.');
    expect(html).toContain('Built-in roles cannot be changed or deleted.');
    expect(html).toMatch(/aria-current="true"[^>]*>Settings Admin<\/a>/);
    expect(row(html, 'Organization')).toEqual(['', 'R', 'E', '', '', '']);
    expect(row(html, 'Tag')).toEqual(['C', '', 'E', 'D', '', '']);
    expect(row(html, 'File')).toEqual(['-', '-', '-', '-', '-', '-']);
    expect(row(html, 'Entity')).toEqual(['-', '', '', '-', '-', '-']);
    expect(html).toContain('<th scope="col"><abbr title="Create">C</abbr></th>');
    expect(html).not.toContain('Edit role');
    const owner = await (await client.get('/settings/roles/owner')).text();
    expect(owner).toContain('Given at: System, Entity, Item level.');
    expect(row(owner, 'File')).toEqual(['C', 'R', 'E', 'D', '-', 'S']);
  });

  it('every built-in role shows what it is for, in the words of the seed it comes from', async () => {
    // Written out here, not read from the roles: a role losing its words must fail this test.
    const described = {
      admin: 'Can access all content and perform any action.',
      entities_admin:
        'Create, edit and delete contacts, contact groups, entities, and all content within entities.',
      staff_admin: 'Create, edit and delete staff and staff groups.',
      settings_admin: 'Access and modify all system settings.',
      owner: 'View, edit and delete items; grant others roles on items where they are the owner.',
      editor: 'View and edit items, but not delete them.',
      viewer: 'View items but not modify them.',
      entity_access: 'Know that an entity exists, without access to its items, staff or contacts.',
      contact_entity_collaborator:
        'Collaborate on activities and files within the entity; create and upload their own.',
      contact_entity_access: 'Read the summary of their client entity.',
      contact_owner: 'Given on what the contact creates; the only contact role that may delete an item.',
      contact_editor: 'Edit and download the file or activity.',
      contact_viewer: 'View the file or activity and comment on activities.',
      associated: 'Linked to an entity; cannot sign in, receive notifications or use any feature.',
      portal_full_access: 'A portal member who sees its entities and every file and activity in them.',
      portal_contributor:
        'A portal member who adds files and activities and sees only what is shared with them.',
    } satisfies Record<keyof typeof BUILT_IN_ROLES, string>;
    const client = await signedIn(firm.app, firm.db, firm.admin);
    for (const [id, words] of Object.entries(described)) {
      const html = await (await client.get(`/settings/roles/${id}`)).text();
      expect([id, html.includes(words)]).toEqual([id, true]);
    }
  });

  it('selecting a custom role shows its letters and, for an Admin, a way to edit it', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const html = await (await client.get(`/settings/roles/${bookkeepers}`)).text();
    expect(html).toContain('Custom staff role');
    expect(row(html, 'File')).toEqual(['C', 'R', '-', '-', '-', '-']);
    expect(row(html, 'Entity - Summary')).toEqual(['', 'R', '-', '', '', '']);
    expect(html).toContain(`href="/settings/roles/${bookkeepers}/edit"`);
    expect((await client.get('/settings/roles/no-such-role')).status).toBe(404);
  });

  it('someone with Organization - Read only sees the roles but cannot add, edit or delete one', async () => {
    const reader = await buildStaff(firm.db);
    const readOnly = await buildRole(firm.db, 'Settings readers', ['organization:R']);
    await addBinding(firm.db, { userId: reader.id }, readOnly, SYSTEM, null);
    const client = await signedIn(firm.app, firm.db, reader);
    const list = await (await client.get('/settings/roles')).text();
    expect(list).toContain('Bookkeepers');
    expect(list).not.toContain('Add custom role');
    expect(await (await client.get(`/settings/roles/${bookkeepers}`)).text()).not.toContain('Edit role');
    const before = await snapshot(firm.db);
    expect((await client.get('/settings/roles/new')).status).toBe(403);
    expect((await client.post('/settings/roles', { name: 'Mine', kind: 'staff' })).status).toBe(403);
    expect((await client.get(`/settings/roles/${bookkeepers}/edit`)).status).toBe(404);
    expect(
      (await client.post(`/settings/roles/${bookkeepers}`, { name: 'Mine', kind: 'staff' })).status,
    ).toBe(404);
    expect((await client.post(`/settings/roles/${bookkeepers}/delete`, { confirm: 'yes' })).status).toBe(404);
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('an Admin adds a custom role for contacts: the name trimmed, the letters kept, audited sorted', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const form = await (await client.get('/settings/roles/new')).text();
    // One box per letter the catalogue gives each type, and none for a letter it does not have.
    expect(form.match(/<input type="checkbox"[^>]*name="permissions"/g)).toHaveLength(ALL_PERMISSIONS.length);
    expect(form).toContain('value="tag:C"');
    expect(form).not.toContain('value="tag:R"');
    expect(form).toContain('<label for="f-permissions-file-R" class="visually-hidden">File: Read</label>');

    const res = await client.post('/settings/roles', {
      name: '  Tax reviewers  ',
      kind: 'contact',
      permissions: ['file:R', 'activity:R', 'activity.comment:C'],
    });
    expect(res.status).toBe(303);
    const role = await firm.db
      .selectFrom('roles')
      .selectAll()
      .where('name', '=', 'Tax reviewers')
      .executeTakeFirstOrThrow();
    expect(res.headers.get('Location')).toBe(`/settings/roles/${role.id}`);
    expect(role).toMatchObject({ kind: 'contact', built_in: 0 });
    expect(await permissionsOf(firm.db, role.id)).toEqual(['activity.comment:C', 'activity:R', 'file:R']);
    const audit = await auditOf(firm.db, 'role.created');
    expect(audit.object_id).toBe(role.id);
    expect(JSON.parse(audit.after_json ?? '{}')).toEqual({
      name: 'Tax reviewers',
      kind: 'contact',
      permissions: ['activity.comment:C', 'activity:R', 'file:R'],
    });
    const page = await (await client.get(`/settings/roles/${role.id}`)).text();
    expect(page).toContain('Role “Tax reviewers” added.');
    expect(page).toContain('Custom contact role');
    expect(row(page, 'File')).toEqual(['-', 'R', '-', '-', '-', '-']);
  });

  it('bad input is named beside each field, keeps what was typed and ticked, and writes nothing', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const before = await snapshot(firm.db);
    const blank = await client.post('/settings/roles', { name: '   ', permissions: ['file:R', 'tag:C'] });
    expect(blank.status).toBe(422);
    const html = await blank.text();
    expect(fieldError(html, 'f-name')).toBe('Enter the role name.');
    expect(fieldError(html, 'f-kind-staff')).toBe('Choose whether the role is for staff or contacts.');
    expect(fieldError(html, 'f-kind-contact')).toBe('Choose whether the role is for staff or contacts.');
    expect(ticked(html).sort()).toEqual(['file:R', 'tag:C']);

    const long = await client.post('/settings/roles', { name: 'R'.repeat(61), kind: 'contact' });
    expect(long.status).toBe(422);
    const longHtml = await long.text();
    expect(fieldError(longHtml, 'f-name')).toBe('The role name must be at most 60 characters.');
    expect(longHtml).toContain(`value="${'R'.repeat(61)}"`);
    expect(longHtml).toMatch(/id="f-kind-contact" name="kind" value="contact" checked/);
    expect(await snapshot(firm.db)).toEqual(before);
    expect((await client.post('/settings/roles', { name: 'R'.repeat(60), kind: 'staff' })).status).toBe(303);
  });

  it('a letter an object type does not have is refused beside the letters, and nothing is written', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const before = await snapshot(firm.db);
    for (const letter of ['tag:R', 'organization:C', 'nonsense', 'file']) {
      const res = await client.post('/settings/roles', {
        name: 'Odd',
        kind: 'staff',
        permissions: ['file:R', letter],
      });
      expect(res.status).toBe(422);
      expect(fieldsetError(await res.text(), 'permissions')).toBe(
        'Choose only the letters shown: each object type has its own letters.',
      );
    }
    const edit = await client.post(`/settings/roles/${bookkeepers}`, {
      name: 'Bookkeepers',
      kind: 'staff',
      permissions: ['tag:R'],
    });
    expect(edit.status).toBe(422);
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('a role for contacts may not carry organization letters or sharing: refused beside the letters', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const before = await snapshot(firm.db);
    for (const letter of [
      'organization:E',
      'staff:C',
      'contact.summary:R',
      'entity:A',
      'file:S',
      'entity.summary:E',
    ]) {
      const res = await client.post('/settings/roles', {
        name: 'Clients plus',
        kind: 'contact',
        permissions: ['file:R', letter],
      });
      expect([letter, res.status]).toEqual([letter, 422]);
      expect(fieldsetError(await res.text(), 'permissions')).toMatch(
        /^A role for contacts may carry only Entity - Details \(R\), Entity - Summary \(R\), Activity \(C R E D\)/,
      );
    }
    // Turning a staff role with such letters into a contact role is refused the same way.
    const edit = await client.post(`/settings/roles/${bookkeepers}`, {
      name: 'Bookkeepers',
      kind: 'contact',
      permissions: ['entity.summary:R', 'organization:R'],
    });
    expect(edit.status).toBe(422);
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('role names are unique whatever their case, among built-in and custom roles alike', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const before = await snapshot(firm.db);
    for (const name of ['admin', ' BOOKKEEPERS ', 'contact - viewer']) {
      const res = await client.post('/settings/roles', { name, kind: 'staff' });
      expect([name, res.status]).toEqual([name, 422]);
      expect(fieldError(await res.text(), 'f-name')).toBe('Another role already has this name.');
    }
    const other = await buildRole(firm.db, 'Auditors', []);
    const snap = await snapshot(firm.db);
    const rename = await client.post(`/settings/roles/${other}`, { name: 'Settings ADMIN', kind: 'staff' });
    expect(fieldError(await rename.text(), 'f-name')).toBe('Another role already has this name.');
    expect(await snapshot(firm.db)).toEqual(snap);
    expect(before.roles).toHaveLength(snap.roles!.length - 1);
    // A role may keep its own name in another case.
    expect(
      (await client.post(`/settings/roles/${bookkeepers}`, { name: 'BOOKKEEPERS', kind: 'staff' })).status,
    ).toBe(303);
  });

  it('two people adding the same name in different case at the same moment: one of them is refused', async () => {
    const [a, b] = await Promise.all([
      signedIn(firm.app, firm.db, firm.admin),
      signedIn(firm.app, firm.db, await buildStaff(firm.db, ['admin'])),
    ]);
    const statuses = await Promise.all([
      a.post('/settings/roles', { name: 'Payroll', kind: 'staff' }),
      b.post('/settings/roles', { name: 'PAYROLL', kind: 'staff' }),
    ]);
    expect(statuses.map((r) => r.status).sort()).toEqual([303, 422]);
    const rows = await firm.db.selectFrom('roles').select('name').where('built_in', '=', 0).execute();
    expect(rows.filter((r) => r.name.toLowerCase() === 'payroll')).toHaveLength(1);
  });

  it('a Settings Admin makes a role from letters they hold, and is refused others beside the letters', async () => {
    const client = await signedIn(firm.app, firm.db, settingsAdmin);
    const ok = await client.post('/settings/roles', {
      name: 'Tag keepers',
      kind: 'staff',
      permissions: ['tag:C', 'tag:E', 'organization:R'],
    });
    expect(ok.status).toBe(303);
    const before = await snapshot(firm.db);
    const refused = await client.post('/settings/roles', {
      name: 'Readers',
      kind: 'staff',
      permissions: ['tag:C', 'file:R', 'contact:D', 'contact:C'],
    });
    expect(refused.status).toBe(422);
    const html = await refused.text();
    expect(fieldsetError(html, 'permissions')).toBe(
      'You can only give a role permissions you hold yourself. You do not hold Contact (C D), File (R).',
    );
    expect(ticked(html).sort()).toEqual(['contact:C', 'contact:D', 'file:R', 'tag:C']);
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('a Settings Admin cannot change or delete a role carrying letters they do not hold, even to take them away', async () => {
    const client = await signedIn(firm.app, firm.db, settingsAdmin);
    expect(await (await client.get(`/settings/roles/${bookkeepers}`)).text()).toContain(
      'You cannot change or delete this role: it carries permissions you do not hold.',
    );
    const before = await snapshot(firm.db);
    const edit = await client.post(`/settings/roles/${bookkeepers}`, {
      name: 'Bookkeepers',
      kind: 'staff',
      permissions: ['tag:C'],
    });
    expect(edit.status).toBe(422);
    expect(fieldsetError(await edit.text(), 'permissions')).toBe(
      'You can only change a role when you hold every permission it carries, before and after the change. You do not hold Entity - Summary (R), File (C R).',
    );
    const del = await client.post(`/settings/roles/${bookkeepers}/delete`, { confirm: 'yes' });
    expect(del.status).toBe(422);
    expect(fieldError(await del.text(), 'f-confirm')).toBe(
      'You can only delete a role when you hold every permission it carries. You do not hold Entity - Summary (R), File (C R).',
    );
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('an Admin edits a custom role, audited with its name, kind and sorted letters before and after', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const form = await (await client.get(`/settings/roles/${bookkeepers}/edit`)).text();
    expect(ticked(form).sort()).toEqual(['entity.summary:R', 'file:C', 'file:R']);
    const res = await client.post(`/settings/roles/${bookkeepers}`, {
      name: 'Senior bookkeepers',
      kind: 'contact',
      permissions: ['file:R', 'file:E', 'activity:R'],
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/settings/roles/${bookkeepers}`);
    expect(await permissionsOf(firm.db, bookkeepers)).toEqual(['activity:R', 'file:E', 'file:R']);
    const audit = await auditOf(firm.db, 'role.updated');
    expect(JSON.parse(audit.before_json ?? '{}')).toEqual({
      name: 'Bookkeepers',
      kind: 'staff',
      permissions: ['entity.summary:R', 'file:C', 'file:R'],
    });
    expect(JSON.parse(audit.after_json ?? '{}')).toEqual({
      name: 'Senior bookkeepers',
      kind: 'contact',
      permissions: ['activity:R', 'file:E', 'file:R'],
    });
  });

  it('a role’s kind cannot change once it is given to someone, and the form says why', async () => {
    const holder = await buildStaff(firm.db);
    await buildGroup(firm.db, 'Books team', [holder.id], [bookkeepers]);
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const form = await (await client.get(`/settings/roles/${bookkeepers}/edit`)).text();
    expect(form).toMatch(/<input type="radio" id="f-kind-contact"[^>]*disabled/);
    expect(form).toContain('<input type="hidden" name="kind" value="staff"/>');
    expect(form).toContain('the role is given once, and a role for staff given to contacts');
    const before = await snapshot(firm.db);
    const res = await client.post(`/settings/roles/${bookkeepers}`, {
      name: 'Bookkeepers',
      kind: 'contact',
      permissions: ['file:R'],
    });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), 'f-kind-staff')).toContain(
      'This cannot change now: the role is given once',
    );
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('deleting asks for confirmation, says how many bindings go with it, then removes them all', async () => {
    const holder = await buildStaff(firm.db);
    await buildGroup(firm.db, 'Books team', [holder.id], [bookkeepers]);
    await addBinding(firm.db, { userId: holder.id }, bookkeepers, SYSTEM, null);
    const client = await signedIn(firm.app, firm.db, firm.admin);
    expect(await (await client.get(`/settings/roles/${bookkeepers}/edit`)).text()).toContain(
      'It is given 2 times (to people or groups). Deleting it also removes those 2 role assignments',
    );
    const before = await snapshot(firm.db);
    const unconfirmed = await client.post(`/settings/roles/${bookkeepers}/delete`, {});
    expect(unconfirmed.status).toBe(422);
    expect(fieldError(await unconfirmed.text(), 'f-confirm')).toBe(
      'Tick the box to confirm that the Bookkeepers role should be deleted.',
    );
    expect(await snapshot(firm.db)).toEqual(before);

    const version = await counter(firm.db);
    const res = await client.post(`/settings/roles/${bookkeepers}/delete`, { confirm: 'yes' });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe('/settings/roles');
    expect(await firm.db.selectFrom('roles').select('id').where('id', '=', bookkeepers).execute()).toEqual(
      [],
    );
    expect(await permissionsOf(firm.db, bookkeepers)).toEqual([]);
    expect(
      await firm.db.selectFrom('role_bindings').select('id').where('role_id', '=', bookkeepers).execute(),
    ).toEqual([]);
    expect(await counter(firm.db)).toBeGreaterThan(version);
    expect(JSON.parse((await auditOf(firm.db, 'role.deleted')).before_json ?? '{}')).toEqual({
      name: 'Bookkeepers',
      kind: 'staff',
      permissions: ['entity.summary:R', 'file:C', 'file:R'],
      bindingsRemoved: 2,
    });
    const list = await (await client.get('/settings/roles')).text();
    expect(list).toContain('Role “Bookkeepers” deleted.');
    expect(list).not.toContain('>Bookkeepers</a>');
  });

  it('built-in roles cannot be edited or deleted: those routes answer 404 and nothing changes', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const before = await snapshot(firm.db);
    for (const id of ['admin', 'viewer', 'contact_owner']) {
      expect((await client.get(`/settings/roles/${id}/edit`)).status).toBe(404);
      expect((await client.post(`/settings/roles/${id}`, { name: 'Renamed', kind: 'staff' })).status).toBe(
        404,
      );
      expect((await client.post(`/settings/roles/${id}/delete`, { confirm: 'yes' })).status).toBe(404);
    }
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('a change to a custom role’s letters is seen by an existing session on its very next request', async () => {
    const reader = await buildStaff(firm.db);
    await buildGroup(firm.db, 'Readers', [reader.id], [bookkeepers]);
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const session = await signedIn(firm.app, firm.db, reader);
    expect((await session.get('/settings')).status).toBe(403);
    const save = (permissions: string[]) =>
      admin.post(`/settings/roles/${bookkeepers}`, { name: 'Bookkeepers', kind: 'staff', permissions });
    expect((await save(['file:R', 'organization:R'])).status).toBe(303);
    expect((await session.get('/settings')).status).toBe(200);
    expect((await session.get('/settings')).status).toBe(200);
    expect((await save(['file:R'])).status).toBe(303);
    expect((await session.get('/settings')).status).toBe(403);
  });

  it('the check is made against the actor as they are inside the transaction, not as loaded earlier', async () => {
    const stale = await loadActor(firm.db, firm.admin);
    await firm.db.deleteFrom('role_bindings').where('user_id', '=', firm.admin.id).execute();
    const before = await snapshot(firm.db);
    const ctx = { actor: stale, audit: { id: firm.admin.id, label: 'Admin' }, requestId: 'test' };
    await expect(
      firm.db
        .transaction()
        .execute((trx) => service.createRole(trx, ctx, { name: 'Late', kind: 'staff', permissions: [] })),
    ).rejects.toBeInstanceOf(Forbidden);
    await expect(
      firm.db.transaction().execute((trx) => service.deleteRole(trx, ctx, bookkeepers)),
    ).rejects.toBeInstanceOf(Forbidden);
    expect(await snapshot(firm.db)).toEqual(before);
  });
});
