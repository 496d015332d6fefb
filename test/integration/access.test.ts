/**
 * "Assign to Entities" and "Who can see it": roles given at entities to people and groups, what is
 * inherited and from where, Share (A) and (S), nobody giving what they do not hold, every named id
 * authorized, and revoking from the entity's side. Each refusal leaves the database unchanged.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { fieldError, fieldsetError, pageText } from '../helpers/app.js';
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

describe.each(DIALECTS)('access at entities (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let entitiesAdmin: User;
  let mary: User;
  let grace: User;
  let clearwater: string;
  let harbour: string;
  let summit: string;

  const bindings = (where: { userId?: string; groupId?: string }) =>
    firm.db
      .selectFrom('role_bindings')
      .select(['role_id', 'scope_type', 'scope_id'])
      .where(where.userId ? 'user_id' : 'group_id', '=', where.userId ?? where.groupId ?? '')
      .orderBy('scope_id')
      .orderBy('role_id')
      .execute();

  beforeEach(async () => {
    entitiesAdmin = await buildStaff(firm.db, ['entities_admin'], { firstName: 'Eddie', lastName: 'Admin' });
    mary = await buildStaff(firm.db, [], { firstName: 'Mary', lastName: 'Smith' });
    clearwater = await buildEntity(firm.db, 'Clearwater Holdings', { reference: 'CW-1' });
    harbour = await buildEntity(firm.db, 'Harbour Trust');
    summit = await buildEntity(firm.db, 'Summit Partners');
    grace = await buildContact(firm.db, clearwater, { firstName: 'Grace', lastName: 'Hopper' });
  });

  it('an Entities Admin gives a staff member Viewer at two entities; they see them on their next request', async () => {
    const marys = await signedIn(firm.app, firm.db, mary);
    expect((await marys.get('/entities')).status).toBe(403);
    const admin = await signedIn(firm.app, firm.db, entitiesAdmin);
    const found = await (await admin.get(`/staff/${mary.id}/entities?search=1&q=cw-1`)).text();
    expect(found).toContain('Clearwater Holdings');
    expect(found).not.toContain('Harbour Trust');
    const res = await admin.post(`/staff/${mary.id}/entities`, {
      entities: [clearwater, harbour],
      role: 'viewer',
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('Location')).toBe(`/staff/${mary.id}/entities`);
    expect(await bindings({ userId: mary.id })).toEqual(
      [clearwater, harbour].sort().map((id) => ({ role_id: 'viewer', scope_type: 'entity', scope_id: id })),
    );
    const page = await (await admin.get(`/staff/${mary.id}/entities`)).text();
    expect(page).toContain('Mary Smith now has Viewer at 2 clients.');
    expect(page).toMatch(/Remove<span class="visually-hidden"> Viewer at Harbour Trust<\/span>/);
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'access.granted')
      .execute();
    expect(audit.map((a) => a.object_label).sort()).toEqual(['Clearwater Holdings', 'Harbour Trust']);
    const list = await (await marys.get('/entities')).text();
    expect(list).toContain('Clearwater Holdings');
    expect(list).not.toContain('Summit Partners');
  });

  it('shows under Inherited what comes through a group or from the system level, with where it comes from', async () => {
    const team = await buildGroup(firm.db, 'Tax team', [mary.id]);
    await bindAtEntity(firm.db, { groupId: team }, 'editor', harbour);
    await buildGroup(firm.db, 'Everyone', [mary.id], ['viewer']);
    // An Admin may read who holds what through which group; an Entities Admin sees "A group".
    const eaClient = await signedIn(firm.app, firm.db, entitiesAdmin);
    const eaView = await (await eaClient.get(`/staff/${mary.id}/entities`)).text();
    expect(eaView).not.toContain('Tax team');
    expect(eaView).toContain('<td>A group</td>');
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const html = await (await admin.get(`/staff/${mary.id}/entities`)).text();
    const inherited = html.slice(html.indexOf('<h2>Inherited</h2>'), html.indexOf('<h2>Assign roles</h2>'));
    expect(inherited).toMatch(
      /Editor<\/td><td><a href="\/entities\/[^"]+">Harbour Trust<\/a><\/td><td><a href="\/groups\/[^"]+">Group Tax team<\/a>/,
    );
    expect(inherited).toMatch(
      /Viewer<\/td><td>All clients<\/td><td><a href="\/groups\/[^"]+">Group Everyone<\/a>/,
    );
  });

  it('an Owner at one entity shares it with a contact, and nothing beyond it', async () => {
    const owner = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: owner.id }, 'owner', clearwater);
    await bindAtEntity(firm.db, { userId: owner.id }, 'viewer', harbour);
    const role = await buildRole(firm.db, 'Contact manager', ['contact.summary:R']);
    await bindAtEntity(firm.db, { userId: owner.id }, role, clearwater);
    const client = await signedIn(firm.app, firm.db, owner);
    expect(
      (
        await client.post(`/contacts/${grace.id}/entities`, {
          entities: [clearwater],
          role: 'contact_entity_access',
        })
      ).status,
    ).toBe(303);
    expect(await bindings({ userId: grace.id })).toEqual([
      { role_id: 'contact_entity_access', scope_type: 'entity', scope_id: clearwater },
    ]);
    const before = await snapshot(firm.db);
    // Harbour: they see it but hold no Share there.
    const harbourRes = await client.post(`/contacts/${grace.id}/entities`, {
      entities: [clearwater, harbour],
      role: 'contact_entity_collaborator',
    });
    expect(harbourRes.status).toBe(422);
    expect(fieldsetError(await harbourRes.text(), 'entities')).toBe('You cannot share Harbour Trust.');
    // Summit: they cannot see it, so it answers as an id that does not exist.
    for (const id of [summit, 'no-such-entity']) {
      const res = await client.post(`/contacts/${grace.id}/entities`, {
        entities: [id],
        role: 'contact_entity_access',
      });
      expect(fieldsetError(await res.text(), 'entities')).toBe('Choose clients from the list.');
    }
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('nobody gives a role carrying permissions they do not hold at that entity', async () => {
    const owner = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: owner.id }, 'owner', clearwater);
    await buildRole(firm.db, 'Summary editors', ['entity.summary:R', 'entity.summary:E']);
    const roleId = (
      await firm.db
        .selectFrom('roles')
        .select('id')
        .where('name', '=', 'Summary editors')
        .executeTakeFirstOrThrow()
    ).id;
    const client = await signedIn(firm.app, firm.db, owner);
    const before = await snapshot(firm.db);
    const res = await client.post(`/staff/${mary.id}/entities`, { entities: [clearwater], role: roleId });
    expect(res.status).toBe(422);
    expect(fieldsetError(await res.text(), 'entities')).toBe(
      'You cannot give or take the Summary editors role at Clearwater Holdings: it carries permissions you do not hold there.',
    );
    expect(await snapshot(firm.db)).toEqual(before);
    // Owner itself they hold, so they may give it.
    expect(
      (await client.post(`/staff/${mary.id}/entities`, { entities: [clearwater], role: 'owner' })).status,
    ).toBe(303);
  });

  it('offers only roles of the person’s kind that may be given at an entity, and refuses any other', async () => {
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const contactPage = await (await admin.get(`/contacts/${grace.id}/entities`)).text();
    expect(contactPage).toContain('Contact - Entity Collaborator');
    expect(contactPage).toContain('Associated');
    expect(contactPage).not.toContain('>Viewer<');
    const staffPage = await (await admin.get(`/staff/${mary.id}/entities`)).text();
    expect(staffPage).toContain('Entity Access');
    expect(staffPage).not.toContain('Contact - Entity Access');
    expect(staffPage).not.toMatch(/value="admin"/);
    const before = await snapshot(firm.db);
    for (const [path, role] of [
      [`/contacts/${grace.id}/entities`, 'viewer'],
      [`/staff/${mary.id}/entities`, 'contact_owner'],
      [`/staff/${mary.id}/entities`, 'admin'],
      [`/staff/${mary.id}/entities`, 'no-such-role'],
    ] as const) {
      const res = await admin.post(path, { entities: [clearwater], role });
      expect([path, role, res.status]).toEqual([path, role, 422]);
      expect(fieldsetError(await res.text(), 'role')).toBe('Choose one of the roles listed.');
    }
    const empty = await admin.post(`/staff/${mary.id}/entities`, {});
    const html = await empty.text();
    expect(fieldsetError(html, 'entities')).toBe('Choose at least one client.');
    expect(fieldsetError(html, 'role')).toBe('Choose the role to assign.');
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('a contact group gets an entity role that reaches its members', async () => {
    const family = await buildGroup(firm.db, 'Hopper family', [grace.id], [], 'contact');
    const admin = await signedIn(firm.app, firm.db, entitiesAdmin);
    expect(
      (
        await admin.post(`/contact-groups/${family}/entities`, {
          entities: [clearwater],
          role: 'contact_entity_collaborator',
        })
      ).status,
    ).toBe(303);
    const why = await (
      await admin.get(`/entities/${clearwater}/access?person=${encodeURIComponent(grace.email)}`)
    ).text();
    expect(why).toContain('Why Grace Hopper can see Clearwater Holdings');
    expect(why).toMatch(
      /Contact - Entity Collaborator<\/td><td><a[^>]*>Clearwater Holdings<\/a><\/td><td><a href="\/contact-groups\/[^"]+">Group Hopper family/,
    );
  });

  it('removing a role at an entity takes effect on the next request, and is audited', async () => {
    await bindAtEntity(firm.db, { userId: mary.id }, 'viewer', clearwater);
    const marys = await signedIn(firm.app, firm.db, mary);
    expect((await marys.get(`/entities/${clearwater}`)).status).toBe(200);
    const admin = await signedIn(firm.app, firm.db, entitiesAdmin);
    const [binding] = await firm.db
      .selectFrom('role_bindings')
      .select('id')
      .where('user_id', '=', mary.id)
      .execute();
    expect(
      (await admin.post(`/staff/${mary.id}/entities/remove`, { binding: binding?.id ?? '' })).status,
    ).toBe(303);
    expect((await marys.get(`/entities/${clearwater}`)).status).toBe(404);
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'access.revoked')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before_json ?? '{}')).toMatchObject({ from: 'Mary Smith', role: 'Viewer' });
  });

  it('a binding id of someone else, or at an entity the actor cannot see, answers 404 and changes nothing', async () => {
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', clearwater);
    await bindAtEntity(firm.db, { userId: mary.id }, 'viewer', summit);
    const [graces] = await firm.db
      .selectFrom('role_bindings')
      .select('id')
      .where('user_id', '=', grace.id)
      .execute();
    const [marys] = await firm.db
      .selectFrom('role_bindings')
      .select('id')
      .where('user_id', '=', mary.id)
      .execute();
    const owner = await buildStaff(firm.db, ['staff_admin']);
    await bindAtEntity(firm.db, { userId: owner.id }, 'owner', clearwater);
    const client = await signedIn(firm.app, firm.db, owner);
    const before = await snapshot(firm.db);
    // Grace's binding, named on Mary's page.
    expect(
      (await client.post(`/staff/${mary.id}/entities/remove`, { binding: graces?.id ?? '' })).status,
    ).toBe(404);
    // Mary's binding at Summit, which the owner cannot see.
    expect(
      (await client.post(`/staff/${mary.id}/entities/remove`, { binding: marys?.id ?? '' })).status,
    ).toBe(404);
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('“Who can see it” lists every binding behind access, explains one person, and revokes at the entity', async () => {
    const team = await buildGroup(firm.db, 'Tax team', [mary.id]);
    await bindAtEntity(firm.db, { groupId: team }, 'viewer', clearwater);
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', clearwater);
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const html = await (await admin.get(`/entities/${clearwater}/access`)).text();
    expect(html).toContain('Group Tax team (1 member)');
    expect(html).toContain('Grace Hopper');
    expect(html).toContain('Entities Admin');
    expect(html).not.toContain('Harbour');
    const why = await (
      await admin.get(`/entities/${clearwater}/access?person=${encodeURIComponent(mary.email)}`)
    ).text();
    expect(why).toMatch(
      /Viewer<\/td><td><a[^>]*>Clearwater Holdings<\/a><\/td><td><a href="\/groups\/[^"]+">Group Tax team/,
    );
    const nobody = await buildStaff(firm.db, [], { firstName: 'No', lastName: 'Body' });
    expect(
      await (
        await admin.get(`/entities/${clearwater}/access?person=${encodeURIComponent(nobody.email)}`)
      ).text(),
    ).toContain('No Body cannot see Clearwater Holdings.');
    expect(
      await (await admin.get(`/entities/${clearwater}/access?person=ghost%40example.com`)).text(),
    ).toContain('No one you can look up here has the email address ghost@example.com.');
    // A disabled account keeps its roles but sees nothing: "Why?" says so, and names no role.
    const gone = await buildStaff(firm.db, [], {
      firstName: 'Gone',
      lastName: 'Away',
      disabled: true,
    });
    await bindAtEntity(firm.db, { userId: gone.id }, 'viewer', clearwater);
    const whyGone = (
      await (
        await admin.get(`/entities/${clearwater}/access?person=${encodeURIComponent(gone.email)}`)
      ).text()
    ).split('<h2>Why can this person see it?</h2>')[1];
    expect(pageText(whyGone ?? '')).toContain(
      'Gone Away’s account is disabled, so they cannot see Clearwater Holdings (or sign in at all).',
    );
    expect(whyGone).not.toContain('<table');
    const [teamBinding] = await bindings({ groupId: team });
    const rb = await firm.db
      .selectFrom('role_bindings')
      .select('id')
      .where('group_id', '=', team)
      .where('scope_id', '=', teamBinding?.scope_id ?? '')
      .executeTakeFirstOrThrow();
    expect((await admin.post(`/entities/${clearwater}/access/revoke`, { binding: rb.id })).status).toBe(303);
    expect(await bindings({ groupId: team })).toEqual([]);
    // A system-level binding is not revoked from one entity's page.
    const [system] = await firm.db
      .selectFrom('role_bindings')
      .select('id')
      .where('user_id', '=', entitiesAdmin.id)
      .execute();
    const before = await snapshot(firm.db);
    expect(
      (await admin.post(`/entities/${clearwater}/access/revoke`, { binding: system?.id ?? '' })).status,
    ).toBe(404);
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('“Who can see it” is for those who may share the entity; others get exactly a missing page', async () => {
    const viewer = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: viewer.id }, 'viewer', clearwater);
    const client = await signedIn(firm.app, firm.db, viewer);
    expect((await client.get(`/entities/${clearwater}/access`)).status).toBe(404);
    expect((await client.get(`/entities/${harbour}/access`)).status).toBe(404);
    expect(await (await client.get(`/entities/${clearwater}`)).text()).not.toContain('Who can see it');
    expect((await client.get(`/staff/${mary.id}/entities`)).status).toBe(404);
    const owner = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: owner.id }, 'owner', clearwater);
    const ownerClient = await signedIn(firm.app, firm.db, owner);
    expect((await ownerClient.get(`/entities/${clearwater}/access`)).status).toBe(200);
    expect(await (await ownerClient.get(`/entities/${clearwater}`)).text()).toContain('Who can see it');
    expect((await ownerClient.get(`/entities/${harbour}/access`)).status).toBe(404);
  });

  it('“Why?” names no one the viewer could not otherwise know: another entity’s contact reads like no one', async () => {
    const ada = await buildContact(firm.db, harbour, {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@harbour.example',
    });
    await bindAtEntity(firm.db, { userId: ada.id }, 'contact_entity_access', harbour);
    const owner = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: owner.id }, 'owner', clearwater);
    const client = await signedIn(firm.app, firm.db, owner);
    const about = async (email: string) =>
      (await (await client.get(`/entities/${clearwater}/access?person=${encodeURIComponent(email)}`)).text())
        .split('<h2>Why can this person see it?</h2>')[1]
        ?.replace(/value="[^"]*"/, '')
        .replaceAll(email, 'EMAIL');
    expect(await about('ada@harbour.example')).toBe(await about('nobody@harbour.example'));
    expect(await about('ada@harbour.example')).not.toContain('Lovelace');
    // Their own client's contact is named.
    expect(await about(grace.email)).toContain('Grace Hopper cannot see Clearwater Holdings.');
  });

  it('gives someone access from the entity’s page by email, for staff and for its contacts only', async () => {
    const ada = await buildContact(firm.db, harbour, { email: 'ada@harbour.example' });
    const owner = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: owner.id }, 'owner', clearwater);
    const client = await signedIn(firm.app, firm.db, owner);
    const path = `/entities/${clearwater}/access`;
    expect((await client.post(path, { email: mary.email, role: 'viewer' })).status).toBe(303);
    expect(
      (await client.post(path, { email: grace.email, role: 'contact_entity_collaborator' })).status,
    ).toBe(303);
    expect(await bindings({ userId: mary.id })).toEqual([
      { role_id: 'viewer', scope_type: 'entity', scope_id: clearwater },
    ]);
    expect(await bindings({ userId: grace.id })).toEqual([
      { role_id: 'contact_entity_collaborator', scope_type: 'entity', scope_id: clearwater },
    ]);
    const before = await snapshot(firm.db);
    for (const email of [ada.email, 'nobody@example.com']) {
      const res = await client.post(path, { email, role: 'contact_entity_access' });
      expect(res.status).toBe(422);
      expect(fieldError(await res.text(), 'f-share-email')).toBe(
        'No one you can give access here has this email address.',
      );
    }
    const wrongKind = await client.post(path, { email: mary.email, role: 'contact_entity_access' });
    expect(fieldsetError(await wrongKind.text(), 'role')).toBe(
      'Choose a role for staff: Mary Smith is a staff member.',
    );
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('an Admin gives a role for all clients, and removes it; an Owner of one client cannot', async () => {
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const res = await admin.post(`/staff/${mary.id}/entities`, { entities: ['all'], role: 'viewer' });
    expect(res.status).toBe(303);
    expect(await bindings({ userId: mary.id })).toEqual([
      { role_id: 'viewer', scope_type: 'system', scope_id: '' },
    ]);
    const page = await (await admin.get(`/staff/${mary.id}/entities`)).text();
    expect(page).toContain('Mary Smith now has Viewer for all clients.');
    const [binding] = await firm.db
      .selectFrom('role_bindings')
      .select('id')
      .where('user_id', '=', mary.id)
      .execute();
    const owner = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: owner.id }, 'owner', clearwater);
    const ownerClient = await signedIn(firm.app, firm.db, owner);
    expect(await (await ownerClient.get(`/staff/${mary.id}/entities`)).text()).not.toContain(
      'All clients (the whole firm)',
    );
    const before = await snapshot(firm.db);
    const refused = await ownerClient.post(`/staff/${mary.id}/entities`, {
      entities: ['all'],
      role: 'viewer',
    });
    expect(fieldsetError(await refused.text(), 'entities')).toBe('You cannot share all clients.');
    expect(
      (await ownerClient.post(`/staff/${mary.id}/entities/remove`, { binding: binding?.id ?? '' })).status,
    ).toBe(422);
    expect(await snapshot(firm.db)).toEqual(before);
    expect(
      (await admin.post(`/staff/${mary.id}/entities/remove`, { binding: binding?.id ?? '' })).status,
    ).toBe(303);
    expect(await bindings({ userId: mary.id })).toEqual([]);
    // A contact role is never given for all clients.
    const contactRes = await admin.post(`/contacts/${grace.id}/entities`, {
      entities: ['all'],
      role: 'contact_entity_access',
    });
    expect(fieldsetError(await contactRes.text(), 'role')).toBe(
      'The Contact - Entity Access role is given at one entity at a time.',
    );
  });

  it('an Entities Admin may make someone an entity’s Owner (Share A covers what Owner shares)', async () => {
    const admin = await signedIn(firm.app, firm.db, entitiesAdmin);
    expect(
      (await admin.post(`/staff/${mary.id}/entities`, { entities: [clearwater], role: 'owner' })).status,
    ).toBe(303);
  });

  it('joining a group that holds a role at an entity needs Share there, not only the role’s letters', async () => {
    const sam = await buildStaff(firm.db, ['staff_admin']);
    await bindAtEntity(firm.db, { userId: sam.id }, 'viewer', harbour);
    const team = await buildGroup(firm.db, 'Harbour team', []);
    await bindAtEntity(firm.db, { groupId: team }, 'viewer', harbour);
    const client = await signedIn(firm.app, firm.db, sam);
    const before = await snapshot(firm.db);
    const res = await client.post(`/groups/${team}`, {
      name: 'Harbour team',
      description: '',
      members: [mary.id],
    });
    expect(res.status).toBe(422);
    expect(fieldsetError(await res.text(), 'members')).toContain('sit where you cannot share');
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('joining a group that holds a custom role is judged by that role’s own letters', async () => {
    const sam = await buildStaff(firm.db, ['staff_admin']);
    await bindAtEntity(firm.db, { userId: sam.id }, 'owner', harbour);
    const readers = await buildGroup(firm.db, 'Harbour readers', []);
    await bindAtEntity(
      firm.db,
      { groupId: readers },
      await buildRole(firm.db, 'Reader', ['file:R']),
      harbour,
    );
    const editors = await buildGroup(firm.db, 'Harbour editors', []);
    const editing = await buildRole(firm.db, 'Details editor', ['entity.details:E']);
    await bindAtEntity(firm.db, { groupId: editors }, editing, harbour);
    const client = await signedIn(firm.app, firm.db, sam);

    // An Owner at Harbour holds file:R there and may share it: Mary may join.
    const joined = await client.post(`/groups/${readers}`, {
      name: 'Harbour readers',
      description: '',
      members: [mary.id],
    });
    expect(joined.status).toBe(303);
    expect(
      await firm.db.selectFrom('group_members').select('user_id').where('group_id', '=', readers).execute(),
    ).toEqual([{ user_id: mary.id }]);

    // An Owner does not hold entity.details:E, so cannot hand it out by adding Mary.
    const before = await snapshot(firm.db);
    const refused = await client.post(`/groups/${editors}`, {
      name: 'Harbour editors',
      description: '',
      members: [mary.id],
    });
    expect(refused.status).toBe(422);
    expect(fieldsetError(await refused.text(), 'members')).toContain(
      'its roles carry permissions you do not hold',
    );
    expect(await snapshot(firm.db)).toEqual(before);
  });
});
