/**
 * "Share in Client Portal" and "Who can see it" agree about who sees a client in the portal: in a
 * world of direct shares, portal members with full access and contributors, a contact group's role,
 * an Associated contact and another portal's member, a contact's box on the share list is ticked
 * exactly when "Who can see it" lists them (or a contact group they are in), exactly when the
 * permission module says they see the client. Access from a portal is said where it comes from and
 * that unticking would not remove it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { can, entityChain, loadActor } from '../../src/permissions/index.js';
import { addBinding } from '../../src/permissions/queries.js';
import { DIALECTS } from '../helpers/db.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildGroup,
  buildPortal,
  signedIn,
} from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';

describe.each(DIALECTS)('the share list and “Who can see it” agree (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let entity: string;
  let portal: string;
  let people: Record<string, User>;
  let family: string;

  const member = (user: User, role: 'portal_full_access' | 'portal_contributor', at = portal) =>
    addBinding(firm.db, { userId: user.id }, role, { type: 'portal', id: at }, null);

  beforeEach(async () => {
    entity = await buildEntity(firm.db, 'Clearwater Holdings');
    const other = await buildEntity(firm.db, 'Harbour Trust');
    portal = await buildPortal(firm.db, 'Clearwater portal', firm.admin.id, [entity]);
    const elsewhere = await buildPortal(firm.db, 'Harbour portal', firm.admin.id, [other]);
    const contact = (first: string, client: string | null) =>
      buildContact(firm.db, client, {
        firstName: first,
        lastName: 'Tester',
        email: `${first.toLowerCase()}@example.com`,
      });
    people = {
      direct: await contact('Dora', entity),
      full: await contact('Fiona', other),
      contributor: await contact('Carl', null),
      both: await contact('Bea', entity),
      grouped: await contact('Gus', null),
      associated: await contact('Ann', null),
      plain: await contact('Nia', entity),
      outsider: await contact('Otto', other),
    } as Record<string, User>;
    const p = people as Record<
      'direct' | 'full' | 'contributor' | 'both' | 'grouped' | 'associated' | 'plain' | 'outsider',
      User
    >;
    await bindAtEntity(firm.db, { userId: p.direct.id }, 'contact_entity_access', entity);
    await member(p.full, 'portal_full_access');
    await member(p.contributor, 'portal_contributor');
    await bindAtEntity(firm.db, { userId: p.both.id }, 'contact_entity_access', entity);
    await member(p.both, 'portal_contributor');
    family = await buildGroup(firm.db, 'Clearwater family', [p.grouped.id], [], 'contact');
    await bindAtEntity(firm.db, { groupId: family }, 'contact_entity_access', entity);
    await bindAtEntity(firm.db, { userId: p.associated.id }, 'associated', entity);
    await member(p.outsider, 'portal_contributor', elsewhere);
  });

  it('a contact is ticked on the share list exactly when “Who can see it” lists them, and when they see it', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const shareHtml = await (await client.get(`/entities/${entity}/access`)).text();
    const accessHtml = await (await client.get(`/entities/${entity}/access`)).text();
    const members = await firm.db.selectFrom('group_members').select(['group_id', 'user_id']).execute();
    const listedGroups = new Set(
      [...accessHtml.matchAll(/href="\/contact-groups\/([a-z0-9]+)"/g)].map((m) => m[1]),
    );

    const rows = [];
    for (const [who, user] of Object.entries(people)) {
      const box = shareHtml.match(new RegExp(`<input type="checkbox"[^>]*value="${user.id}"[^>]*>`))?.[0];
      const ticked = box?.includes('checked') ?? false;
      const listed =
        accessHtml.includes(`href="/contacts/${user.id}"`) ||
        members.some((m) => m.user_id === user.id && listedGroups.has(m.group_id));
      const sees = can(await loadActor(firm.db, user), 'entity.summary:R', entityChain(entity));
      rows.push({ who, ticked, listed, sees });
    }
    // One table, so a disagreement names who and which page.
    expect(rows).toEqual(rows.map((r) => ({ ...r, ticked: r.sees, listed: r.sees })));
    expect(rows.filter((r) => r.sees).map((r) => r.who)).toEqual([
      'direct',
      'full',
      'contributor',
      'both',
      'grouped',
    ]);
  });

  it('says a portal member sees it through the portal, that unticking would not change it, and links the portal', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const html = await (await client.get(`/entities/${entity}/access`)).text();
    const carl = people.contributor as User;
    const box = html.match(new RegExp(`<input type="checkbox"[^>]*value="${carl.id}"[^>]*>`))?.[0] ?? '';
    expect(box).toContain('checked');
    expect(box).toContain('disabled');
    expect(box).toContain(`aria-describedby="f-contacts-${carl.id}-hint"`);
    const hint = html.match(
      new RegExp(`<span class="hint" id="f-contacts-${carl.id}-hint">(.*?)</span>`),
    )?.[1];
    expect(hint).toBe(
      `Sees it through portal <a href="/portals/${portal}">Clearwater portal</a> (Contributor). Unticking here would not change that: only removing them from the portal does. Client portal is off: sharing gives access but sends no email.`,
    );
    const fiona = people.full as User;
    expect(html).toMatch(
      new RegExp(
        `id="f-contacts-${fiona.id}-hint">Sees it through portal <a[^>]*>Clearwater portal</a> \\(Full access\\)`,
      ),
    );
    const bea = people.both as User;
    const beaBox = html.match(new RegExp(`<input type="checkbox"[^>]*value="${bea.id}"[^>]*>`))?.[0] ?? '';
    expect(beaBox).toContain('checked');
    expect(beaBox).not.toContain('disabled');
    expect(html).toContain('unticking removes only the share here, and they still see it.');
  });

  it('unticking a contact shared here who is also a portal member says they still see it', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const bea = people.both as User;
    const res = await client.post(`/entities/${entity}/client-portal`, {
      contacts: [],
      contactsShown: [bea.id],
    });
    expect(res.status).toBe(303);
    const html = await (await client.get(`/entities/${entity}/access`)).text();
    expect(html).toContain(
      'No longer shared with Bea Tester. Bea Tester still sees it through portal Clearwater portal.',
    );
    const box = html.match(new RegExp(`<input type="checkbox"[^>]*value="${bea.id}"[^>]*>`))?.[0] ?? '';
    expect(box).toContain('checked');
    expect(box).toContain('disabled');
  });
});
