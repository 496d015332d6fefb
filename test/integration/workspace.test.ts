/**
 * A client's workspace: every tab is a page of its own, under the client's name, kind, reference,
 * portal and who can see it; the tabs shown are those this person may open (a reader sees no
 * Settings, and its address refuses them); an htmx request for a tab gets only the tab bar and the
 * panel; a refused form comes back on its own tab and a saved one returns to it; and a client
 * someone may not see answers exactly like a missing one on every tab's address.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { comparable, fieldError, pageText } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildGroup,
  buildPortal,
  buildRole,
  buildStaff,
  signedIn,
} from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';

/** The tab bar's links, in order: [id, label, aria-current or ''] each. */
function tabsOf(html: string): string[][] {
  const nav = html.match(/<nav class="workspace-tabs" aria-label="Client sections">(.*?)<\/nav>/)?.[1];
  if (nav === undefined) throw new Error('no tab bar named “Client sections”');
  return [...nav.matchAll(/<a id="entity-tab-([^"]+)"([^>]*)>([^<]*)<\/a>/g)].map(([, id, attrs, label]) => [
    id ?? '',
    label ?? '',
    attrs?.match(/aria-current="([^"]+)"/)?.[1] ?? '',
  ]);
}

/** The facts under the name, as a reader meets them: "Label: text" each. */
function factsOf(html: string): string[] {
  const list = html.match(/<dl class="workspace-facts">(.*?)<\/dl>/)?.[1] ?? '';
  return [...list.matchAll(/<dt>(.*?)<\/dt><dd>(.*?)<\/dd>/g)].map(
    ([, dt, dd]) => `${pageText(dt ?? '')}: ${pageText(dd ?? '')}`,
  );
}

const HTMX = { 'HX-Request': 'true', 'HX-Request-Type': 'partial' };

describe.each(DIALECTS)('a client’s workspace (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let clearwater: string;
  let harbour: string;
  let portal: string;
  let entitiesAdmin: User;

  beforeEach(async () => {
    entitiesAdmin = await buildStaff(firm.db, ['entities_admin']);
    clearwater = await buildEntity(firm.db, 'Clearwater Holdings', {
      reference: 'CW-1',
      tax_number: 'TX-111',
    });
    harbour = await buildEntity(firm.db, 'Harbour Trust', { kind: 'trust' });
    portal = await buildPortal(firm.db, 'Family portal', firm.admin.id, [clearwater]);
  });

  const staffAt = async (roleId: string, entity = clearwater) => {
    const user = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: user.id }, roleId, entity);
    return signedIn(firm.app, firm.db, user);
  };

  it('each tab has its own address, under the client’s name, kind, reference, portal and who can see it', async () => {
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const tabs = [
      ['', 'overview', '<h2>Details</h2>'],
      ['/access', 'access', '<h2>Who can see Clearwater Holdings</h2>'],
      ['/settings', 'settings', 'Save summary'],
    ] as const;
    for (const [suffix, current, panel] of tabs) {
      const res = await client.get(`/entities/${clearwater}${suffix}`);
      const html = await res.text();
      expect([suffix, res.status]).toEqual([suffix, 200]);
      expect(html).toContain('<h1>Clearwater Holdings</h1>');
      expect(factsOf(html)).toEqual([
        'Kind: Company',
        'Reference: CW-1',
        'Portal: Family portal',
        // The Admin and the Entities Admin, for every client.
        'Who can see it: 2 people',
      ]);
      expect(html).toContain(`<a href="/portals/${portal}">Family portal</a>`);
      expect(html).toContain(`<a href="/entities/${clearwater}/access">2 people</a>`);
      expect(tabsOf(html)).toEqual(
        [
          ['overview', 'Overview'],
          ['files', 'Files'],
          ['access', 'People and access'],
          ['settings', 'Settings'],
        ].map(([id, label]) => [id, label, id === current ? 'page' : '']),
      );
      expect(html).toContain(panel);
      // The tab bar and the panel come after the header: the name is the page's one h1.
      expect(html.match(/<h1>/g)).toHaveLength(1);
      expect(html.indexOf('<h1>')).toBeLessThan(html.indexOf('class="workspace-tabs"'));
    }
    // The window's title names the tab, then the client.
    expect(await (await client.get(`/entities/${clearwater}/settings`)).text()).toContain(
      '<title>Settings · Clearwater Holdings · Clearwater Accounting</title>',
    );
  });

  it('“Who can see it” counts each person who can, once: through groups too, not a disabled account', async () => {
    const mary = await buildStaff(firm.db);
    const linus = await buildStaff(firm.db);
    const team = await buildGroup(firm.db, 'Tax team', [mary.id, linus.id]);
    await bindAtEntity(firm.db, { groupId: team }, 'viewer', clearwater);
    await bindAtEntity(firm.db, { userId: mary.id }, 'owner', clearwater);
    const gone = await buildStaff(firm.db, [], { disabled: true });
    await bindAtEntity(firm.db, { userId: gone.id }, 'viewer', clearwater);
    const grace = await buildContact(firm.db, clearwater);
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', clearwater);
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const html = await (await client.get(`/entities/${clearwater}`)).text();
    // The Admin, the Entities Admin, Mary and Linus, and Grace.
    expect(factsOf(html)).toContain('Who can see it: 5 people');
    // Kept between pages, and counted afresh once an account or a role changes.
    await firm.db.updateTable('users').set({ disabled_at: Date.now() }).where('id', '=', linus.id).execute();
    const afterDisabling = await (await client.get(`/entities/${clearwater}`)).text();
    expect(factsOf(afterDisabling)).toContain('Who can see it: 4 people');
    const ann = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: ann.id }, 'viewer', clearwater);
    expect(factsOf(await (await client.get(`/entities/${clearwater}/files`)).text())).toContain(
      'Who can see it: 5 people',
    );
    // A client in no portal says nothing about portals.
    expect(factsOf(await (await client.get(`/entities/${harbour}`)).text())).toEqual([
      'Kind: Trust',
      'Who can see it: 2 people',
    ]);
  });

  it('shows the tabs each person may open; a reader is refused Settings and finds no People and access', async () => {
    const viewer = await staffAt('viewer');
    const page = await (await viewer.get(`/entities/${clearwater}`)).text();
    expect(tabsOf(page)).toEqual([
      ['overview', 'Overview', 'page'],
      ['files', 'Files', ''],
    ]);
    expect(page).toContain('TX-111');
    // Who can see it is for those who may share it.
    expect(factsOf(page)).toEqual(['Kind: Company', 'Reference: CW-1', 'Portal: Family portal']);
    expect((await viewer.get(`/entities/${clearwater}/settings`)).status).toBe(403);
    expect((await viewer.get(`/entities/${clearwater}/access`)).status).toBe(404);

    const access = await staffAt('entity_access');
    const summaryOnly = await (await access.get(`/entities/${clearwater}`)).text();
    expect(tabsOf(summaryOnly)).toEqual([['overview', 'Overview', 'page']]);
    expect(summaryOnly).not.toContain('TX-111');
    expect(pageText(summaryOnly)).toContain('Its details are not shared with you.');

    // An Owner shares it (Share S) but edits neither its Summary nor its Details.
    const owner = await staffAt('owner');
    expect(tabsOf(await (await owner.get(`/entities/${clearwater}`)).text()).map(([id]) => id)).toEqual([
      'overview',
      'files',
      'access',
    ]);
    expect((await owner.get(`/entities/${clearwater}/settings`)).status).toBe(403);

    // Settings shows only the forms one may use: here, deleting.
    const deleter = await staffAt(await buildRole(firm.db, 'Deleters', ['entity.summary:R', 'entity:D']));
    const settings = await deleter.get(`/entities/${clearwater}/settings`);
    const html = await settings.text();
    expect(settings.status).toBe(200);
    expect(tabsOf(html).map(([id]) => id)).toEqual(['overview', 'settings']);
    expect(html).toContain('Delete client');
    expect(html).not.toContain('Save summary');
    expect(html).not.toContain('Save details');
  });

  it('an htmx request for a tab gets only the tab bar and its panel, titled; history’s full request the whole page', async () => {
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const res = await client.get(`/entities/${clearwater}/settings`, HTMX);
    const html = await res.text();
    expect(res.status).toBe(200);
    expect(html).toMatch(
      /^<title>Settings · Clearwater Holdings · Clearwater Accounting<\/title><div id="entity-workspace"/,
    );
    expect(html).not.toContain('<h1>');
    expect(html).not.toContain('workspace-facts');
    expect(tabsOf(html).find(([id]) => id === 'settings')?.[2]).toBe('page');
    expect(html).toContain('Save summary');
    // Each link swaps this same region, and keeps its id across the swap (so focus stays on it).
    expect(html.match(/hx-target="#entity-workspace"/g)).toHaveLength(4);
    expect(html).toContain('id="entity-tab-overview"');

    const full = await client.get(`/entities/${clearwater}/settings`, {
      'HX-Request': 'true',
      'HX-Request-Type': 'full',
    });
    const page = await full.text();
    expect(page).toMatch(/^<!DOCTYPE html>/);
    expect(page).toContain('<h1>Clearwater Holdings</h1>');

    // A tab refused since the page loaded answers with the refusal alone, shown in place of the page.
    const viewer = await staffAt('viewer');
    const refused = await viewer.get(`/entities/${clearwater}/settings`, HTMX);
    expect(refused.status).toBe(403);
    expect(await refused.text()).not.toContain('<!DOCTYPE html>');
  });

  it('a refused form comes back on its own tab, with what was typed beside the field; a saved one returns to its tab', async () => {
    const client = await signedIn(firm.app, firm.db, entitiesAdmin);
    const bad = await client.post(`/entities/${clearwater}/summary`, {
      name: '',
      kind: 'trust',
      reference: 'typed ref',
    });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(html).toContain('<h1>Clearwater Holdings</h1>');
    // Inside Settings, at the form's own address.
    expect(tabsOf(html).find(([id]) => id === 'settings')?.[2]).toBe('true');
    expect(fieldError(html, 'f-name')).toBe('Enter the name.');
    expect(html).toContain('value="typed ref"');

    const saved = await client.post(`/entities/${clearwater}/details`, {
      email: 'office@clearwater.example',
      phone: '',
      taxNumber: '',
      address: '',
      notes: '',
    });
    expect([saved.status, saved.headers.get('Location')]).toEqual([303, `/entities/${clearwater}/settings`]);

    const nobody = await client.post(`/entities/${clearwater}/access`, { email: '', role: 'viewer' });
    expect(nobody.status).toBe(422);
    const access = await nobody.text();
    // It posts to the tab's own address.
    expect(tabsOf(access).find(([id]) => id === 'access')?.[2]).toBe('page');
    expect(fieldError(access, 'f-share-email')).toBe('Enter the email address of the person to give access.');

    const grace = await buildContact(firm.db, clearwater);
    const shared = await client.post(`/entities/${clearwater}/client-portal`, {
      contacts: [grace.id],
      contactsShown: [grace.id],
    });
    expect([shared.status, shared.headers.get('Location')]).toEqual([303, `/entities/${clearwater}/access`]);
    const stranger = await buildContact(firm.db, harbour);
    const refused = await client.post(`/entities/${clearwater}/client-portal`, {
      contacts: [stranger.id],
      contactsShown: [grace.id],
    });
    expect(refused.status).toBe(422);
    const share = await refused.text();
    expect(tabsOf(share).find(([id]) => id === 'access')?.[2]).toBe('true');
    expect(share).toContain('Choose from the contacts listed.');
  });

  it('a client the caller may not see answers exactly like a missing one on every tab, with htmx or without', async () => {
    // An Owner elsewhere: every tab of Harbour exists for them.
    const owner = await staffAt('owner', harbour);
    for (const suffix of ['', '/access', '/settings', '/client-portal', '/notifications'])
      for (const headers of [{}, HTMX]) {
        const other = await owner.get(`/entities/${clearwater}${suffix}`, headers);
        const missing = await owner.get(`/entities/no-such-client${suffix}`, headers);
        const what = `${suffix} ${JSON.stringify(headers)}`;
        expect([what, other.status, missing.status]).toEqual([what, 404, 404]);
        expect(comparable(await other.text())).toBe(comparable(await missing.text()));
      }
  });
});
