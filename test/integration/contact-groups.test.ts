/**
 * Contact groups (the seed's "To create a contact group"): an Entities Admin names a group, finds
 * contacts by search and ticks them. Members are chosen only among contacts the caller may see,
 * and a save never touches members the form did not offer.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { fieldError, fieldsetError } from '../helpers/app.js';
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

describe.each(DIALECTS)('contact groups (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let entitiesAdmin: User;
  let clearwater: string;
  let harbour: string;
  let grace: User;
  let ada: User;

  const members = (groupId: string) =>
    firm.db
      .selectFrom('group_members')
      .select('user_id')
      .where('group_id', '=', groupId)
      .execute()
      .then((rows) => rows.map((r) => r.user_id).sort());

  beforeEach(async () => {
    entitiesAdmin = await buildStaff(firm.db, ['entities_admin']);
    clearwater = await buildEntity(firm.db, 'Clearwater Holdings');
    harbour = await buildEntity(firm.db, 'Harbour Trust');
    grace = await buildContact(firm.db, clearwater, { firstName: 'Grace', lastName: 'Hopper' });
    ada = await buildContact(firm.db, harbour, { firstName: 'Ada', lastName: 'Lovelace' });
  });

  it('finds contacts by search, keeping what was typed and ticked, then creates the group', async () => {
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const found = await (
      await client.get(
        `/contact-groups/new?search=1&name=Year+end&description=June&q=hopper&members=${ada.id}`,
      )
    ).text();
    expect(found).toContain('value="Year end"');
    expect(found).toContain('Grace Hopper');
    expect(found).toMatch(new RegExp(`value="${ada.id}"[^>]*checked`));
    const res = await client.post('/contact-groups', {
      name: 'Year end',
      description: 'June',
      members: [ada.id, grace.id],
      membersShown: [ada.id, grace.id],
    });
    expect(res.status).toBe(303);
    const group = await firm.db
      .selectFrom('groups')
      .selectAll()
      .where('name', '=', 'Year end')
      .executeTakeFirstOrThrow();
    expect(group.kind).toBe('contact');
    expect(await members(group.id)).toEqual([ada.id, grace.id].sort());
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'group.created')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json ?? '{}')).toMatchObject({ kind: 'contact', name: 'Year end' });
    const list = await (await client.get('/contact-groups')).text();
    expect(list).toContain('Year end');
  });

  it('refuses a blank or taken name beside the field, keeping the ticks, writing nothing', async () => {
    await buildGroup(firm.db, 'Year End', [], [], 'contact');
    // A staff group of the same name does not clash with a contact group.
    await buildGroup(firm.db, 'Partners', [], []);
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const before = await snapshot(firm.db);
    const blank = await client.post('/contact-groups', {
      name: ' ',
      members: [grace.id],
      membersShown: [grace.id],
    });
    expect(blank.status).toBe(422);
    const html = await blank.text();
    expect(fieldError(html, 'f-name')).toBe('Enter the group name.');
    expect(html).toMatch(new RegExp(`value="${grace.id}"[^>]*checked`));
    const taken = await client.post('/contact-groups', { name: 'year end' });
    expect(fieldError(await taken.text(), 'f-name')).toBe('Another contact group already has this name.');
    expect(await snapshot(firm.db)).toEqual(before);
    expect((await client.post('/contact-groups', { name: 'Partners' })).status).toBe(303);
  });

  it('members are only contacts: a staff id is refused beside Members', async () => {
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const before = await snapshot(firm.db);
    const res = await client.post('/contact-groups', {
      name: 'Mixed',
      members: [grace.id, entitiesAdmin.id],
      membersShown: [grace.id, entitiesAdmin.id],
    });
    expect(res.status).toBe(422);
    expect(fieldsetError(await res.text(), 'members')).toBe('Choose members only from the contacts listed.');
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('a save removes only members the form offered; the others stay', async () => {
    const group = await buildGroup(firm.db, 'Year end', [grace.id, ada.id], [], 'contact');
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    // The form offered Grace (unticked) and not Ada: Grace leaves, Ada stays.
    const res = await client.post(`/contact-groups/${group}`, {
      name: 'Year end',
      description: '',
      membersShown: [grace.id],
    });
    expect(res.status).toBe(303);
    expect(await members(group)).toEqual([ada.id]);
  });

  it('someone who sees one entity’s contacts sees only those in a group, and cannot add others', async () => {
    const group = await buildGroup(firm.db, 'Year end', [grace.id, ada.id], [], 'contact');
    const role = await buildRole(firm.db, 'Group keeper', ['contact.summary:R']);
    const keeper = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: keeper.id }, role, clearwater);
    const system = await buildRole(firm.db, 'Group editor', ['contactGroup:E']);
    await firm.db
      .insertInto('role_bindings')
      .values({
        id: 'rb-keeper',
        role_id: system,
        user_id: keeper.id,
        group_id: null,
        scope_type: 'system',
        scope_id: '',
        created_at: Date.now(),
        created_by: null,
      })
      .execute();
    const client = await signedIn(firm.app, firm.db, keeper);
    const page = await (await client.get(`/contact-groups/${group}`)).text();
    expect(page).toContain('Grace Hopper');
    expect(page).not.toContain('Lovelace');
    const search = await (
      await client.get(`/contact-groups/${group}?search=1&name=Year+end&q=lovelace`)
    ).text();
    expect(search).not.toContain('Lovelace');
    const before = await snapshot(firm.db);
    const res = await client.post(`/contact-groups/${group}`, {
      name: 'Year end',
      members: [grace.id, ada.id],
      membersShown: [grace.id, ada.id],
    });
    expect(res.status).toBe(422);
    expect(await snapshot(firm.db)).toEqual(before);
    // Unticking Grace (the only member they see) leaves Ada alone.
    expect(
      (await client.post(`/contact-groups/${group}`, { name: 'Year end', membersShown: [grace.id] })).status,
    ).toBe(303);
    expect(await members(group)).toEqual([ada.id]);
  });

  it('changing members of a group that holds a role at an entity needs that role’s rights there', async () => {
    const group = await buildGroup(firm.db, 'Clearwater family', [], [], 'contact');
    await bindAtEntity(firm.db, { groupId: group }, 'contact_entity_collaborator', clearwater);
    const role = await buildRole(firm.db, 'Groups only', ['contactGroup:E', 'contact.summary:R']);
    const clerk = await buildStaff(firm.db, [role]);
    const client = await signedIn(firm.app, firm.db, clerk);
    const before = await snapshot(firm.db);
    const res = await client.post(`/contact-groups/${group}`, {
      name: 'Clearwater family',
      members: [grace.id],
      membersShown: [grace.id],
    });
    expect(res.status).toBe(422);
    expect(fieldsetError(await res.text(), 'members')).toContain(
      'its roles carry permissions you do not hold',
    );
    expect(await snapshot(firm.db)).toEqual(before);
    const admin = await signedIn(firm.app, firm.db, entitiesAdmin);
    expect(
      (await admin.post(`/contact-groups/${group}`, { name: 'Clearwater family', members: [grace.id] }))
        .status,
    ).toBe(303);
    expect(await members(group)).toEqual([grace.id]);
  });

  it('deleting asks for confirmation, then removes the group and the roles it held', async () => {
    const group = await buildGroup(firm.db, 'Year end', [grace.id], [], 'contact');
    await bindAtEntity(firm.db, { groupId: group }, 'contact_entity_access', clearwater);
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const unconfirmed = await client.post(`/contact-groups/${group}/delete`, {});
    expect(unconfirmed.status).toBe(422);
    expect(fieldError(await unconfirmed.text(), 'f-confirm')).toContain('Tick the box');
    expect((await client.post(`/contact-groups/${group}/delete`, { confirm: 'yes' })).status).toBe(303);
    expect(await firm.db.selectFrom('groups').select('id').where('id', '=', group).execute()).toEqual([]);
    expect(
      await firm.db.selectFrom('role_bindings').select('id').where('group_id', '=', group).execute(),
    ).toEqual([]);
  });

  it('a staff group id is not a contact group (and the other way round)', async () => {
    const staffGroup = await buildGroup(firm.db, 'Partners', [], []);
    const contactGroup = await buildGroup(firm.db, 'Family', [], [], 'contact');
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    expect((await admin.get(`/contact-groups/${staffGroup}`)).status).toBe(404);
    expect((await admin.get(`/groups/${contactGroup}`)).status).toBe(404);
  });
});
