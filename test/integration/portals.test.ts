/**
 * Portals, as MYOB's "To create a portal" describes them, step by step: the portal name's rules one
 * by one, clients (an entity in at most one portal), the administrator (the creator by default),
 * members with full access or as contributors (role bindings at the portal), "Create new user",
 * the default "send as" user, notify list and bulk task assignees, and the "Sign in to your portal"
 * invitation each member is emailed. Who may list, see and create portals, and what membership
 * lets a contact see.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { can, entityChain, loadActor, mayEnterPortal, visibleEntities } from '../../src/permissions/index.js';
import { itemChain } from '../../src/permissions/scopes.js';
import { bulkTaskAssignees } from '../../src/portals/queries.js';
import { FORBIDDEN_IN_NAME } from '../../src/portals/schema.js';
import { Client, comparable, fieldError, fieldsetError } from '../helpers/app.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildRole,
  buildStaff,
  signedIn,
} from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';

describe.each(DIALECTS)('portals (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let entitiesAdmin: User;
  let anna: User;
  let clearwater: string;
  let harbour: string;
  let grace: User;
  let ada: User;
  /** The Entities Admin's browser, signed in before anything is snapshotted. */
  let admin: Client;

  beforeEach(async () => {
    entitiesAdmin = await buildStaff(firm.db, ['entities_admin'], { firstName: 'James', lastName: 'Sender' });
    anna = await buildStaff(firm.db, ['viewer'], { firstName: 'Anna', lastName: 'Partner' });
    clearwater = await buildEntity(firm.db, 'Clearwater Holdings', { reference: 'CW-1' });
    harbour = await buildEntity(firm.db, 'Harbour Trust', { kind: 'trust' });
    grace = await buildContact(firm.db, clearwater, {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@clearwater.example',
    });
    ada = await buildContact(firm.db, harbour, {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@harbour.example',
    });
    admin = await signedIn(firm.app, firm.db, entitiesAdmin);
  });

  const asAdmin = async () => admin;
  const create = (form: Record<string, string | string[]>, client = admin) =>
    client.post('/portals', {
      name: 'Clearwater group',
      entities: [clearwater],
      ...form,
    });
  const mails = async () =>
    (
      await firm.db
        .selectFrom('jobs')
        .select('payload')
        .where('kind', '=', 'mail.send')
        .orderBy('created_at')
        .execute()
    ).map(
      (j) =>
        JSON.parse(j.payload) as { to: string; subject: string; text: string; html: string; kind: string },
    );
  const actorOf = (user: User) => loadActor(firm.db, user);
  const portalMembersOf = (portalId: string) =>
    firm.db
      .selectFrom('role_bindings')
      .select(['user_id', 'role_id'])
      .where('scope_type', '=', 'portal')
      .where('scope_id', '=', portalId)
      .execute();

  it('refuses the anonymous and contacts', async () => {
    const anonymous = await new Client(firm.app).get('/portals');
    expect(anonymous.status).toBe(302);
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', clearwater);
    const contact = await signedIn(firm.app, firm.db, grace);
    expect((await contact.get('/portals')).status).toBe(403);
    expect((await contact.get('/portals/new')).status).toBe(403);
    expect((await create({}, contact)).status).toBe(403);
  });

  it('an Entities Admin creates a portal with every step of the seed, audited, and each member is invited', async () => {
    const res = await create({
      name: '  Clearwater group ',
      entities: [clearwater, harbour],
      administrator: '',
      [`access-${grace.id}`]: 'full',
      [`access-${ada.id}`]: 'contributor',
      newFirstName: 'Michelle',
      newLastName: 'Owner',
      newEmail: 'michelle@clearwater.example',
      newClient: clearwater,
      newAccess: 'full',
      sendAs: anna.id,
      notify: [anna.id, entitiesAdmin.id],
      bulk: [grace.id],
    });
    expect(res.status).toBe(303);
    const portal = await firm.db.selectFrom('portals').selectAll().executeTakeFirstOrThrow();
    expect(res.headers.get('Location')).toBe(`/portals/${portal.id}`);
    // The administrator defaults to the creator.
    expect(portal).toMatchObject({
      name: 'Clearwater group',
      name_key: 'clearwater group',
      administrator_id: entitiesAdmin.id,
      send_as_id: anna.id,
      created_by: entitiesAdmin.id,
    });
    const entities = await firm.db
      .selectFrom('portal_entities')
      .select('entity_id')
      .orderBy('entity_id')
      .execute();
    expect(entities.map((e) => e.entity_id)).toEqual([clearwater, harbour].sort());
    const michelle = await firm.db
      .selectFrom('users as u')
      .innerJoin('contact_profiles as cp', 'cp.user_id', 'u.id')
      .select(['u.id', 'u.kind', 'cp.client_entity_id', 'cp.portal_access'])
      .where('u.email_normalized', '=', 'michelle@clearwater.example')
      .executeTakeFirstOrThrow();
    expect(michelle).toMatchObject({ kind: 'contact', client_entity_id: clearwater, portal_access: 1 });
    // Membership is role bindings at the portal scope.
    const bindings = await firm.db
      .selectFrom('role_bindings')
      .select(['user_id', 'role_id'])
      .where('scope_type', '=', 'portal')
      .where('scope_id', '=', portal.id)
      .execute();
    expect(bindings.map((b) => `${b.user_id} ${b.role_id}`).sort()).toEqual(
      [
        `${grace.id} portal_full_access`,
        `${ada.id} portal_contributor`,
        `${michelle.id} portal_full_access`,
      ].sort(),
    );
    const people = async (table: 'portal_notify' | 'portal_bulk_assignees') =>
      (await firm.db.selectFrom(table).select('user_id').where('portal_id', '=', portal.id).execute())
        .map((r) => r.user_id)
        .sort();
    expect(await people('portal_notify')).toEqual([anna.id, entitiesAdmin.id].sort());
    expect(await people('portal_bulk_assignees')).toEqual([grace.id]);

    // "An email will be sent to your client(s) and user(s)": each member, their switch turned on.
    const sent = await mails();
    expect(sent.map((m) => m.to).sort()).toEqual(
      ['ada@harbour.example', 'grace@clearwater.example', 'michelle@clearwater.example'].sort(),
    );
    for (const mail of sent) {
      expect(mail.kind).toBe('portal-member-invitation');
      expect(mail.subject).toBe('Clearwater Accounting has set up a portal for you');
      expect(mail.html).toContain('>Sign in to your portal</a>');
      expect(mail.text).toMatch(/Sign in to your portal: http:\/\/portico\.test\/sign-in\/link\/[a-z0-9]+\n/);
    }
    const switches = await firm.db
      .selectFrom('contact_profiles')
      .select('portal_access')
      .where('user_id', 'in', [grace.id, ada.id])
      .execute();
    expect(switches.map((s) => s.portal_access)).toEqual([1, 1]);
    const links = await firm.db.selectFrom('sign_in_links').select('purpose').execute();
    expect(links.map((l) => l.purpose)).toEqual([
      'portal_invitation',
      'portal_invitation',
      'portal_invitation',
    ]);

    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'portal.created')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json ?? '{}')).toMatchObject({
      name: 'Clearwater group',
      entities: ['Clearwater Holdings', 'Harbour Trust'],
      administrator: 'James Sender',
      sendAs: 'Anna Partner',
    });
    const page = await (await admin.get(`/portals/${portal.id}`)).text();
    expect(page).toContain('Portal “Clearwater group” created.');
    expect(page).toContain('Grace Hopper');
    expect(page).toContain('Contributor');
    const listing = await (await admin.get('/portals')).text();
    expect(listing).toContain('Clearwater group');
    expect(listing).toContain('Clearwater Holdings, Harbour Trust');
  });

  describe('the portal name, rule by rule, beside the field, writing nothing', () => {
    /** `message` as the page holds it (HTML-escaped). */
    const refused = async (name: string, message: string) => {
      const before = await snapshot(firm.db);
      const res = await create({ name, [`access-${grace.id}`]: 'full' });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(fieldError(html, 'f-name')).toBe(message);
      // What was typed stays.
      expect(html).toContain(`access-${grace.id}`);
      expect(await snapshot(firm.db)).toEqual(before);
    };

    it('the field can’t be blank', async () => {
      await refused('   ', 'Enter a portal name.');
    });

    it('it must be unique, whatever its case', async () => {
      expect((await create({ name: 'Clearwater group', entities: [harbour] })).status).toBe(303);
      await refused(
        ' CLEARWATER GROUP',
        'Another portal is already called “CLEARWATER GROUP”: a portal name must be unique.',
      );
    });

    it.each(FORBIDDEN_IN_NAME)('it can’t contain %s', async (ch) => {
      const html = { '<': '&lt;', '>': '&gt;', '"': '&quot;', '&': '&amp;' }[ch] ?? ch;
      await refused(
        `Clearwater ${ch} group`,
        `A portal name cannot contain ${html}. Leave out these characters: , ( [ ~ # % * { } &lt; &gt; ? / + | \\ &quot; ) ]`,
      );
    });

    it('it must be 55 characters or less', async () => {
      await refused('x'.repeat(56), 'A portal name must be 55 characters or fewer.');
      expect((await create({ name: `${'x'.repeat(55)}  ` })).status).toBe(303);
      const names = await firm.db.selectFrom('portals').select('name').execute();
      expect(names.map((p) => p.name)).toEqual(['x'.repeat(55)]);
    });

    it('letters, numbers, spaces and other punctuation are fine', async () => {
      const res = await create({ name: "O'Brien & Sons - 2024." });
      expect(res.status).toBe(303);
      const portal = await firm.db.selectFrom('portals').select(['id', 'name']).executeTakeFirstOrThrow();
      expect([res.headers.get('Location'), portal.name]).toEqual([
        `/portals/${portal.id}`,
        "O'Brien & Sons - 2024.",
      ]);
    });
  });

  it('a client already in a portal is refused with the portal it is in, and nothing is written', async () => {
    expect((await create({ name: 'First' })).status).toBe(303);
    const before = await snapshot(firm.db);
    const res = await create({ name: 'Second', entities: [harbour, clearwater] });
    expect(res.status).toBe(422);
    expect(fieldsetError(await res.text(), 'entities')).toBe(
      'Clearwater Holdings is already in portal “First”: a client can be in one portal only.',
    );
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('a portal needs at least one client', async () => {
    const before = await snapshot(firm.db);
    const res = await create({ entities: [] });
    expect(res.status).toBe(422);
    expect(fieldsetError(await res.text(), 'entities')).toBe('Add at least one client to the portal.');
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('a contact’s page names the portals they are in, to those who may see them', async () => {
    await create({ [`access-${ada.id}`]: 'full' });
    await create({ name: 'Harbour portal', entities: [harbour], [`access-${ada.id}`]: 'contributor' });
    const portalNamed = (name: string) =>
      firm.db.selectFrom('portals').select('id').where('name', '=', name).executeTakeFirstOrThrow();
    const clearwaterPortal = await portalNamed('Clearwater group');
    const harbourPortal = await portalNamed('Harbour portal');
    const page = await (await admin.get(`/contacts/${ada.id}`)).text();
    expect(page).toContain(
      `Member of <a href="/portals/${clearwaterPortal.id}">Clearwater group</a> (Full access), <a href="/portals/${harbourPortal.id}">Harbour portal</a> (Contributor).`,
    );
    // Someone who sees Ada (at Harbour) but not Clearwater does not learn of its portal.
    const role = await buildRole(firm.db, 'Harbour contacts', [
      'entity.summary:R',
      'contact.summary:R',
      'contact.details:R',
    ]);
    const harbourOnly = await buildStaff(firm.db, []);
    await bindAtEntity(firm.db, { userId: harbourOnly.id }, role, harbour);
    const theirs = await (await signedIn(firm.app, firm.db, harbourOnly)).get(`/contacts/${ada.id}`);
    const text = await theirs.text();
    expect(text).toContain(`<a href="/portals/${harbourPortal.id}">Harbour portal</a> (Contributor)`);
    expect(text).not.toContain('Clearwater group');
  });

  it('bulk tasks go to the chosen assignees still in the portal, else to every full-access member', async () => {
    const anne = await buildContact(firm.db, clearwater, { firstName: 'Anne', lastName: 'Bonny' });
    await create({
      entities: [clearwater, harbour],
      [`access-${grace.id}`]: 'full',
      [`access-${ada.id}`]: 'full',
      [`access-${anne.id}`]: 'contributor',
    });
    const portal = await firm.db.selectFrom('portals').select('id').executeTakeFirstOrThrow();
    const assignees = async () => (await bulkTaskAssignees(firm.db, portal.id)).map((m) => m.id).sort();
    expect(await assignees()).toEqual([grace.id, ada.id].sort());
    await firm.db
      .insertInto('portal_bulk_assignees')
      .values([
        { portal_id: portal.id, user_id: anne.id },
        { portal_id: portal.id, user_id: ada.id },
      ])
      .execute();
    expect(await assignees()).toEqual([anne.id, ada.id].sort());
    // Anne and Ada leave the portal by another way than its form: the default comes back.
    await firm.db
      .deleteFrom('role_bindings')
      .where('scope_type', '=', 'portal')
      .where('user_id', 'in', [anne.id, ada.id])
      .execute();
    expect(await assignees()).toEqual([grace.id]);
  });

  it('full access sees everything in the portal’s clients; a contributor only what is shared with them', async () => {
    await create({
      entities: [clearwater, harbour],
      [`access-${grace.id}`]: 'full',
      [`access-${ada.id}`]: 'contributor',
    });
    const [g, a] = [await actorOf(grace), await actorOf(ada)];
    // Both may sign in, and both see both clients (membership alone, no entity role).
    expect([mayEnterPortal(g), mayEnterPortal(a)]).toEqual([true, true]);
    for (const actor of [g, a]) {
      const seen = await firm.db
        .selectFrom('entities as e')
        .select('e.id')
        .where(visibleEntities(firm.db, actor, 'entity.summary:R', 'e.id'))
        .execute();
      expect(seen.map((r) => r.id).sort()).toEqual([clearwater, harbour].sort());
    }
    const report = itemChain(harbour, 'coding-report');
    expect(can(g, 'file:R', report)).toBe(true);
    expect(can(g, 'file:E', report)).toBe(false);
    expect(can(a, 'file:R', report)).toBe(false);
    expect(can(a, 'file:C', entityChain(harbour))).toBe(true);
    // Shared with the contributor: Contact - Viewer on that one file.
    await firm.db
      .insertInto('role_bindings')
      .values({
        id: 'shared',
        role_id: 'contact_viewer',
        user_id: ada.id,
        group_id: null,
        scope_type: 'item',
        scope_id: 'coding-report',
        created_at: Date.now(),
        created_by: null,
      })
      .execute();
    const shared = await actorOf(ada);
    expect(can(shared, 'file:R', report)).toBe(true);
    expect(can(shared, 'file:R', itemChain(harbour, 'another'))).toBe(false);
    // The portal home lists both clients.
    const home = await (await signedIn(firm.app, firm.db, ada)).get('/portal');
    const html = await home.text();
    expect(html).toContain('Clearwater Holdings');
    expect(html).toContain('Harbour Trust');
  });

  it('the access pages name the portal a member’s access comes through', async () => {
    await create({ [`access-${grace.id}`]: 'full' });
    const portal = await firm.db.selectFrom('portals').select('id').executeTakeFirstOrThrow();
    const link = `<a href="/portals/${portal.id}">Portal Clearwater group</a>`;
    const who = await (await admin.get(`/entities/${clearwater}/access`)).text();
    expect(who).toMatch(new RegExp(`Grace Hopper.*?Portal - Full access</td><td>${link}`, 's'));
    const why = await (
      await admin.get(`/entities/${clearwater}/access?person=grace%40clearwater.example`)
    ).text();
    expect(why).toContain(`<td>Portal - Full access</td><td>${link}</td><td>Given directly</td>`);
    const assign = await (await admin.get(`/contacts/${grace.id}/entities`)).text();
    expect(assign).toContain(link);
  });

  it('a member may be in several portals', async () => {
    expect(
      (await create({ name: 'One', entities: [clearwater], [`access-${grace.id}`]: 'full' })).status,
    ).toBe(303);
    expect(
      (await create({ name: 'Two', entities: [harbour], [`access-${grace.id}`]: 'contributor' })).status,
    ).toBe(303);
    const g = await actorOf(grace);
    expect(can(g, 'file:R', itemChain(clearwater, 'f'))).toBe(true);
    expect(can(g, 'file:R', itemChain(harbour, 'f'))).toBe(false);
    expect(can(g, 'entity.summary:R', entityChain(harbour))).toBe(true);
  });

  it('"Create new user" needs a unique email, said beside it, and writes nothing', async () => {
    const before = await snapshot(firm.db);
    for (const email of ['GRACE@clearwater.example', entitiesAdmin.email]) {
      const res = await create({
        newFirstName: 'Grace',
        newLastName: 'Again',
        newEmail: email,
        newClient: clearwater,
        newAccess: 'full',
      });
      expect(res.status).toBe(422);
      expect(fieldError(await res.text(), 'f-newEmail')).toBe(
        'Someone already uses this email address. Each person in a portal needs their own email address.',
      );
    }
    const noClient = await create({
      newFirstName: 'Kay',
      newLastName: 'New',
      newEmail: 'kay@example.com',
      newClient: harbour,
    });
    expect(fieldError(await noClient.text(), 'f-newClient')).toBe(
      'Choose one of the portal’s clients for the new user.',
    );
    const badEmail = await create({
      newFirstName: 'Kay',
      newLastName: '',
      newEmail: 'nope',
      newClient: clearwater,
    });
    const html = await badEmail.text();
    expect(fieldError(html, 'f-newLastName')).toBe('Enter the last name.');
    expect(fieldError(html, 'f-newEmail')).toContain('Enter an email address like name@example.com');
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('administrator, "send as", notify and bulk assignees are checked beside their fields', async () => {
    const disabled = await buildStaff(firm.db, [], { disabled: true });
    const cases: [Record<string, string | string[]>, string, string][] = [
      [{ administrator: grace.id }, 'f-administrator', 'Choose the administrator from the staff listed.'],
      [{ sendAs: disabled.id }, 'f-sendAs', 'Choose the “send as” sender from the staff listed.'],
    ];
    for (const [form, id, message] of cases) {
      const res = await create(form);
      expect(fieldError(await res.text(), id)).toBe(message);
    }
    const notify = await create({ notify: [grace.id] });
    expect(fieldsetError(await notify.text(), 'notify')).toBe(
      'Choose the people to notify from the staff listed.',
    );
    const bulk = await create({ [`access-${grace.id}`]: 'full', bulk: [ada.id] });
    expect(fieldsetError(await bulk.text(), 'bulk')).toBe(
      'Choose bulk task assignees among the portal’s members.',
    );
    // Staff who cannot see one of the portal's clients are told of nothing in it, nor speak for it.
    const partial = await buildStaff(firm.db, [], { firstName: 'Pat', lastName: 'Partial' });
    await bindAtEntity(firm.db, { userId: partial.id }, 'viewer', clearwater);
    const before = await snapshot(firm.db);
    const blind = `Pat Partial cannot see Harbour Trust, so cannot be told of its activity or speak for the firm in this portal.`;
    const both = { entities: [clearwater, harbour] };
    expect(
      fieldError(await (await create({ ...both, administrator: partial.id })).text(), 'f-administrator'),
    ).toBe(blind);
    expect(fieldError(await (await create({ ...both, sendAs: partial.id })).text(), 'f-sendAs')).toBe(blind);
    expect(fieldsetError(await (await create({ ...both, notify: [partial.id] })).text(), 'notify')).toBe(
      blind,
    );
    expect(await snapshot(firm.db)).toEqual(before);
    // At Clearwater alone they may be any of the three.
    expect(
      (await create({ administrator: partial.id, sendAs: partial.id, notify: [partial.id] })).status,
    ).toBe(303);
  });

  it('the search buttons keep what was chosen and find clients and contacts', async () => {
    const res = await admin.get(
      `/portals/new?search=1&name=Kept&entities=${clearwater}&eq=harb&cq=lovelace&access-${grace.id}=full`,
    );
    const html = await res.text();
    expect(html).toContain('value="Kept"');
    expect(html).toContain('Harbour Trust');
    expect(html).toContain('Ada Lovelace');
    expect(html).toMatch(new RegExp(`id="f-entities-${clearwater}"[^>]*checked`));
    expect(html).toMatch(/<option value="full" selected="">Full access<\/option>/);
  });

  describe('who may list, see and create portals', () => {
    it('an Owner of one client creates portals of it only; a Viewer may not create any', async () => {
      const owner = await buildStaff(firm.db, []);
      await bindAtEntity(firm.db, { userId: owner.id }, 'owner', clearwater);
      const client = await signedIn(firm.app, firm.db, owner);
      expect((await client.get('/portals/new')).status).toBe(200);
      const other = await create({ name: 'Harbour', entities: [harbour] }, client);
      expect(fieldsetError(await other.text(), 'entities')).toBe('Choose clients only from the list.');
      expect((await create({ name: 'Mine' }, client)).status).toBe(303);
      const viewer = await buildStaff(firm.db, []);
      await bindAtEntity(firm.db, { userId: viewer.id }, 'viewer', clearwater);
      const v = await signedIn(firm.app, firm.db, viewer);
      expect((await v.get('/portals/new')).status).toBe(403);
      expect((await create({ name: 'Nope' }, v)).status).toBe(403);
      // The Viewer sees the portal over the client they see.
      expect(await (await v.get('/portals')).text()).toContain('Mine');
    });

    it('another portal’s id answers exactly like a missing one, and the list leaves it out', async () => {
      await create({ name: 'Harbour portal', entities: [harbour] });
      const portal = await firm.db.selectFrom('portals').select('id').executeTakeFirstOrThrow();
      const outsider = await buildStaff(firm.db, []);
      await bindAtEntity(firm.db, { userId: outsider.id }, 'viewer', clearwater);
      const client = await signedIn(firm.app, firm.db, outsider);
      const theirs = await client.get(`/portals/${portal.id}`);
      const missing = await client.get('/portals/no-such-portal');
      expect([theirs.status, missing.status]).toEqual([404, 404]);
      expect(comparable(await theirs.text())).toBe(comparable(await missing.text()));
      expect((await client.post(`/portals/${portal.id}/delete`, { confirm: 'yes' })).status).toBe(404);
      expect(await (await client.get('/portals')).text()).not.toContain('Harbour portal');
    });
  });

  it('the portal page and list show only the members and clients the viewer may see', async () => {
    // Grace's contact record sits at Clearwater, Ada's at Harbour; the custom role shows contacts.
    await create({
      entities: [clearwater, harbour],
      [`access-${grace.id}`]: 'full',
      [`access-${ada.id}`]: 'full',
      bulk: [grace.id, ada.id],
    });
    const portal = await firm.db.selectFrom('portals').select('id').executeTakeFirstOrThrow();
    const seesContacts = await buildRole(firm.db, 'Client manager', [
      'entity.summary:R',
      'contact.summary:R',
    ]);
    const manager = await buildStaff(firm.db, []);
    await bindAtEntity(firm.db, { userId: manager.id }, seesContacts, clearwater);
    const client = await signedIn(firm.app, firm.db, manager);
    const page = await (await client.get(`/portals/${portal.id}`)).text();
    expect(page).toContain('Grace Hopper');
    expect(page).toContain('Clearwater Holdings');
    expect(page).not.toContain('Ada Lovelace');
    expect(page).not.toContain('ada@harbour.example');
    expect(page).not.toContain('Harbour Trust');
    const list = await (await client.get('/portals')).text();
    expect(list).not.toContain('Harbour Trust');
    // The Admin sees both members in the count; the manager only the one they may see.
    expect(await (await admin.get('/portals')).text()).toMatch(/<td[^>]*>2<\/td>/);
    expect(list).toMatch(/<td[^>]*>1<\/td>/);
  });

  it('deleting a client takes it out of its portal, and its members lose it on their next request', async () => {
    await create({ entities: [clearwater, harbour], [`access-${grace.id}`]: 'full' });
    const g = await signedIn(firm.app, firm.db, grace);
    expect(await (await g.get('/portal')).text()).toContain('Harbour Trust');
    const res = await (await asAdmin()).post(`/entities/${harbour}/delete`, { confirm: 'yes' });
    expect(res.status).toBe(303);
    expect(await firm.db.selectFrom('portal_entities').select('entity_id').execute()).toEqual([
      { entity_id: clearwater },
    ]);
    expect(await (await g.get('/portal')).text()).not.toContain('Harbour Trust');
  });

  describe('editing a portal', () => {
    const edit = async (portalId: string, form: Record<string, string | string[]>) =>
      admin.post(`/portals/${portalId}`, { name: 'Clearwater group', entities: [clearwater], ...form });

    it('shows what is stored; adds and takes away clients and members, invites who joins, audited', async () => {
      await create({ [`access-${grace.id}`]: 'full', notify: [anna.id] });
      const portal = await firm.db.selectFrom('portals').select('id').executeTakeFirstOrThrow();
      const form = await (await admin.get(`/portals/${portal.id}/edit`)).text();
      expect(form).toContain('value="Clearwater group"');
      expect(form).toMatch(new RegExp(`id="f-entities-${clearwater}"[^>]*checked`));
      expect(form).toMatch(new RegExp(`id="f-notify-${anna.id}"[^>]*checked`));
      expect(form).toContain(`name="access-${grace.id}"`);
      const sentBefore = (await mails()).length;

      const res = await edit(portal.id, {
        name: 'Clearwater and Harbour',
        entities: [harbour],
        [`access-${grace.id}`]: 'contributor',
        [`access-${ada.id}`]: 'full',
        membersShown: [grace.id, ada.id],
        bulk: [ada.id],
      });
      expect([res.status, res.headers.get('Location')]).toEqual([303, `/portals/${portal.id}`]);
      const g = await actorOf(grace);
      expect(can(g, 'entity.summary:R', entityChain(clearwater))).toBe(false);
      expect(can(g, 'entity.summary:R', entityChain(harbour))).toBe(true);
      expect(can(g, 'file:R', itemChain(harbour, 'f'))).toBe(false);
      expect(can(await actorOf(ada), 'file:R', itemChain(harbour, 'f'))).toBe(true);
      // Ada joined: she alone is invited now.
      expect((await mails()).slice(sentBefore).map((m) => m.to)).toEqual(['ada@harbour.example']);
      expect(
        await firm.db
          .selectFrom('portal_notify')
          .select('user_id')
          .where('portal_id', '=', portal.id)
          .execute(),
      ).toEqual([]);
      const audit = await firm.db
        .selectFrom('audit_events')
        .selectAll()
        .where('action', '=', 'portal.updated')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(audit.before_json ?? '{}')).toMatchObject({
        name: 'Clearwater group',
        entities: [clearwater],
        members: [{ id: grace.id, access: 'full' }],
      });
      expect(JSON.parse(audit.after_json ?? '{}')).toMatchObject({
        name: 'Clearwater and Harbour',
        entities: [harbour],
        bulkAssignees: [ada.id],
      });

      // Unticked but offered: Grace leaves.
      await edit(portal.id, {
        entities: [harbour],
        [`access-${ada.id}`]: 'full',
        membersShown: [grace.id, ada.id],
      });
      expect(mayEnterPortal(await actorOf(grace))).toBe(false);
    });

    it('keeps a member the editor may not see, and keeps its own clients', async () => {
      const owner = await buildStaff(firm.db, []);
      await bindAtEntity(firm.db, { userId: owner.id }, 'owner', clearwater);
      await bindAtEntity(firm.db, { userId: owner.id }, 'owner', harbour);
      // Ada's contact record sits at Harbour, Grace's at Clearwater; the Owner sees contacts at neither
      // unless a role there carries Contact - Summary: Owner does not.
      await create({ [`access-${ada.id}`]: 'full' });
      const portal = await firm.db.selectFrom('portals').select('id').executeTakeFirstOrThrow();
      const client = await signedIn(firm.app, firm.db, owner);
      const form = await (await client.get(`/portals/${portal.id}/edit`)).text();
      expect(form).not.toContain('Ada Lovelace');
      const res = await client.post(`/portals/${portal.id}`, {
        name: 'Renamed',
        entities: [clearwater],
        membersShown: [ada.id],
      });
      expect(res.status).toBe(303);
      expect((await portalMembersOf(portal.id)).map((m) => m.user_id)).toEqual([ada.id]);
    });

    it('the same rules as creating: a name taken by another portal, a client in another portal', async () => {
      await create({ name: 'Harbour portal', entities: [harbour] });
      await create({});
      const portal = await firm.db
        .selectFrom('portals')
        .select('id')
        .where('name', '=', 'Clearwater group')
        .executeTakeFirstOrThrow();
      const before = await snapshot(firm.db);
      const taken = await edit(portal.id, { name: 'harbour PORTAL' });
      expect(fieldError(await taken.text(), 'f-name')).toBe(
        'Another portal is already called “harbour PORTAL”: a portal name must be unique.',
      );
      const elsewhere = await edit(portal.id, { entities: [clearwater, harbour] });
      expect(fieldsetError(await elsewhere.text(), 'entities')).toBe(
        'Harbour Trust is already in portal “Harbour portal”: a client can be in one portal only.',
      );
      expect(await snapshot(firm.db)).toEqual(before);
      // Its own name, in another case, is fine.
      expect((await edit(portal.id, { name: 'CLEARWATER GROUP' })).status).toBe(303);
    });

    it('a Viewer of the portal’s client sees it but may not edit it (403)', async () => {
      await create({});
      const portal = await firm.db.selectFrom('portals').select('id').executeTakeFirstOrThrow();
      const viewer = await buildStaff(firm.db, []);
      await bindAtEntity(firm.db, { userId: viewer.id }, 'viewer', clearwater);
      const client = await signedIn(firm.app, firm.db, viewer);
      const page = await (await client.get(`/portals/${portal.id}`)).text();
      expect(page).not.toContain('Edit portal');
      expect((await client.get(`/portals/${portal.id}/edit`)).status).toBe(403);
      expect(
        (await client.post(`/portals/${portal.id}`, { name: 'Mine now', entities: [clearwater] })).status,
      ).toBe(403);
    });
  });

  it('deleting a portal removes its members’ access, audited; its clients and contacts stay', async () => {
    await create({ [`access-${grace.id}`]: 'full' });
    const portal = await firm.db.selectFrom('portals').select('id').executeTakeFirstOrThrow();
    const unticked = await admin.post(`/portals/${portal.id}/delete`, {});
    expect(fieldError(await unticked.text(), 'f-confirm')).toContain('Tick the box');
    expect((await admin.post(`/portals/${portal.id}/delete`, { confirm: 'yes' })).status).toBe(303);
    expect(
      await firm.db.selectFrom('role_bindings').select('id').where('scope_type', '=', 'portal').execute(),
    ).toEqual([]);
    expect(await firm.db.selectFrom('portal_entities').select('entity_id').execute()).toEqual([]);
    expect(mayEnterPortal(await actorOf(grace))).toBe(false);
    const audit = await firm.db
      .selectFrom('audit_events')
      .select('action')
      .where('action', '=', 'portal.deleted')
      .execute();
    expect(audit).toHaveLength(1);
  });
});
