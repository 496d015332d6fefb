/**
 * A contact's page tells staff when the contact last signed in ("Never" until they do) and, while
 * their Client portal is on and they may sign in, offers "Resend invitation": a fresh "Go to Client
 * Portal" link that voids the older ones, audited, rate limited with the sign-in page's requests
 * for the same address, and guarded like the Client portal switch.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { findLiveLink } from '../../src/auth/sign-in-links.js';
import type { User } from '../../src/db/schema.js';
import { Client } from '../helpers/app.js';
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

const LINK = /http:\/\/portico\.test\/sign-in\/link\/([a-z0-9]+)/;

describe.each(DIALECTS)('Resend invitation and last sign-in on a contact’s page (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let entity: string;
  let grace: User;

  const admin = () => signedIn(firm.app, firm.db, firm.admin);
  const resend = (client: Client, id = grace.id) => client.post(`/contacts/${id}/portal/resend`, {});
  const flash = async (client: Client, res: Response) => {
    expect(res.status).toBe(303);
    const html = await (await client.get(res.headers.get('Location') ?? '')).text();
    return html.match(/class="flash flash-(?:success|error)"[^>]*>([^<]*)</)?.[1] ?? '';
  };
  const tokens = async () =>
    (await queuedMails(firm.db)).map((m) => m.text.match(LINK)?.[1] ?? '').filter(Boolean);

  beforeEach(async () => {
    entity = await buildEntity(firm.db, 'Clearwater Holdings');
    grace = await buildContact(firm.db, entity, {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@example.com',
    });
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', entity);
  });

  it('shows “Never” until the contact signs in, then when they last did', async () => {
    const client = await admin();
    expect(
      await flash(client, await client.post(`/contacts/${grace.id}/portal`, { portal: 'on' })),
    ).toContain('An invitation was kept in the Outbox for grace@example.com.');
    let html = await (await client.get(`/contacts/${grace.id}`)).text();
    expect(html).toMatch(/<dt>Last signed in<\/dt><dd>Never<\/dd>/);
    const [token] = await tokens();
    const contact = new Client(firm.app);
    expect((await contact.post(`/sign-in/link/${token}`, {})).status).toBe(303);
    html = await (await client.get(`/contacts/${grace.id}`)).text();
    const shown = html.match(/<dt>Last signed in<\/dt><dd>([^<]*)<\/dd>/)?.[1] ?? '';
    expect(shown).not.toBe('Never');
    expect(shown).toMatch(/\d{4}, \d{2}:\d{2}$/);
  });

  it('resending emails a fresh link, voids the older one and is audited', async () => {
    const client = await admin();
    await client.post(`/contacts/${grace.id}/portal`, { portal: 'on' });
    const html = await (await client.get(`/contacts/${grace.id}`)).text();
    expect(html).toContain('>Resend invitation');
    expect(await flash(client, await resend(client))).toBe(
      'A new invitation was kept in the Outbox for grace@example.com. Links sent to Grace Hopper before no longer work.',
    );
    const [first, second] = await tokens();
    expect(await findLiveLink(firm.db, first ?? '')).toBeUndefined();
    expect((await findLiveLink(firm.db, second ?? ''))?.id).toBe(grace.id);
    const mails = await queuedMails(firm.db);
    expect(mails.map((m) => [m.to, m.kind])).toEqual([
      ['grace@example.com', 'portal-invitation'],
      ['grace@example.com', 'portal-invitation'],
    ]);
    const audit = await firm.db
      .selectFrom('audit_events')
      .select(['object_id', 'after_json'])
      .where('action', '=', 'contact.invitation_resent')
      .execute();
    expect(audit.map((a) => [a.object_id, JSON.parse(a.after_json ?? '{}')])).toEqual([
      [grace.id, { sentTo: 'grace@example.com' }],
    ]);
  });

  it('offers no button and sends nothing while Client portal is off', async () => {
    const client = await admin();
    expect(await (await client.get(`/contacts/${grace.id}`)).text()).not.toContain('Resend invitation');
    expect(await flash(client, await resend(client))).toBe(
      'No invitation was sent: Grace Hopper cannot sign in (Client portal is off, their account is disabled, or nothing is shared with them).',
    );
    expect(await queuedMails(firm.db)).toEqual([]);
  });

  it('resending is rate limited per address, as asking for a link at the sign-in page is', async () => {
    const client = await admin();
    await client.post(`/contacts/${grace.id}/portal`, { portal: 'on' });
    for (let i = 0; i < 5; i += 1)
      expect(await flash(client, await resend(client))).toContain('A new invitation');
    expect(await flash(client, await resend(client))).toMatch(
      /^Too many emails to grace@example\.com lately\. Wait \d+ seconds?, then try again\.$/,
    );
    expect(await queuedMails(firm.db)).toHaveLength(6);
  });

  it('another client’s contact answers like a missing one to staff who may change only their own client’s contacts', async () => {
    const harbour = await buildEntity(firm.db, 'Harbour Trust');
    const ada = await buildContact(firm.db, harbour, { email: 'ada@example.com' });
    await firm.db.updateTable('contact_profiles').set({ portal_access: 1 }).execute();
    await bindAtEntity(firm.db, { userId: ada.id }, 'contact_entity_access', harbour);
    const owner = await buildStaff(firm.db);
    const keeper = await buildRole(firm.db, 'Contact keepers', [
      'contact.summary:R',
      'contact.details:R',
      'contact.details:E',
    ]);
    await bindAtEntity(firm.db, { userId: owner.id }, keeper, entity);
    const client = await signedIn(firm.app, firm.db, owner);
    const before = await snapshot(firm.db);
    expect((await resend(client, ada.id)).status).toBe(404);
    expect((await resend(client, 'no-such-contact')).status).toBe(404);
    expect(await snapshot(firm.db)).toEqual(before);
    expect(await flash(client, await resend(client))).toContain('A new invitation');
  });
});
