/**
 * Entities (shown under the firm's label): Entities Admins create, edit and delete them; Summary
 * and Details each sit behind their own permission; a role at one entity shows that entity and no
 * other; another entity's id answers exactly like an id that does not exist.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { comparable, fieldError } from '../helpers/app.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import { bindAtEntity, buildEntity, buildGroup, buildStaff, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';

describe.each(DIALECTS)('entities (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let entitiesAdmin: User;
  let clearwater: string;
  let harbour: string;

  beforeEach(async () => {
    entitiesAdmin = await buildStaff(firm.db, ['entities_admin']);
    clearwater = await buildEntity(firm.db, 'Clearwater Holdings', {
      tax_number: 'TX-111',
      notes: 'Year end June',
    });
    harbour = await buildEntity(firm.db, 'Harbour Trust', { kind: 'trust' });
  });

  it('an Entities Admin adds a client with summary and details, and it is audited', async () => {
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const res = await client.post('/entities', {
      name: '  Grace Hopper  ',
      kind: 'individual',
      reference: 'HOP-01',
      email: 'grace@example.com',
      phone: '+61 2 5550 1234',
      taxNumber: '123 456 789',
      address: '1 Navy Way\nArlington',
      notes: '',
    });
    expect(res.status).toBe(303);
    const row = await firm.db
      .selectFrom('entities')
      .selectAll()
      .where('name', '=', 'Grace Hopper')
      .executeTakeFirstOrThrow();
    expect(res.headers.get('Location')).toBe(`/entities/${row.id}`);
    expect(row).toMatchObject({
      kind: 'individual',
      reference: 'HOP-01',
      tax_number: '123 456 789',
      created_by: entitiesAdmin.id,
    });
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'entity.created')
      .executeTakeFirstOrThrow();
    expect(audit.object_id).toBe(row.id);
    expect(JSON.parse(audit.after_json ?? '{}')).toMatchObject({
      name: 'Grace Hopper',
      email: 'grace@example.com',
    });
    const page = await (await client.get(`/entities/${row.id}`)).text();
    expect(page).toContain('Grace Hopper was added.');
    expect(page).toContain('1 Navy Way');
  });

  it('bad input is named beside each field, keeps what was typed and writes nothing', async () => {
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const before = await snapshot(firm.db);
    const res = await client.post('/entities', {
      name: '   ',
      kind: 'spaceship',
      reference: 'R'.repeat(51),
      email: 'not-an-email',
      notes: 'kept notes',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, 'f-name')).toBe('Enter the name.');
    expect(fieldError(html, 'f-kind')).toBe('Choose what kind of entity this is.');
    expect(fieldError(html, 'f-reference')).toBe('The reference must be at most 50 characters.');
    expect(fieldError(html, 'f-email')).toContain('Enter an email address like name@example.com');
    expect(html).toContain('kept notes');
    expect(html).toContain('value="not-an-email"');
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('a reference is unique whatever its case: refused beside the field on add and on edit', async () => {
    await firm.db.updateTable('entities').set({ reference: 'CW-1' }).where('id', '=', clearwater).execute();
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const before = await snapshot(firm.db);
    const add = await client.post('/entities', { name: 'Another', kind: 'company', reference: 'cw-1' });
    expect(add.status).toBe(422);
    const html = await add.text();
    expect(fieldError(html, 'f-reference')).toBe('Another client already has this reference.');
    expect(html).toContain('value="Another"');
    const edit = await client.post(`/entities/${harbour}/summary`, {
      name: 'Harbour Trust',
      kind: 'trust',
      reference: 'CW-1 ',
    });
    expect(fieldError(await edit.text(), 'f-reference')).toBe('Another client already has this reference.');
    expect(await snapshot(firm.db)).toEqual(before);
    // Keeping one's own reference, and leaving references empty, are fine.
    expect(
      (
        await client.post(`/entities/${clearwater}/summary`, {
          name: 'Clearwater',
          kind: 'company',
          reference: 'CW-1',
        })
      ).status,
    ).toBe(303);
    expect((await client.post('/entities', { name: 'No ref', kind: 'company', reference: '' })).status).toBe(
      303,
    );
  });

  it('the list and the navigation use the firm’s label', async () => {
    await firm.db.updateTable('organization').set({ entity_label: 'Matter' }).execute();
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const html = await (await client.get('/entities')).text();
    expect(html).toContain('<h1>Matters</h1>');
    expect(html).toContain('Add matter');
    expect(html).toMatch(/<a href="\/entities"[^>]*>Matters<\/a>/);
  });

  it('searches by name, reference or email and pages on the server', async () => {
    for (let i = 0; i < 30; i++)
      await buildEntity(firm.db, `Bulk ${String(i).padStart(2, '0')}`, { reference: `B${i}` });
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const first = await (await client.get('/entities?q=bulk')).text();
    expect(first).toContain('Page 1 of 2 · 30 in all');
    expect(first).toContain('Bulk 00');
    expect(first).not.toContain('Bulk 25');
    const second = await (await client.get('/entities?q=bulk&page=2')).text();
    expect(second).toContain('Bulk 29');
    expect(await (await client.get('/entities?q=b7')).text()).toContain('Bulk 07');
  });

  it('a Viewer at one entity sees that entity in the list and on its page, and no other', async () => {
    const viewer = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: viewer.id }, 'viewer', clearwater);
    const client = await signedIn(firm.app, firm.db, viewer);
    const list = await (await client.get('/entities')).text();
    expect(list).toContain('Clearwater Holdings');
    expect(list).not.toContain('Harbour Trust');
    expect(list).toContain('1 in all');
    expect(list).not.toContain('Add client');
    const page = await (await client.get(`/entities/${clearwater}`)).text();
    expect(page).toContain('TX-111');
    expect(page).not.toContain('Save summary');
    expect(page).not.toContain('Delete client');
  });

  it('a role given to a group at an entity reaches its members', async () => {
    const member = await buildStaff(firm.db);
    const group = await buildGroup(firm.db, 'Trusts team', [member.id]);
    await bindAtEntity(firm.db, { groupId: group }, 'entity_access', harbour);
    const client = await signedIn(firm.app, firm.db, member);
    const list = await (await client.get('/entities')).text();
    expect(list).toContain('Harbour Trust');
    expect(list).not.toContain('Clearwater Holdings');
  });

  it('Entity Access shows that an entity exists, with its summary but not its details', async () => {
    const staff = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: staff.id }, 'entity_access', clearwater);
    const client = await signedIn(firm.app, firm.db, staff);
    const page = await (await client.get(`/entities/${clearwater}`)).text();
    expect(page).toContain('Clearwater Holdings');
    expect(page).not.toContain('<h2>Details</h2>');
    expect(page).not.toContain('TX-111');
    const before = await snapshot(firm.db);
    const res = await client.post(`/entities/${clearwater}/details`, {
      email: 'x@example.com',
      notes: 'mine',
    });
    expect(res.status).toBe(404);
    expect(
      (await client.post(`/entities/${clearwater}/summary`, { name: 'Mine', kind: 'company' })).status,
    ).toBe(403);
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('another entity’s id answers exactly like an id that does not exist, and changes nothing', async () => {
    const viewer = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: viewer.id }, 'owner', clearwater);
    const client = await signedIn(firm.app, firm.db, viewer);
    const before = await snapshot(firm.db);
    for (const [method, suffix, body] of [
      ['GET', '', {}],
      ['POST', '/summary', { name: 'Taken', kind: 'company' }],
      ['POST', '/details', { notes: 'taken' }],
      ['POST', '/delete', { confirm: 'yes' }],
    ] as const) {
      const send = (id: string) =>
        method === 'GET'
          ? client.get(`/entities/${id}${suffix}`)
          : client.post(`/entities/${id}${suffix}`, body);
      const other = await send(harbour);
      const missing = await send('no-such-entity');
      expect([suffix, other.status]).toEqual([suffix, 404]);
      expect([suffix, missing.status]).toEqual([suffix, 404]);
      expect(comparable(await other.text())).toBe(comparable(await missing.text()));
    }
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('edits the summary and the details separately, each audited with before and after', async () => {
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    expect(
      (
        await client.post(`/entities/${clearwater}/summary`, {
          name: 'Clearwater Group',
          kind: 'company',
          reference: 'CW',
        })
      ).status,
    ).toBe(303);
    expect(
      (
        await client.post(`/entities/${clearwater}/details`, {
          email: 'office@clearwater.example',
          phone: '',
          taxNumber: 'TX-222',
          address: '',
          notes: '',
        })
      ).status,
    ).toBe(303);
    const row = await firm.db
      .selectFrom('entities')
      .selectAll()
      .where('id', '=', clearwater)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      name: 'Clearwater Group',
      name_normalized: 'clearwater group',
      reference: 'CW',
      tax_number: 'TX-222',
      email: 'office@clearwater.example',
    });
    const events = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'entity.updated')
      .orderBy('id')
      .execute();
    expect(events.map((e) => JSON.parse(e.before_json ?? '{}'))).toEqual([
      { name: 'Clearwater Holdings', kind: 'company', reference: '' },
      { email: '', phone: '', taxNumber: 'TX-111', address: '', notes: 'Year end June' },
    ]);
  });

  it('a bad summary edit is shown beside the field on the entity page, keeping what was typed', async () => {
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const res = await client.post(`/entities/${clearwater}/summary`, {
      name: '',
      kind: 'trust',
      reference: 'typed ref',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, 'f-name')).toBe('Enter the name.');
    expect(html).toContain('value="typed ref"');
  });

  it('deleting asks for confirmation, then removes the entity and every role bound at it', async () => {
    const viewer = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: viewer.id }, 'viewer', clearwater);
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const unconfirmed = await client.post(`/entities/${clearwater}/delete`, {});
    expect(unconfirmed.status).toBe(422);
    expect(fieldError(await unconfirmed.text(), 'f-confirm')).toContain('Tick the box');
    expect((await client.post(`/entities/${clearwater}/delete`, { confirm: 'yes' })).status).toBe(303);
    expect(
      await firm.db.selectFrom('entities').select('id').where('id', '=', clearwater).executeTakeFirst(),
    ).toBeUndefined();
    expect(
      await firm.db.selectFrom('role_bindings').select('id').where('scope_id', '=', clearwater).execute(),
    ).toEqual([]);
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'entity.deleted')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before_json ?? '{}')).toMatchObject({
      name: 'Clearwater Holdings',
      roleBindingsRemoved: 1,
    });
  });

  it('a staff member with no entity role is refused the list and sees no entity navigation', async () => {
    const nobody = await buildStaff(firm.db);
    const client = await signedIn(firm.app, firm.db, nobody);
    expect((await client.get('/entities')).status).toBe(403);
    expect(await (await client.get('/')).text()).not.toContain('href="/entities"');
  });

  it('a role taken away at the entity hides it on the very next request', async () => {
    const viewer = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: viewer.id }, 'viewer', clearwater);
    const client = await signedIn(firm.app, firm.db, viewer);
    expect((await client.get(`/entities/${clearwater}`)).status).toBe(200);
    await firm.db.deleteFrom('role_bindings').where('user_id', '=', viewer.id).execute();
    expect((await client.get(`/entities/${clearwater}`)).status).toBe(404);
  });
});
