/**
 * Giving a contact access through "Assign to clients" (from a contact's or a contact group's page,
 * or "Who can see it") tells them, with the very email Share in Client Portal sends: only those
 * whose Client portal switch is on and who may sign in, only for clients they could not see
 * before, one email per contact; the flash names who was emailed and who was not, and why.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { type Client, fieldsetError } from '../helpers/app.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildGroup,
  buildStaff,
  signedIn,
} from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { queuedMails } from '../helpers/mail.js';

describe.each(DIALECTS)('Assign to clients tells the contact (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let entity: string;
  let harbour: string;
  let grace: User;
  let ada: User;

  const portalOn = (user: User) =>
    firm.db
      .updateTable('contact_profiles')
      .set({ portal_access: 1 })
      .where('user_id', '=', user.id)
      .execute();
  const admin = () => signedIn(firm.app, firm.db, firm.admin);
  const assign = (client: Client, path: string, entities: string[], role = 'contact_entity_access') =>
    client.post(`${path}/entities`, { entities, role });
  const flashAfter = async (client: Client, res: Response) => {
    expect(res.status).toBe(303);
    const html = await (await client.get(res.headers.get('Location') ?? '')).text();
    return html.match(/class="flash flash-success"[^>]*>([^<]*)</)?.[1] ?? '';
  };

  beforeEach(async () => {
    entity = await buildEntity(firm.db, 'Clearwater Holdings');
    harbour = await buildEntity(firm.db, 'Harbour Trust');
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

  it('emails a contact whose Client portal is on the same “was shared with you” email as Share in Client Portal', async () => {
    const client = await admin();
    const res = await assign(client, `/contacts/${grace.id}`, [entity]);
    expect(await flashAfter(client, res)).toBe(
      'Grace Hopper now has Contact - Entity Access at Clearwater Holdings. Kept in the Outbox for Grace Hopper.',
    );
    const mails = await queuedMails(firm.db);
    expect(mails.map((m) => [m.to, m.kind, m.subject])).toEqual([
      [
        'grace@example.com',
        'portal-shared',
        'Clearwater Accounting: Client Clearwater Holdings was shared with you',
      ],
    ]);
    expect(mails[0]?.text).toContain('Clearwater Accounting shared the client Clearwater Holdings with you');
    expect(mails[0]?.text).toMatch(
      /Go to Client Portal: http:\/\/portico\.test\/sign-in\/link\/[a-z0-9]+\?entity=/,
    );
  });

  it('sends one email naming every client given at once, and none for a client they could already see', async () => {
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_collaborator', entity);
    const third = await buildEntity(firm.db, 'Third Party');
    const client = await admin();
    await assign(client, `/contacts/${grace.id}`, [entity, harbour, third]);
    const mails = await queuedMails(firm.db);
    expect(mails.map((m) => m.subject)).toEqual([
      'Clearwater Accounting: Harbour Trust and Third Party were shared with you',
    ]);
    // Clearwater was already shared: giving another role there tells her nothing new.
    await assign(client, `/contacts/${grace.id}`, [entity], 'contact_entity_collaborator');
    expect(await queuedMails(firm.db)).toHaveLength(1);
  });

  it('names the contact not emailed because Client portal is off, and emails nobody for Associated', async () => {
    const client = await admin();
    expect(await flashAfter(client, await assign(client, `/contacts/${ada.id}`, [entity]))).toBe(
      'Ada Lovelace now has Contact - Entity Access at Clearwater Holdings. Ada Lovelace was not emailed: Client portal is off.',
    );
    expect(
      await flashAfter(client, await assign(client, `/contacts/${grace.id}`, [harbour], 'associated')),
    ).toBe('Grace Hopper now has Associated at Harbour Trust.');
    expect(await queuedMails(firm.db)).toEqual([]);
  });

  it('names a disabled contact as not emailed: they cannot sign in', async () => {
    await firm.db.updateTable('users').set({ disabled_at: Date.now() }).where('id', '=', grace.id).execute();
    const client = await admin();
    expect(await flashAfter(client, await assign(client, `/contacts/${grace.id}`, [entity]))).toBe(
      'Grace Hopper now has Contact - Entity Access at Clearwater Holdings. Grace Hopper was not emailed: they cannot sign in (account disabled).',
    );
    expect(await queuedMails(firm.db)).toEqual([]);
  });

  it('assigning a contact group emails each member whose portal is on and names the others', async () => {
    const group = await buildGroup(firm.db, 'Clearwater family', [grace.id, ada.id], [], 'contact');
    const client = await admin();
    expect(await flashAfter(client, await assign(client, `/contact-groups/${group}`, [harbour]))).toBe(
      'Clearwater family now has Contact - Entity Access at Harbour Trust. Kept in the Outbox for Grace Hopper. Ada Lovelace was not emailed: Client portal is off.',
    );
    expect((await queuedMails(firm.db)).map((m) => [m.to, m.subject])).toEqual([
      ['grace@example.com', 'Clearwater Accounting: Client Harbour Trust was shared with you'],
    ]);
  });

  it('giving a contact access on “Who can see it” tells them the same way', async () => {
    const client = await admin();
    const res = await client.post(`/entities/${harbour}/access`, {
      email: 'grace@example.com',
      role: 'contact_entity_access',
    });
    expect(await flashAfter(client, res)).toBe(
      'Grace Hopper now has Contact - Entity Access at Harbour Trust. Kept in the Outbox for Grace Hopper.',
    );
    expect((await queuedMails(firm.db)).map((m) => m.kind)).toEqual(['portal-shared']);
  });

  it('another client’s id, and a made-up one, are refused alike to an Owner of one client, and nobody is emailed', async () => {
    const owner = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: owner.id }, 'owner', entity);
    const client = await signedIn(firm.app, firm.db, owner);
    const before = await snapshot(firm.db);
    const answers = [];
    for (const id of [harbour, 'no-such-entity']) {
      const res = await assign(client, `/contacts/${grace.id}`, [id]);
      expect(res.status).toBe(422);
      answers.push(fieldsetError(await res.text(), 'entities'));
    }
    expect(answers).toEqual(['Choose clients from the list.', 'Choose clients from the list.']);
    expect(await snapshot(firm.db)).toEqual(before);
    // Another client's contact answers like a missing one.
    const stranger = await buildContact(firm.db, harbour, { email: 'stranger@example.com' });
    expect((await assign(client, `/contacts/${stranger.id}`, [entity])).status).toBe(404);
    expect((await assign(client, '/contacts/no-such-contact', [entity])).status).toBe(404);
    expect(await queuedMails(firm.db)).toEqual([]);
  });
});
