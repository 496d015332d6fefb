/**
 * The staff home page, "what needs me": the clients that changed last and the portal invitations
 * not yet accepted, each showing only what this person may see, and never staler than the
 * database (a change made outside the app shows on the next request).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { Client } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
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

/** The panel's list items' link texts, in order; null when the panel is not on the page. */
function panel(html: string, title: string): string[] | null {
  const at = html.indexOf(`>${title}</h2>`);
  if (at < 0) return null;
  const section = html.slice(at, html.indexOf('</section>', at));
  return [...section.matchAll(/<li><a href="[^"]*">([^<]*)<\/a>/g)].map((m) =>
    m[1]!.replaceAll('&amp;', '&'),
  );
}

describe.each(DIALECTS)('the staff home page (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let clearwater: string;
  let harbour: string;

  beforeEach(async () => {
    const day = 24 * 60 * 60 * 1000;
    const now = Date.now();
    clearwater = await buildEntity(firm.db, 'Clearwater Holdings', { updated_at: now - 3 * day });
    harbour = await buildEntity(firm.db, 'Harbour Trust', { updated_at: now - 2 * day });
    for (const [i, name] of ['Aster Pty', 'Birch Ltd', 'Cedar & Co', 'Dune Partners'].entries())
      await buildEntity(firm.db, name, { updated_at: now - 10 * day - i });
  });

  const home = async (user: User) => (await (await signedIn(firm.app, firm.db, user)).get('/')).text();

  it('shows an Admin the five clients that changed last, newest first', async () => {
    expect(panel(await home(firm.admin), 'Recently changed clients')).toEqual([
      'Harbour Trust',
      'Clearwater Holdings',
      'Aster Pty',
      'Birch Ltd',
      'Cedar & Co',
    ]);
  });

  it('shows a staff member with a role at one client only that client', async () => {
    const sam = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: sam.id }, 'viewer', clearwater);
    expect(panel(await home(sam), 'Recently changed clients')).toEqual(['Clearwater Holdings']);
    expect(panel(await home(sam), 'Portal invitations not yet accepted')).toBeNull();
  });

  it('tells a staff member with no access that nothing is shared yet, and shows no panel', async () => {
    const html = await home(await buildStaff(firm.db));
    expect(html).toContain('Nothing has been shared with you yet.');
    expect(html).not.toContain('class="panel"');
  });

  it('shows an edit made in the database on the next request, first', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    expect(panel(await (await client.get('/')).text(), 'Recently changed clients')?.[0]).toBe(
      'Harbour Trust',
    );
    await firm.db
      .updateTable('entities')
      .set({ name: 'Dune & Sons', updated_at: Date.now() })
      .where('name', '=', 'Dune Partners')
      .execute();
    expect(panel(await (await client.get('/')).text(), 'Recently changed clients')?.[0]).toBe('Dune & Sons');
  });

  describe('portal invitations not yet accepted', () => {
    let grace: User;
    let hugo: User;

    beforeEach(async () => {
      grace = await buildContact(firm.db, clearwater, { firstName: 'Grace', lastName: 'Hopper' });
      hugo = await buildContact(firm.db, harbour, { firstName: 'Hugo', lastName: 'Rossi' });
      for (const [contact, entity] of [
        [grace, clearwater],
        [hugo, harbour],
      ] as const) {
        await bindAtEntity(firm.db, { userId: contact.id }, 'contact_entity_access', entity);
      }
    });

    const turnOn = async (client: Client, contact: User) =>
      expect((await client.post(`/contacts/${contact.id}/portal`, { portal: 'on' })).status).toBe(303);

    it('lists contacts invited who have not signed in, until they do', async () => {
      const admin = await signedIn(firm.app, firm.db, firm.admin);
      expect(panel(await (await admin.get('/')).text(), 'Portal invitations not yet accepted')).toBeNull();
      await turnOn(admin, grace);
      await turnOn(admin, hugo);
      const html = await (await admin.get('/')).text();
      expect(panel(html, 'Portal invitations not yet accepted')?.sort()).toEqual([
        'Grace Hopper',
        'Hugo Rossi',
      ]);
      expect(html).toMatch(/Clearwater Holdings · invited <time datetime="[^"]+">[^<]+<\/time>/);

      const token = (await queuedMails(firm.db))
        .filter((m) => m.to === grace.email)
        .map((m) => m.text.match(LINK)?.[1])
        .find(Boolean);
      expect((await new Client(firm.app).post(`/sign-in/link/${token}`, {})).status).toBe(303);
      expect(panel(await (await admin.get('/')).text(), 'Portal invitations not yet accepted')).toEqual([
        'Hugo Rossi',
      ]);
    });

    it('leaves out contacts whose portal is off or who are disabled, and says when none was sent', async () => {
      const admin = await signedIn(firm.app, firm.db, firm.admin);
      await turnOn(admin, grace);
      await firm.db
        .updateTable('contact_profiles')
        .set({ portal_access: 1 })
        .where('user_id', '=', hugo.id)
        .execute();
      let html = await (await admin.get('/')).text();
      expect(html).toMatch(/Harbour Trust · no invitation sent yet/);
      await firm.db
        .updateTable('users')
        .set({ disabled_at: Date.now() })
        .where('id', '=', grace.id)
        .execute();
      await firm.db
        .updateTable('contact_profiles')
        .set({ portal_access: 0 })
        .where('user_id', '=', hugo.id)
        .execute();
      html = await (await admin.get('/')).text();
      expect(panel(html, 'Portal invitations not yet accepted')).toBeNull();
    });

    it('names only contacts of clients the viewer may see', async () => {
      const admin = await signedIn(firm.app, firm.db, firm.admin);
      await turnOn(admin, grace);
      await turnOn(admin, hugo);
      const sam = await buildStaff(firm.db);
      const readsContacts = await buildRole(firm.db, 'Contact readers', [
        'entity.summary:R',
        'contact.summary:R',
      ]);
      await bindAtEntity(firm.db, { userId: sam.id }, readsContacts, harbour);
      expect(panel(await home(sam), 'Portal invitations not yet accepted')).toEqual(['Hugo Rossi']);
    });
  });
});
