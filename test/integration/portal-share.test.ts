/**
 * "Share in Client Portal" on an entity: ticking a contact gives them Contact - Entity Access there
 * (through the permission module, so only those who may share the entity may), emails those whose
 * Client portal is on a "Go to Client Portal" link, names those it did not email, and audits it;
 * unticking takes their entity-level contact roles away, seen on their very next request.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { buildApp, Client, comparable, fieldsetError } from '../helpers/app.js';
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
import { queuedMails } from '../helpers/mail.js';

const HOUR = 3_600_000;
const LINK =
  /Go to Client Portal: (http:\/\/portico\.test\/sign-in\/link\/([a-z0-9]+))(\?entity=[a-z0-9]+)?\n/;

describe.each(DIALECTS)('Share in Client Portal (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let entity: string;
  let grace: User;
  let ada: User;

  const portalOn = (user: User) =>
    firm.db
      .updateTable('contact_profiles')
      .set({ portal_access: 1 })
      .where('user_id', '=', user.id)
      .execute();
  const rolesAt = async (user: User, at = entity) =>
    (
      await firm.db
        .selectFrom('role_bindings')
        .select('role_id')
        .where('user_id', '=', user.id)
        .where('scope_id', '=', at)
        .orderBy('role_id')
        .execute()
    ).map((r) => r.role_id);
  const admin = () => signedIn(firm.app, firm.db, firm.admin);
  const share = (client: Client, ticked: User[], shown: User[] = [grace, ada], at = entity) =>
    client.post(`/entities/${at}/client-portal`, {
      contacts: ticked.map((u) => u.id),
      contactsShown: shown.map((u) => u.id),
    });
  /** The flash shown after a redirect. */
  const flashAfter = async (client: Client, res: Response) => {
    expect(res.status).toBe(303);
    const html = await (await client.get(res.headers.get('Location') ?? '')).text();
    return html.match(/class="flash flash-success"[^>]*>([^<]*)</)?.[1] ?? '';
  };

  beforeEach(async () => {
    entity = await buildEntity(firm.db, 'Clearwater Holdings');
    grace = await buildContact(firm.db, entity, {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@example.com',
    });
    ada = await buildContact(firm.db, entity, {
      firstName: 'Ada',
      lastName: 'Lovelace',
      email: 'ada@example.com',
    });
    await portalOn(grace);
  });

  it('lists the entity’s contacts on its page, ticked when shared, for those who may share it', async () => {
    const other = await buildEntity(firm.db, 'Harbour Trust');
    const linked = await buildContact(firm.db, other, { firstName: 'Linus', lastName: 'Torvalds' });
    await bindAtEntity(firm.db, { userId: linked.id }, 'associated', entity);
    await bindAtEntity(firm.db, { userId: ada.id }, 'contact_entity_collaborator', entity);
    const stranger = await buildContact(firm.db, other, { firstName: 'Eve', lastName: 'Stranger' });
    const html = await (await (await admin()).get(`/entities/${entity}/access`)).text();
    expect(html).toContain('<h2 id="portal-share">Share in Client Portal</h2>');
    const box = (u: User) => html.match(new RegExp(`<input type="checkbox"[^>]*value="${u.id}"[^>]*>`))?.[0];
    expect(box(ada)).toContain('checked');
    expect(box(grace)).not.toContain('checked');
    expect(box(linked)).not.toContain('checked');
    expect(box(stranger)).toBeUndefined();
    expect(html).toContain('Client portal is off: sharing gives access but sends no email.');
    // The section is on People and access, after who can see it and before giving someone access.
    expect(html.indexOf('<h2>Who can see Clearwater Holdings</h2>')).toBeLessThan(
      html.indexOf('Share in Client Portal'),
    );
    expect(html.indexOf('Share in Client Portal')).toBeLessThan(html.indexOf('<h2>Give someone access</h2>'));

    const viewer = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: viewer.id }, 'editor', entity);
    const asEditor = await signedIn(firm.app, firm.db, viewer);
    expect(await (await asEditor.get(`/entities/${entity}`)).text()).not.toContain('Share in Client Portal');
    const before = await snapshot(firm.db);
    expect((await share(asEditor, [grace])).status).toBe(404);
    expect((await asEditor.get(`/entities/${entity}/client-portal`)).status).toBe(404);
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('sharing gives Contact - Entity Access, emails the contact whose portal is on and names the one not emailed', async () => {
    const client = await admin();
    const res = await share(client, [grace, ada]);
    expect(await flashAfter(client, res)).toBe(
      'Clearwater Holdings is now shared with Grace Hopper and Ada Lovelace. Kept in the Outbox for Grace Hopper. Ada Lovelace was not emailed: Client portal is off.',
    );
    expect(await rolesAt(grace)).toEqual(['contact_entity_access']);
    expect(await rolesAt(ada)).toEqual(['contact_entity_access']);

    const mails = await queuedMails(firm.db);
    expect(mails.map((m) => [m.to, m.kind])).toEqual([['grace@example.com', 'portal-shared']]);
    const [mail] = mails;
    expect(mail?.subject).toBe('Clearwater Accounting: Client Clearwater Holdings was shared with you');
    expect(mail?.text).toContain('Clearwater Accounting shared the client Clearwater Holdings with you');
    expect(mail?.text).toMatch(LINK);
    expect(mail?.text).toContain('Sent by Clearwater Accounting.');
    expect(mail?.html).toContain('>Go to Client Portal</a>');
    expect(mail?.html).toContain('<strong>Clearwater Accounting</strong>');
    const link = await firm.db.selectFrom('sign_in_links').selectAll().executeTakeFirstOrThrow();
    expect([link.user_id, link.purpose, link.expires_at - link.created_at]).toEqual([
      grace.id,
      'invitation',
      72 * HOUR,
    ]);

    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'portal.shared')
      .orderBy('object_label')
      .execute();
    expect(audit.map((a) => [a.object_id, JSON.parse(a.after_json ?? '{}')])).toEqual(
      expect.arrayContaining([
        [
          entity,
          { contact: 'Grace Hopper', contactId: grace.id, role: 'Contact - Entity Access', emailed: true },
        ],
        [
          entity,
          { contact: 'Ada Lovelace', contactId: ada.id, role: 'Contact - Entity Access', emailed: false },
        ],
      ]),
    );
    expect(audit).toHaveLength(2);

    // Saving again as it is changes nothing and sends nothing.
    expect(await flashAfter(client, await share(client, [grace, ada]))).toBe('Nothing changed.');
    expect(await queuedMails(firm.db)).toHaveLength(1);
  });

  it('the contact follows the link to the portal, switches between shared entities, and loses one on the next request after unsharing', async () => {
    const harbour = await buildEntity(firm.db, 'Harbour Trust');
    const client = await admin();
    await share(client, [grace]);
    const token = (await queuedMails(firm.db))[0]?.text.match(LINK)?.[2] ?? '';
    // The link opens the portal at the entity just shared: the confirm form carries it to the POST.
    const landing = (await queuedMails(firm.db))[0]?.text.match(/\?entity=([a-z0-9]+)/)?.[1];
    expect(landing).toBe(entity);
    const browser = new Client(firm.app);
    const confirm = await browser.get(`/sign-in/link/${token}?entity=${landing}`);
    expect(await confirm.text()).toContain(`action="/sign-in/link/${token}?entity=${landing}"`);
    const signedInRes = await browser.post(`/sign-in/link/${token}?entity=${landing}`);
    expect([signedInRes.status, signedInRes.headers.get('Location')]).toEqual([
      303,
      `/portal?entity=${entity}`,
    ]);
    let home = await (await browser.get('/portal')).text();
    expect(home).toContain('<h2>Clearwater Holdings</h2>');
    expect(home).not.toContain('id="portal-entity"');

    // A second entity shared with her (she is not its client's contact: shared on its page through the role).
    await bindAtEntity(firm.db, { userId: grace.id }, 'associated', harbour);
    const res = await share(client, [grace], [grace], harbour);
    expect(await flashAfter(client, res)).toContain('Harbour Trust is now shared with Grace Hopper.');
    home = await (await browser.get('/portal')).text();
    expect(home).toContain('<select id="portal-entity" name="entity">');
    expect(home).toContain(`<option value="${harbour}">Harbour Trust</option>`);
    const picked = await (await browser.get(`/portal?entity=${harbour}`)).text();
    expect(picked).toContain('<h2>Harbour Trust</h2>');

    // Unshared: her very next request no longer shows it, even when asked for by id.
    await share(client, [], [grace], harbour);
    expect(await rolesAt(grace, harbour)).toEqual(['associated']);
    const after = await (await browser.get(`/portal?entity=${harbour}`)).text();
    expect(after).not.toContain('Harbour Trust');
    expect(after).toContain('<h2>Clearwater Holdings</h2>');
    const unshared = await firm.db
      .selectFrom('audit_events')
      .select('before_json')
      .where('action', '=', 'portal.unshared')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(unshared.before_json ?? '')).toEqual({
      contact: 'Grace Hopper',
      contactId: grace.id,
      roles: ['Contact - Entity Access'],
    });

    // The last one unshared: she may no longer enter the portal at all, and is signed out.
    await share(client, [], [grace]);
    const last = await browser.get('/portal');
    expect([last.status, last.headers.get('Location')]).toEqual([302, '/sign-in?next=%2Fportal']);
  });

  it('unsharing takes Collaborator and Entity Access away and leaves Associated', async () => {
    await bindAtEntity(firm.db, { userId: ada.id }, 'contact_entity_collaborator', entity);
    await bindAtEntity(firm.db, { userId: ada.id }, 'contact_entity_access', entity);
    await bindAtEntity(firm.db, { userId: ada.id }, 'associated', entity);
    const client = await admin();
    expect(await flashAfter(client, await share(client, []))).toBe('No longer shared with Ada Lovelace.');
    expect(await rolesAt(ada)).toEqual(['associated']);
  });

  it('an Owner at the entity may share it (Share S, on what they own); the role is given by the permission module', async () => {
    const owner = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: owner.id }, 'owner', entity);
    const client = await signedIn(firm.app, firm.db, owner);
    expect(await (await client.get(`/entities/${entity}/access`)).text()).toContain('Share in Client Portal');
    expect((await share(client, [grace])).status).toBe(303);
    expect(await rolesAt(grace)).toEqual(['contact_entity_access']);
  });

  it('refuses a contact of another entity exactly like a missing id, writing nothing', async () => {
    const other = await buildEntity(firm.db, 'Harbour Trust');
    const eve = await buildContact(firm.db, other, { firstName: 'Eve', lastName: 'Stranger' });
    const client = await admin();
    const before = await snapshot(firm.db);
    const foreign = await share(client, [grace, eve], [grace, ada, eve]);
    const missing = await client.post(`/entities/${entity}/client-portal`, {
      contacts: [grace.id, 'no-such-id'],
      contactsShown: [grace.id, ada.id, 'no-such-id'],
    });
    expect([foreign.status, missing.status]).toEqual([422, 422]);
    const html = await foreign.text();
    expect(comparable(html)).toBe(comparable(await missing.text()));
    expect(fieldsetError(html, 'contacts')).toBe('Choose from the contacts listed.');
    // What was ticked is kept.
    expect(html).toMatch(new RegExp(`<input type="checkbox"[^>]*value="${grace.id}"[^>]*checked`));
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('writes nothing when one change is refused: a role the sharer could not take keeps everything as it was', async () => {
    const limited = await buildRole(firm.db, 'Client sharer', ['entity.summary:R', 'entity:A']);
    const sharer = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: sharer.id }, limited, entity);
    const details = await buildRole(
      firm.db,
      'Reads details',
      ['entity.summary:R', 'entity.details:R'],
      'contact',
    );
    const aaron = await buildContact(firm.db, entity, { firstName: 'Aaron', lastName: 'Aardvark' });
    await bindAtEntity(firm.db, { userId: aaron.id }, 'contact_entity_access', entity);
    await bindAtEntity(firm.db, { userId: ada.id }, details, entity);
    const client = await signedIn(firm.app, firm.db, sharer);
    const before = await snapshot(firm.db);
    // Aaron's removal is allowed and comes first; Ada's custom role carries what the sharer lacks.
    const res = await share(client, [grace], [aaron, ada, grace]);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('it carries permissions you do not hold there');
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('names the client in the subject even when its name looks like a code to the secret check', async () => {
    const long = await buildEntity(firm.db, 'Supercalifragilisticexpialidocious Pty');
    const client = await admin();
    await bindAtEntity(firm.db, { userId: grace.id }, 'associated', long);
    await share(client, [grace], [grace], long);
    const [mail] = await queuedMails(firm.db);
    expect(mail?.subject).toBe(
      'Clearwater Accounting: Client Supercalifragilisticexpialidocious Pty was shared with you',
    );
    expect(mail?.text).toContain('Supercalifragilisticexpialidocious Pty');
  });

  it('names the client when its name begins with the firm’s name and goes on with a long word', async () => {
    await firm.db.updateTable('organization').set({ name: 'Clearwater' }).execute();
    const fund = await buildEntity(firm.db, 'Clearwater Self-Managed-Super-Fund');
    await bindAtEntity(firm.db, { userId: grace.id }, 'associated', fund);
    const app = buildApp(firm.db);
    const res = await share(await signedIn(app, firm.db, firm.admin), [grace], [grace], fund);
    expect(res.status).toBe(303);
    const [mail] = await queuedMails(firm.db);
    expect(mail?.subject).toBe('Clearwater: Client Clearwater Self-Managed-Super-Fund was shared with you');
  });
});
