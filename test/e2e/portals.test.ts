/**
 * Portals in a real browser (MYOB's "To create a portal", every step): an Admin adds a client and
 * a contact, then Portals → Create portal: a name with a character the seed forbids is refused
 * beside the field with what was chosen kept; the client and the contact are found by searches in
 * the form, the contact given full access; a new user is created inline; a "send as" user and a
 * notify list are chosen; Create. The portal's page shows it all, and the Outbox holds each
 * member's "Sign in to your portal" invitation.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  addClient,
  bodyRows,
  chooseClient,
  completeSetup,
  expectFieldError,
  FIRM,
  goTo,
  navLinks,
  outboxOnceKept,
  submit,
  useE2E,
} from './harness.js';

const e2e = useE2E();

beforeAll(async () => {
  const { page } = e2e;
  await completeSetup(page, e2e.server);
  await addClient(page, 'Clearwater Holdings');
  await goTo(page, 'Contacts');
  await page.getByRole('link', { name: 'Add contact' }).click();
  await page.getByLabel('First name').fill('Grace');
  await page.getByLabel('Last name').fill('Hopper');
  await page.getByLabel('Email (their username)').fill('grace@clearwater.example');
  await chooseClient(page, 'Clearwater Holdings');
  await page.getByRole('button', { name: 'Add contact' }).click();
  await page.getByRole('heading', { name: 'Grace Hopper', level: 1 }).waitFor();
});

describe('portals', () => {
  it('an Admin creates a portal, step by step, and its members are invited', async () => {
    const { page } = e2e;
    expect(await navLinks(page)).toContain('Portals');
    await goTo(page, 'Portals');
    await page.getByRole('heading', { name: 'Portal list', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Create portal' }).click();
    await page.getByRole('heading', { name: 'Create portal', level: 1 }).waitFor();

    await page.getByLabel('Portal name').fill('Clearwater #1');
    await page.getByLabel('Find clients to add (name or reference)').fill('clear');
    await page.getByRole('button', { name: 'Find clients' }).click();
    await page.getByRole('checkbox', { name: 'Clearwater Holdings' }).check();
    await page.getByLabel('Find contacts to add (name or email)').fill('hopper');
    await page.getByRole('button', { name: 'Find contacts' }).click();
    // The search kept what was typed and ticked.
    expect(await page.getByLabel('Portal name').inputValue()).toBe('Clearwater #1');
    expect(await page.getByRole('checkbox', { name: 'Clearwater Holdings' }).isChecked()).toBe(true);
    await page.getByLabel('Grace Hopper (grace@clearwater.example)').selectOption({ label: 'Full access' });

    const group = page.getByRole('group', { name: 'Create new user' });
    await group.getByLabel('First name').fill('Michelle');
    await group.getByLabel('Last name').fill('Owner');
    await group.getByLabel('Email').fill('michelle@clearwater.example');
    await group.getByLabel('Their client').selectOption({ label: 'Clearwater Holdings' });
    await group.getByLabel('Their access').selectOption({ label: 'Contributor' });
    await page
      .getByLabel('Default “send as” user')
      .selectOption({ label: `${ADMIN.firstName} ${ADMIN.lastName}` });
    await page.getByRole('group', { name: 'Default notify list' }).getByRole('checkbox').first().check();

    const refused = await submit(page, page.getByRole('button', { name: 'Create', exact: true }));
    expect(refused.status()).toBe(422);
    await expectFieldError(
      page.getByLabel('Portal name'),
      'A portal name cannot contain #. Leave out these characters: , ( [ ~ # % * { } < > ? / + | \\ " ) ]',
    );
    expect(await page.getByLabel('Grace Hopper (grace@clearwater.example)').inputValue()).toBe('full');
    expect(await group.getByLabel('Email').inputValue()).toBe('michelle@clearwater.example');

    await page.getByLabel('Portal name').fill('Clearwater group');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await page.getByRole('heading', { name: 'Portal: Clearwater group', level: 1 }).waitFor();
    await page
      .getByRole('status')
      .getByText(/Portal “Clearwater group” created\. Invitations were kept in the Outbox for \S+ and \S+\./)
      .waitFor();
    expect(await bodyRows(page.getByRole('table', { name: 'Members' }))).toEqual([
      ['Grace Hopper', 'grace@clearwater.example', 'Full access'],
      ['Michelle Owner', 'michelle@clearwater.example', 'Contributor'],
    ]);
    await page.getByText('Every member with full access').waitFor();

    await goTo(page, 'Portals');
    expect(await bodyRows(page.getByRole('table', { name: 'Portals' }))).toEqual([
      ['Clearwater group', 'Clearwater Holdings', `${ADMIN.firstName} ${ADMIN.lastName}`, '2'],
    ]);

    const subject = `${FIRM} has set up a portal for you`;
    const table = await outboxOnceKept(page, subject);
    const rows = (await bodyRows(table)).filter((r) => r[2] === subject).map((r) => r[1]);
    expect(rows.sort()).toEqual(['grace@clearwater.example', 'michelle@clearwater.example']);
    await table.getByRole('link', { name: subject }).first().click();
    const frame = page.getByTitle('The HTML part of the email').contentFrame();
    await frame.getByRole('link', { name: 'Sign in to your portal' }).waitFor();
  });
});
