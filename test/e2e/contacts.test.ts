/**
 * Contacts and contact groups in a real browser (the seed's "To create a contact" and "To create
 * a contact group"): an Admin adds a client, then a contact in it (a bad email refused beside the
 * field, what was typed kept), chooses a contact's client with the picker with JavaScript (htmx
 * suggestions as one types) and without it (Find), finds the contact by searching, and makes a
 * contact group by finding the contact and ticking them. The contacts found, grouped and deleted
 * are added before the tests, one for each, so any test runs alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  addContact,
  bodyRows,
  chooseClient,
  completeSetup,
  expectFieldError,
  goTo,
  navLinks,
  signIn,
  submit,
  useE2E,
} from './harness.js';

const e2e = useE2E();
const KATHERINE = { firstName: 'Katherine', lastName: 'Johnson', email: 'katherine@clearwater.example' };
const MARY = { firstName: 'Mary', lastName: 'Jackson', email: 'mary@clearwater.example' };
const DOROTHY = { firstName: 'Dorothy', lastName: 'Vaughan', email: 'dorothy@clearwater.example' };

beforeAll(async () => {
  const { page } = e2e;
  await completeSetup(page, e2e.server);
  await goTo(page, 'Clients');
  await page.getByRole('link', { name: 'Add client' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Clearwater Holdings');
  await page.getByLabel('Reference (optional)').fill('CW-001');
  await page.getByRole('button', { name: 'Add client' }).click();
  await page.getByRole('heading', { name: 'Clearwater Holdings', level: 1 }).waitFor();
  // Found by searching; put in a group; deleted.
  await addContact(page, KATHERINE, 'Clearwater Holdings');
  await addContact(page, MARY, 'Clearwater Holdings');
  await addContact(page, DOROTHY, 'Clearwater Holdings');
});

/** The Contacts list's names. */
async function contactNames() {
  await goTo(e2e.page, 'Contacts');
  return (await bodyRows(e2e.page.getByRole('table'))).map((r) => r[0]);
}

describe('contacts', () => {
  it('an Admin adds a contact in a client; a bad email is refused beside the field, the rest kept', async () => {
    const { page } = e2e;
    expect(await navLinks(page)).toEqual(expect.arrayContaining(['Contacts', 'Contact groups']));
    await goTo(page, 'Contacts');
    await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Add contact' }).click();
    await page.getByRole('heading', { name: 'Add contact', level: 1 }).waitFor();
    await page.getByLabel('First name').fill('Grace');
    await page.getByLabel('Last name').fill('Hopper');
    await page.getByLabel('Email (their username)').fill('grace at clearwater');
    await page.getByLabel('Phone (optional)').fill('0400 111 222');
    await chooseClient(page, 'CW-001');
    const refused = await submit(page, page.getByRole('button', { name: 'Add contact' }));
    expect(refused.status()).toBe(422);
    await expectFieldError(
      page.getByLabel('Email (their username)'),
      'Enter an email address like name@example.com.',
    );
    expect(await page.getByRole('radio', { name: 'Clearwater Holdings (CW-001)' }).isChecked()).toBe(true);
    expect(await page.getByLabel('Phone (optional)').inputValue()).toBe('0400 111 222');

    await page.getByLabel('Email (their username)').fill('grace@clearwater.example');
    await page.getByRole('button', { name: 'Add contact' }).click();
    await page.getByRole('heading', { name: 'Grace Hopper', level: 1 }).waitFor();
    await page.getByRole('status').getByText('Grace Hopper was added.').waitFor();
    expect(await page.getByLabel('Phone (optional)').inputValue()).toBe('0400 111 222');
    await page.getByRole('link', { name: 'Clearwater Holdings' }).first().waitFor();
  });

  it('with JavaScript, the client picker suggests clients as the search is typed into', async () => {
    const { page } = e2e;
    await page.goto(e2e.url('/contacts/new'));
    await page.getByLabel('First name').fill('Ada');
    await page.getByLabel('Last name').fill('Lovelace');
    await page.getByLabel('Email (their username)').fill('ada@clearwater.example');
    // No Find pressed: the choices come as one types.
    await page.getByLabel('Find a client by name or reference').pressSequentially('no such client');
    await page.getByText('No client you can add contacts to matches “no such client”.').waitFor();
    await page.getByLabel('Find a client by name or reference').fill('clear');
    await page.getByRole('radio', { name: 'Clearwater Holdings (CW-001)' }).check();
    expect(await page.getByLabel('First name').inputValue()).toBe('Ada');
    await page.getByLabel('Find a client by name or reference').fill('CW-0');
    // The one chosen stays chosen while searching on.
    expect(await page.getByRole('radio', { name: 'Clearwater Holdings (CW-001)' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Add contact' }).click();
    await page.getByRole('heading', { name: 'Ada Lovelace', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Clearwater Holdings' }).first().waitFor();
  });

  it('without JavaScript, Find lists the clients to choose from and keeps what was typed', async () => {
    const noJs = await e2e.openBrowser({ javaScriptEnabled: false });
    await signIn(noJs.page, e2e.server, ADMIN);
    const { page } = noJs;
    await page.goto(e2e.url('/contacts/new'));
    await page.getByLabel('First name').fill('Linus');
    await page.getByLabel('Last name').fill('Torvalds');
    await page.getByLabel('Email (their username)').fill('linus@clearwater.example');
    await page.getByLabel('Notes (optional)').fill('Prefers email');
    await page.getByLabel('Find a client by name or reference').fill('nowhere');
    await page.getByRole('button', { name: 'Find clients' }).click();
    await page.getByText('No client you can add contacts to matches “nowhere”.').waitFor();
    await page.getByLabel('Find a client by name or reference').fill('water');
    await page.getByRole('button', { name: 'Find clients' }).click();
    await page.getByRole('radio', { name: 'Clearwater Holdings (CW-001)' }).check();
    expect(await page.getByLabel('First name').inputValue()).toBe('Linus');
    expect(await page.getByLabel('Notes (optional)').inputValue()).toBe('Prefers email');
    // Enter in a field saves, as it would in a form without a search in it.
    await page.getByLabel('Last name').press('Enter');
    await page.getByRole('heading', { name: 'Linus Torvalds', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Clearwater Holdings' }).first().waitFor();
  });

  it('finds the contact by searching, as the search box is typed into', async () => {
    const { page } = e2e;
    await goTo(page, 'Contacts');
    await page.getByLabel('Search contacts by name or email').fill('katherine joh');
    await page.getByRole('table', { name: 'Contacts matching “katherine joh”' }).waitFor();
    expect(await bodyRows(page.getByRole('table'))).toEqual([
      ['Katherine Johnson', KATHERINE.email, 'Clearwater Holdings'],
    ]);
  });

  it('makes a contact group: finds the contact, ticks them, and saves', async () => {
    const { page } = e2e;
    await goTo(page, 'Contact groups');
    await page.getByRole('link', { name: 'New contact group' }).click();
    await page.getByRole('heading', { name: 'New contact group', level: 1 }).waitFor();
    await page.getByLabel('Group name').fill('Year-end clients');
    await page.getByLabel('Description').fill('Returns due in June');
    await page.getByLabel('Find contacts to add (name or email)').fill('jackson');
    await page.getByRole('button', { name: 'Find contacts' }).click();
    await page.getByRole('checkbox', { name: 'Mary Jackson' }).check();
    expect(await page.getByLabel('Group name').inputValue()).toBe('Year-end clients');
    await page.getByRole('button', { name: 'Save group' }).click();
    await page.getByRole('heading', { name: 'Contact group: Year-end clients', level: 1 }).waitFor();
    await page.getByRole('status').getByText('Contact group “Year-end clients” created.').waitFor();
    expect(await page.getByRole('checkbox', { name: 'Mary Jackson' }).isChecked()).toBe(true);

    await goTo(page, 'Contacts');
    await page.getByRole('link', { name: 'Mary Jackson' }).click();
    await page.getByRole('link', { name: 'Year-end clients' }).waitFor();
  });

  it('deletes the contact once the deletion is confirmed', async () => {
    const { page } = e2e;
    const before = await contactNames();
    await page.getByRole('link', { name: 'Dorothy Vaughan' }).click();
    const label = 'Yes, delete Dorothy Vaughan, their access and their group memberships';
    await submit(page, page.getByRole('button', { name: 'Delete contact' }));
    await expectFieldError(
      page.getByLabel(label),
      'Tick the box to confirm that Dorothy Vaughan should be deleted.',
    );
    await page.getByLabel(label).check();
    await page.getByRole('button', { name: 'Delete contact' }).click();
    await page.getByRole('status').getByText('Dorothy Vaughan was deleted.').waitFor();
    // Everyone else remains; Dorothy is gone.
    expect((await bodyRows(page.getByRole('table'))).map((r) => r[0])).toEqual(
      before.filter((name) => name !== 'Dorothy Vaughan'),
    );
  });
});
