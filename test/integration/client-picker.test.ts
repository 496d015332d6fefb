/**
 * A contact's client is chosen, not typed: the contact forms' picker finds clients by name or
 * reference (its Find button re-renders the form with the clients found, keeping everything typed;
 * with htmx, GET /contacts/client-choices answers the same choices as a fragment), offers only
 * clients the person may add a contact to, and a client id that does not exist, or is not one they
 * may add a contact to, is refused beside the field exactly alike, with nothing written.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import type { Permission } from '../../src/permissions/index.js';
import { fieldsetError } from '../helpers/app.js';
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

const CONTACT_MANAGER: Permission[] = [
  'contact:C',
  'contact.summary:R',
  'contact.summary:E',
  'contact.details:R',
  'contact.details:E',
  'entity.summary:R',
];

describe.each(DIALECTS)('the contact forms’ client picker (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let clearwater: string;
  let clearview: string;
  let harbour: string;
  let manager: User;
  let grace: User;

  const radios = (html: string) =>
    [
      ...html.matchAll(
        /<input type="radio"[^>]*name="client"[^>]*value="([^"]+)"[^>]*>\s*<label[^>]*>([^<]*)</g,
      ),
    ].map((m) => m[2]);
  const typed = {
    firstName: 'Katherine',
    lastName: 'Johnson',
    email: 'katherine@example.com',
    phone: '0400 000 000',
    notes: 'Prefers phone',
  };

  beforeEach(async () => {
    clearwater = await buildEntity(firm.db, 'Clearwater Holdings', { reference: 'CW-1' });
    clearview = await buildEntity(firm.db, 'Clearview Partners');
    harbour = await buildEntity(firm.db, 'Harbour Trust');
    // A manager of Clearwater's and Clearview's contacts, who also sees (but may not add to) Harbour.
    manager = await buildStaff(firm.db);
    const role = await buildRole(firm.db, 'Client manager', CONTACT_MANAGER);
    await bindAtEntity(firm.db, { userId: manager.id }, role, clearwater);
    await bindAtEntity(firm.db, { userId: manager.id }, role, clearview);
    await bindAtEntity(firm.db, { userId: manager.id }, 'viewer', harbour);
    grace = await buildContact(firm.db, clearwater, { firstName: 'Grace', lastName: 'Hopper' });
  });

  it('Find lists the clients matching the search that one may add a contact to, keeping everything typed', async () => {
    const client = await signedIn(firm.app, firm.db, manager);
    const before = await snapshot(firm.db);
    const res = await client.post('/contacts', { ...typed, clientQ: 'clear', find: '1' });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(radios(html)).toEqual(['Clearview Partners', 'Clearwater Holdings (CW-1)']);
    expect(html).toContain('value="Katherine"');
    expect(html).toContain('value="katherine@example.com"');
    expect(html).toContain('value="clear"');
    expect(html).toContain('Prefers phone');
    // Harbour is seen but not one to add contacts to: never offered.
    const harbourSearch = await (
      await client.post('/contacts', { ...typed, clientQ: 'harbour', find: '1' })
    ).text();
    expect(radios(harbourSearch)).toEqual([]);
    expect(harbourSearch).toContain('No client you can add contacts to matches “harbour”.');
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('the chosen client is where the contact is added', async () => {
    const client = await signedIn(firm.app, firm.db, manager);
    const res = await client.post('/contacts', { ...typed, clientQ: 'clear', client: clearview });
    expect(res.status).toBe(303);
    const row = await firm.db
      .selectFrom('users as u')
      .innerJoin('contact_profiles as cp', 'cp.user_id', 'u.id')
      .select('cp.client_entity_id')
      .where('u.email_normalized', '=', 'katherine@example.com')
      .executeTakeFirstOrThrow();
    expect(row.client_entity_id).toBe(clearview);
  });

  it('a client that does not exist and one not to add contacts to are refused alike, beside the field, keeping what was typed', async () => {
    const client = await signedIn(firm.app, firm.db, manager);
    const before = await snapshot(firm.db);
    const answers = [];
    for (const id of ['no-such-entity', harbour]) {
      const res = await client.post('/contacts', { ...typed, client: id });
      expect(res.status).toBe(422);
      const html = await res.text();
      expect(html).toContain('value="katherine@example.com"');
      answers.push(fieldsetError(html, 'client'));
    }
    expect(answers).toEqual([
      'That client cannot be found, or you cannot add contacts to it. Find it again and choose it.',
      'That client cannot be found, or you cannot add contacts to it. Find it again and choose it.',
    ]);
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('with htmx, the suggestions come as a fragment of choices, the chosen one kept', async () => {
    const client = await signedIn(firm.app, firm.db, manager);
    const res = await client.get(`/contacts/client-choices?clientQ=view&client=${clearwater}`, {
      'HX-Request': 'true',
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html.startsWith('<div id="client-choices">')).toBe(true);
    expect(html).not.toContain('<html');
    expect(radios(html)).toEqual(['Clearwater Holdings (CW-1)', 'Clearview Partners']);
    expect(html).toMatch(new RegExp(`<input type="radio"[^>]*value="${clearwater}"[^>]*checked`));
    // An id not to add contacts to is not "kept" either.
    const other = await (
      await client.get(`/contacts/client-choices?clientQ=zzz&client=${harbour}`, { 'HX-Request': 'true' })
    ).text();
    expect(radios(other)).toEqual([]);
    // Without htmx it is a page of its own.
    expect(await (await client.get('/contacts/client-choices?clientQ=clear')).text()).toContain(
      '<h1>Find a client</h1>',
    );
    // Staff who may add contacts nowhere are refused.
    const viewer = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: viewer.id }, 'viewer', clearwater);
    expect(
      (await (await signedIn(firm.app, firm.db, viewer)).get('/contacts/client-choices?clientQ=c')).status,
    ).toBe(403);
  });

  it('a contact’s Summary form shows their client chosen, and Find there saves nothing', async () => {
    const client = await signedIn(firm.app, firm.db, manager);
    const page = await (await client.get(`/contacts/${grace.id}`)).text();
    expect(page).toMatch(new RegExp(`<input type="radio"[^>]*value="${clearwater}"[^>]*checked`));
    const before = await snapshot(firm.db);
    const res = await client.post(`/contacts/${grace.id}/summary`, {
      firstName: 'Grace',
      lastName: 'Renamed',
      email: grace.email,
      client: clearwater,
      clientQ: 'view',
      find: '1',
    });
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('value="Renamed"');
    expect(radios(html)).toEqual(['Clearwater Holdings (CW-1)', 'Clearview Partners']);
    expect(await snapshot(firm.db)).toEqual(before);
    // Then choosing Clearview moves her.
    const moved = await client.post(`/contacts/${grace.id}/summary`, {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: grace.email,
      client: clearview,
    });
    expect(moved.status).toBe(303);
  });

  it('on a contact’s Summary form the suggestions keep offering their present client, even one not to add contacts to', async () => {
    const editor = await buildRole(firm.db, 'Contact editor', [
      'contact.summary:R',
      'contact.summary:E',
      'entity.summary:R',
    ]);
    await bindAtEntity(firm.db, { userId: manager.id }, editor, harbour);
    const ada = await buildContact(firm.db, harbour, { firstName: 'Ada', lastName: 'Lovelace' });
    const stranger = await buildContact(firm.db, await buildEntity(firm.db, 'Third Party'));
    const client = await signedIn(firm.app, firm.db, manager);
    const htmx = { 'HX-Request': 'true' };
    const page = await (await client.get(`/contacts/${ada.id}`)).text();
    expect(page).toContain(`hx-get="/contacts/client-choices?contact=${ada.id}"`);
    const kept = await (
      await client.get(`/contacts/client-choices?contact=${ada.id}&client=${harbour}&clientQ=clearw`, htmx)
    ).text();
    expect(radios(kept)).toEqual(['Harbour Trust', 'Clearwater Holdings (CW-1)']);
    // Without the contact, or naming one the caller may not edit, Harbour is not offered.
    for (const contact of ['', stranger.id, 'no-such-contact'])
      expect(
        radios(
          await (
            await client.get(
              `/contacts/client-choices?contact=${contact}&client=${harbour}&clientQ=clearw`,
              htmx,
            )
          ).text(),
        ),
      ).toEqual(['Clearwater Holdings (CW-1)']);
  });
});
