/**
 * Giving a contact access tells them, in real browsers: an Admin turns a contact's Client portal on
 * (nothing shared yet, so no invitation), gives them Contact - Entity Access at a client through
 * "Assign to clients", and the "was shared with you" email goes out; the contact follows its link
 * into the portal. The contact's page then says when they last signed in, and "Resend invitation"
 * sends a fresh link that replaces the one before. A portal contributor shows on Share in Client
 * Portal as "Who can see it" lists them: ticked, greyed out, with where the access comes from.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { RunningServer } from './harness.js';
import {
  addClient,
  addContact,
  assignToClient,
  bodyRows,
  completeSetup,
  FIRM,
  goTo,
  outboxOnceKept,
  printedLink,
  submit,
  useE2E,
} from './harness.js';

const e2e = useE2E();
const CONTACT = 'grace@clearwater.example';
const MARY = 'mary@clearwater.example';
const CLIENT = 'Harbour Trust';
const SUBJECT = `${FIRM}: Client ${CLIENT} was shared with you`;
/** Given access and signed in once before the tests, for the resend test. */
const KATHERINE = 'katherine@clearwater.example';
let katherinePage: string;

/** The next link printed for `to` that is not `before`. */
async function newLink(server: RunningServer, to: string, before: string): Promise<string> {
  for (let i = 0; i < 60; i++) {
    const link = await printedLink(server, to).catch(() => before);
    if (link !== before) return link;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no new link was printed for ${to}`);
}

beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
  await addClient(e2e.page, 'Clearwater Holdings');
  await addClient(e2e.page, CLIENT);
  const { page } = e2e;
  katherinePage = await addContact(
    page,
    { firstName: 'Katherine', lastName: 'Johnson', email: KATHERINE },
    'Clearwater Holdings',
  );
  await submit(page, page.getByRole('button', { name: 'Turn on Client portal and email an invitation' }));
  await assignToClient(page, 'Katherine Johnson', 'harbour', CLIENT, 'Contact - Entity Access');
  const katherine = await e2e.openBrowser();
  await katherine.page.goto(await printedLink(e2e.server, KATHERINE));
  await katherine.page.getByRole('button', { name: 'Sign in' }).click();
  await katherine.page.getByRole('heading', { name: 'Welcome, Katherine Johnson', level: 1 }).waitFor();
  await katherine.close();
});

describe('giving a contact access tells them', () => {
  it('Assign to clients emails a contact whose Client portal is on that the client was shared with them', async () => {
    const { page } = e2e;
    await addContact(page, { firstName: 'Grace', lastName: 'Hopper', email: CONTACT }, 'Clearwater Holdings');
    await submit(page, page.getByRole('button', { name: 'Turn on Client portal and email an invitation' }));
    await page.getByRole('alert').getByText('no invitation was sent').waitFor();
    const portal = page.getByRole('region', { name: 'Client portal' });
    expect(await portal.getByRole('definition').textContent()).toBe('Never');
    expect(await page.getByRole('button', { name: 'Resend invitation' }).count()).toBe(0);

    await assignToClient(page, 'Grace Hopper', 'harbour', CLIENT, 'Contact - Entity Access');
    await page.getByRole('status').getByText('Kept in the Outbox for Grace Hopper.').waitFor();

    const table = await outboxOnceKept(page, SUBJECT);
    expect((await bodyRows(table))[0]?.slice(1)).toEqual([CONTACT, SUBJECT, 'Kept, not sent']);

    const link = await printedLink(e2e.server, CONTACT);
    const grace = await e2e.openBrowser();
    await grace.page.goto(link);
    await grace.page.getByRole('button', { name: 'Sign in' }).click();
    await grace.page.getByRole('heading', { name: 'Welcome, Grace Hopper', level: 1 }).waitFor();
    await grace.page.getByRole('heading', { name: CLIENT, level: 2 }).waitFor();
  });

  it('the contact’s page shows their last sign-in, and Resend invitation sends a link that replaces the one before', async () => {
    const { page } = e2e;
    await page.goto(e2e.url(katherinePage));
    const portal = page.getByRole('region', { name: 'Client portal' });
    expect(await portal.getByRole('definition').textContent()).toMatch(/\d{4}, \d{2}:\d{2}$/);

    let before = await printedLink(e2e.server, KATHERINE);
    await submit(page, page.getByRole('button', { name: 'Resend invitation' }));
    await page
      .getByRole('status')
      .getByText(
        `A new invitation was kept in the Outbox for ${KATHERINE}. Links sent to Katherine Johnson before no longer work.`,
      )
      .waitFor();
    const first = await newLink(e2e.server, KATHERINE, before);
    before = first;
    await submit(page, page.getByRole('button', { name: 'Resend invitation' }));
    await page.getByRole('status').getByText('A new invitation was kept in the Outbox').waitFor();
    const second = await newLink(e2e.server, KATHERINE, before);

    const katherine = await e2e.openBrowser();
    await katherine.page.goto(first);
    await katherine.page
      .getByRole('heading', { name: 'This link has expired or was already used' })
      .waitFor();
    await katherine.page.goto(second);
    await katherine.page.getByRole('button', { name: 'Sign in' }).click();
    await katherine.page.getByRole('heading', { name: 'Welcome, Katherine Johnson', level: 1 }).waitFor();
  });

  it('a portal contributor shows ticked and greyed out on Share in Client Portal, saying where the access comes from', async () => {
    const { page } = e2e;
    await addContact(page, { firstName: 'Mary', lastName: 'Jackson', email: MARY }, 'Clearwater Holdings');
    await page.goto(e2e.url('/portals/new?search=1&name=Clearwater%20portal&eq=clear&cq=mary'));
    await page.getByRole('checkbox', { name: 'Clearwater Holdings' }).check();
    await page.getByLabel(`Mary Jackson (${MARY})`).selectOption({ label: 'Contributor' });
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.waitForURL(/\/portals\/[a-z0-9]+$/);

    await goTo(page, 'Clients');
    await page.getByRole('link', { name: 'Clearwater Holdings' }).click();
    await page
      .getByRole('navigation', { name: 'Client sections' })
      .getByRole('link', { name: 'People and access' })
      .click();
    const section = page.getByRole('region', { name: 'Share in Client Portal' });
    const box = section.getByRole('checkbox', { name: `Mary Jackson (${MARY})` });
    expect([await box.isChecked(), await box.isDisabled()]).toEqual([true, true]);
    const described = (await box.getAttribute('aria-describedby')) ?? '';
    expect(await page.locator(`[id="${described}"]`).textContent()).toContain(
      'Sees it through portal Clearwater portal (Contributor). Unticking here would not change that: only removing them from the portal does.',
    );
    await section.getByRole('link', { name: 'Clearwater portal' }).waitFor();

    await page
      .getByRole('navigation', { name: 'Client sections' })
      .getByRole('link', { name: 'People and access' })
      .click();
    const row = page.getByRole('row', { name: /Mary Jackson/ });
    expect(await row.getByRole('cell').nth(1).textContent()).toBe('Portal - Contributor');
  });
});
