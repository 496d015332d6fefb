/**
 * Contacts: Entities Admins add, edit and delete them; Summary and Details each sit behind their
 * own permission; a contact is seen through their client entity, so a role at one entity shows
 * that entity's contacts and no other's; another entity's contact answers exactly like a missing id;
 * moving a contact is authorized at both entities.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import type { Permission } from '../../src/permissions/index.js';
import { comparable, fieldError, fieldsetError, pageText } from '../helpers/app.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildGroup,
  buildRole,
  buildStaff,
  signedIn,
} from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';

const CONTACT_MANAGER: Permission[] = [
  'contact:C',
  'contact:D',
  'contact.summary:R',
  'contact.summary:E',
  'contact.details:R',
  'contact.details:E',
];

describe.each(DIALECTS)('contacts (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let entitiesAdmin: User;
  let clearwater: string;
  let harbour: string;
  let grace: User;
  let ada: User;

  beforeEach(async () => {
    entitiesAdmin = await buildStaff(firm.db, ['entities_admin']);
    clearwater = await buildEntity(firm.db, 'Clearwater Holdings', { reference: 'CW-1' });
    harbour = await buildEntity(firm.db, 'Harbour Trust', { kind: 'trust' });
    grace = await buildContact(firm.db, clearwater, {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@clearwater.example',
      phone: '0400 111 222',
    });
    ada = await buildContact(firm.db, harbour, { firstName: 'Ada', lastName: 'Lovelace' });
  });

  it('an Entities Admin adds a contact in a client entity named by reference, audited', async () => {
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const res = await client.post('/contacts', {
      firstName: ' Katherine ',
      lastName: 'Johnson',
      email: 'Katherine@Example.com',
      clientQ: 'cw-1',
      phone: '+61 2 5550 0000',
      address: '',
      notes: 'Prefers phone',
    });
    expect(res.status).toBe(303);
    const row = await firm.db
      .selectFrom('users as u')
      .innerJoin('contact_profiles as cp', 'cp.user_id', 'u.id')
      .selectAll()
      .where('u.email_normalized', '=', 'katherine@example.com')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({
      kind: 'contact',
      first_name: 'Katherine',
      client_entity_id: clearwater,
      phone: '+61 2 5550 0000',
      notes: 'Prefers phone',
      password_hash: null,
    });
    expect(res.headers.get('Location')).toBe(`/contacts/${row.id}`);
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'contact.created')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json ?? '{}')).toMatchObject({
      email: 'Katherine@Example.com',
      client: 'Clearwater Holdings',
    });
    const page = await (await client.get(`/contacts/${row.id}`)).text();
    expect(page).toContain('Katherine Johnson was added.');
    expect(page).toContain('Prefers phone');
  });

  it('bad input is named beside each field, keeps what was typed and writes nothing', async () => {
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const before = await snapshot(firm.db);
    const res = await client.post('/contacts', {
      firstName: '',
      lastName: 'Kept',
      email: 'not-an-email',
      clientQ: 'Nobody Ltd',
      notes: 'kept notes',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, 'f-firstName')).toBe('Enter the first name.');
    expect(fieldError(html, 'f-email')).toContain('Enter an email address like name@example.com');
    expect(html).toContain('value="Kept"');
    expect(html).toContain('value="Nobody Ltd"');
    expect(html).toContain('kept notes');
    // A well-formed contact in an entity that does not exist is named beside the client field.
    const unknown = await client.post('/contacts', {
      firstName: 'Kay',
      lastName: 'Kept',
      email: 'kay@example.com',
      clientQ: 'Nobody Ltd',
    });
    expect(unknown.status).toBe(422);
    expect(fieldsetError(await unknown.text(), 'client')).toBe(
      'No client you can add contacts to matches “Nobody Ltd”.',
    );
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('one email is one person: a contact cannot take a staff member’s or another contact’s email', async () => {
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const before = await snapshot(firm.db);
    for (const email of [entitiesAdmin.email.toUpperCase(), 'GRACE@clearwater.example']) {
      const res = await client.post('/contacts', { firstName: 'X', lastName: 'Y', email, client: '' });
      expect(res.status).toBe(422);
      expect(fieldError(await res.text(), 'f-email')).toBe('Someone already uses this email address.');
    }
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('two entities with the same name: the reference tells them apart', async () => {
    await buildEntity(firm.db, 'Clearwater Holdings', { reference: 'CW-2' });
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const res = await client.post('/contacts', {
      firstName: 'K',
      lastName: 'J',
      email: 'kj@example.com',
      clientQ: 'clearwater holdings',
    });
    expect(res.status).toBe(422);
    const twice = await res.text();
    expect(fieldsetError(twice, 'client')).toBe('Choose one of the clients found for “clearwater holdings”.');
    // Both are offered to choose from, told apart by their references.
    expect(twice).toContain('>Clearwater Holdings (CW-1)</label>');
    expect(twice).toContain('>Clearwater Holdings (CW-2)</label>');
    expect(
      (
        await client.post('/contacts', {
          firstName: 'K',
          lastName: 'J',
          email: 'kj@example.com',
          clientQ: 'CW-2',
        })
      ).status,
    ).toBe(303);
  });

  it('searches by name or email and pages on the server', async () => {
    for (let i = 0; i < 30; i++)
      await buildContact(firm.db, harbour, {
        firstName: 'Bulk',
        lastName: `Person ${String(i).padStart(2, '0')}`,
        email: `bulk${i}@bulk.example`,
      });
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const first = await (await client.get('/contacts?q=bulk')).text();
    expect(first).toContain('Page 1 of 2 · 30 in all');
    expect(first).toContain('Person 00');
    expect(first).not.toContain('Person 29');
    expect(await (await client.get('/contacts?q=bulk&page=2')).text()).toContain('Person 29');
    expect(await (await client.get('/contacts?q=bulk7%40')).text()).toContain('Person 07');
    expect(pageText(await (await client.get('/contacts?q=grace%20hop')).text())).toContain(
      'grace@clearwater.example',
    );
  });

  it('a role at one entity that carries contact permissions shows that entity’s contacts and no other', async () => {
    const manager = await buildStaff(firm.db);
    const role = await buildRole(firm.db, 'Client manager', [...CONTACT_MANAGER, 'entity.summary:R']);
    const group = await buildGroup(firm.db, 'Clearwater team', [manager.id]);
    await bindAtEntity(firm.db, { groupId: group }, role, clearwater);
    const client = await signedIn(firm.app, firm.db, manager);
    const list = await (await client.get('/contacts')).text();
    expect(list).toContain('Grace');
    expect(list).not.toContain('Lovelace');
    expect(list).toContain('1 in all');
    expect((await client.get(`/contacts/${grace.id}`)).status).toBe(200);
    // They may add contacts to their entity, and not to another or to none.
    const before = await snapshot(firm.db);
    const elsewhere = await client.post('/contacts', {
      firstName: 'K',
      lastName: 'J',
      email: 'kj@example.com',
      clientQ: 'Harbour Trust',
    });
    expect(fieldsetError(await elsewhere.text(), 'client')).toBe(
      'No client you can add contacts to matches “Harbour Trust”.',
    );
    const none = await client.post('/contacts', { firstName: 'K', lastName: 'J', email: 'kj@example.com' });
    expect(fieldsetError(await none.text(), 'client')).toBe('Choose the client this contact belongs to.');
    expect(await snapshot(firm.db)).toEqual(before);
    const added = await client.post('/contacts', {
      firstName: 'K',
      lastName: 'J',
      email: 'kj@example.com',
      clientQ: 'Clearwater Holdings',
    });
    expect(added.status).toBe(303);
  });

  it('moving a contact to another entity needs the right at both entities', async () => {
    const manager = await buildStaff(firm.db);
    const role = await buildRole(firm.db, 'Client manager', [...CONTACT_MANAGER, 'entity.summary:R']);
    await bindAtEntity(firm.db, { userId: manager.id }, role, clearwater);
    const seesHarbour = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: seesHarbour.id }, role, clearwater);
    await bindAtEntity(firm.db, { userId: seesHarbour.id }, 'viewer', harbour);
    const client = await signedIn(firm.app, firm.db, seesHarbour);
    const blind = await signedIn(firm.app, firm.db, manager);
    const before = await snapshot(firm.db);
    // Sees Harbour but holds no contact rights there: refused beside the field.
    const move = { firstName: 'Grace', lastName: 'Hopper', email: grace.email, clientQ: 'Harbour Trust' };
    const res = await client.post(`/contacts/${grace.id}/summary`, move);
    expect(res.status).toBe(422);
    expect(fieldsetError(await res.text(), 'client')).toBe('You cannot put contacts in Harbour Trust.');
    // Does not see Harbour at all: told it does not exist.
    const res2 = await blind.post(`/contacts/${grace.id}/summary`, move);
    expect(fieldsetError(await res2.text(), 'client')).toBe(
      'No client you can add contacts to matches “Harbour Trust”.',
    );
    expect(await snapshot(firm.db)).toEqual(before);
    // An Entities Admin holds it everywhere.
    const admin = await signedIn(firm.app, firm.db, entitiesAdmin);
    expect((await admin.post(`/contacts/${grace.id}/summary`, move)).status).toBe(303);
    const row = await firm.db
      .selectFrom('contact_profiles')
      .select('client_entity_id')
      .where('user_id', '=', grace.id)
      .executeTakeFirstOrThrow();
    expect(row.client_entity_id).toBe(harbour);
  });

  it('details typed for a contact in an entity where one may not set them are refused, not dropped', async () => {
    const clerk = await buildStaff(firm.db);
    const adder = await buildRole(firm.db, 'Adder', ['contact:C', 'contact.summary:R', 'entity.summary:R']);
    const detailer = await buildRole(firm.db, 'Detailer', ['contact.details:R', 'contact.details:E']);
    await bindAtEntity(firm.db, { userId: clerk.id }, adder, clearwater);
    await bindAtEntity(firm.db, { userId: clerk.id }, detailer, harbour);
    const client = await signedIn(firm.app, firm.db, clerk);
    const before = await snapshot(firm.db);
    const res = await client.post('/contacts', {
      firstName: 'K',
      lastName: 'J',
      email: 'kj@example.com',
      clientQ: 'Clearwater Holdings',
      phone: '0400 000 000',
    });
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, 'f-phone')).toBe(
      'You cannot fill in details for contacts in Clearwater Holdings: leave them empty.',
    );
    expect(html).toContain('value="0400 000 000"');
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('Summary and Details each need their own permission', async () => {
    const reader = await buildStaff(firm.db);
    const role = await buildRole(firm.db, 'Summary reader', ['contact.summary:R']);
    await bindAtEntity(firm.db, { userId: reader.id }, role, clearwater);
    const client = await signedIn(firm.app, firm.db, reader);
    const page = await (await client.get(`/contacts/${grace.id}`)).text();
    expect(pageText(page)).toContain('grace@clearwater.example');
    expect(page).not.toContain('<h2>Details</h2>');
    expect(page).not.toContain('0400 111 222');
    expect(page).not.toContain('Save summary');
    const before = await snapshot(firm.db);
    expect((await client.post(`/contacts/${grace.id}/details`, { phone: '1' })).status).toBe(404);
    expect(
      (
        await client.post(`/contacts/${grace.id}/summary`, {
          firstName: 'G',
          lastName: 'H',
          email: 'g@x.example',
        })
      ).status,
    ).toBe(403);
    expect((await client.post(`/contacts/${grace.id}/delete`, { confirm: 'yes' })).status).toBe(403);
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('another entity’s contact answers exactly like an id that does not exist, and changes nothing', async () => {
    const manager = await buildStaff(firm.db);
    const role = await buildRole(firm.db, 'Client manager', CONTACT_MANAGER);
    await bindAtEntity(firm.db, { userId: manager.id }, role, clearwater);
    const client = await signedIn(firm.app, firm.db, manager);
    const before = await snapshot(firm.db);
    for (const [method, suffix, body] of [
      ['GET', '', {}],
      ['POST', '/summary', { firstName: 'A', lastName: 'B', email: 'ab@example.com' }],
      ['POST', '/details', { notes: 'taken' }],
      ['POST', '/delete', { confirm: 'yes' }],
    ] as const) {
      const send = (id: string) =>
        method === 'GET'
          ? client.get(`/contacts/${id}${suffix}`)
          : client.post(`/contacts/${id}${suffix}`, body);
      const other = await send(ada.id);
      const missing = await send('no-such-contact');
      const staffId = await send(entitiesAdmin.id);
      expect([suffix, other.status, missing.status, staffId.status]).toEqual([suffix, 404, 404, 404]);
      expect(comparable(await other.text())).toBe(comparable(await missing.text()));
    }
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('edits the details, audited with before and after', async () => {
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const res = await client.post(`/contacts/${grace.id}/details`, {
      phone: '0400 999 999',
      address: '1 Navy Way',
      notes: '',
    });
    expect(res.status).toBe(303);
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'contact.updated')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before_json ?? '{}')).toEqual({ phone: '0400 111 222', address: '', notes: '' });
    expect(JSON.parse(audit.after_json ?? '{}')).toEqual({
      phone: '0400 999 999',
      address: '1 Navy Way',
      notes: '',
    });
  });

  it('deleting asks for confirmation, then removes the contact with their sessions and bindings', async () => {
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', clearwater);
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const unconfirmed = await client.post(`/contacts/${grace.id}/delete`, {});
    expect(unconfirmed.status).toBe(422);
    expect(fieldError(await unconfirmed.text(), 'f-confirm')).toContain('Tick the box');
    expect((await client.post(`/contacts/${grace.id}/delete`, { confirm: 'yes' })).status).toBe(303);
    expect(await firm.db.selectFrom('users').select('id').where('id', '=', grace.id).execute()).toEqual([]);
    expect(
      await firm.db.selectFrom('role_bindings').select('id').where('user_id', '=', grace.id).execute(),
    ).toEqual([]);
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'contact.deleted')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before_json ?? '{}')).toMatchObject({
      email: grace.email,
      roleBindingsRemoved: 1,
    });
  });

  it('deleting an entity keeps its contacts, without a client entity', async () => {
    const katherine = await buildContact(firm.db, clearwater, {
      firstName: 'Katherine',
      lastName: 'Johnson',
    });
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    expect((await client.post(`/entities/${clearwater}/delete`, { confirm: 'yes' })).status).toBe(303);
    const profiles = await firm.db
      .selectFrom('contact_profiles')
      .innerJoin('users', 'users.id', 'contact_profiles.user_id')
      .select(['users.id', 'contact_profiles.client_entity_id'])
      .orderBy('users.first_name')
      .execute();
    expect(profiles).toEqual([
      { id: ada.id, client_entity_id: harbour },
      { id: grace.id, client_entity_id: null },
      { id: katherine.id, client_entity_id: null },
    ]);
    const audit = await firm.db
      .selectFrom('audit_events')
      .select('before_json')
      .where('action', '=', 'entity.deleted')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before_json ?? '{}')).toMatchObject({ contactsLeftWithoutClient: 2 });
    // The page after deleting tells of the deletion; the contact's own page then names no client.
    expect((await client.get('/entities')).status).toBe(200);
    const page = await client.get(`/contacts/${grace.id}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(pageText(html)).toContain('Grace Hopper');
    expect(pageText(html)).not.toContain('Clearwater Holdings');
    const chosen = html.match(/<input[^>]*name="client"[^>]*>/g)?.filter((tag) => tag.includes('checked'));
    expect(chosen).toEqual([expect.stringContaining('value="none"')]);
  });

  it('staff with no contact rights are refused the list and see no Contacts navigation; contacts too', async () => {
    const nobody = await signedIn(firm.app, firm.db, await buildStaff(firm.db));
    expect((await nobody.get('/contacts')).status).toBe(403);
    expect((await nobody.get('/contacts/new')).status).toBe(403);
    expect(await (await nobody.get('/')).text()).not.toContain('href="/contacts"');
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', clearwater);
    const contact = await signedIn(firm.app, firm.db, grace);
    expect((await contact.get('/contacts')).status).toBe(403);
    expect((await contact.get(`/contacts/${grace.id}`)).status).toBe(403);
  });
});
