/**
 * Entities in a real browser, under the firm's label (Clients by default): an Admin adds a client
 * (a blank name refused beside the field, with what was typed kept), finds it by searching, edits
 * its details, and deletes it after confirming. Each test works on a client of its own (the ones it
 * does not add are added before the tests), so any one of them runs alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bodyRows, completeSetup, expectFieldError, goTo, navLinks, submit, useE2E } from './harness.js';

const e2e = useE2E();

/** Clients → Add client, with a kind and a reference. */
async function addClientWith(name: string, kind: string, reference: string) {
  const { page } = e2e;
  await goTo(page, 'Clients');
  await page.getByRole('link', { name: 'Add client' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Kind').selectOption({ label: kind });
  await page.getByLabel('Reference (optional)').fill(reference);
  await page.getByRole('button', { name: 'Add client' }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

/** The Clients list's rows, in name order. */
async function clientRows() {
  await goTo(e2e.page, 'Clients');
  await e2e.page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
  return (await bodyRows(e2e.page.getByRole('table'))).sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
  await goTo(e2e.page, 'Clients');
  expect(await bodyRows(e2e.page.getByRole('table'))).toEqual([['No clients match.']]);
  // Found by searching; edited and deleted.
  await addClientWith('Harbour Trust', 'Trust', 'HT-002');
  await addClientWith('Riverside Partners', 'Partnership', 'RP-003');
});

describe('entities', () => {
  it('an Admin adds a client; a blank name is refused beside the field and what was typed stays', async () => {
    const { page } = e2e;
    expect(await navLinks(page)).toContain('Clients');
    const before = await clientRows();

    await page.getByRole('link', { name: 'Add client' }).click();
    await page.getByRole('heading', { name: 'Add client', level: 1 }).waitFor();
    await page.getByLabel('Kind').selectOption({ label: 'Company' });
    await page.getByLabel('Reference (optional)').fill('CW-001');
    await page.getByLabel('Tax number (optional)').fill('51 824 753 556');
    const refused = await submit(page, page.getByRole('button', { name: 'Add client' }));
    expect(refused.status()).toBe(422);
    await expectFieldError(page.getByLabel('Name', { exact: true }), 'Enter the name.');
    expect(await page.getByLabel('Reference (optional)').inputValue()).toBe('CW-001');
    expect(await page.getByLabel('Kind').inputValue()).toBe('company');

    await page.getByLabel('Name', { exact: true }).fill('Clearwater Holdings');
    await page.getByRole('button', { name: 'Add client' }).click();
    await page.getByRole('heading', { name: 'Clearwater Holdings', level: 1 }).waitFor();
    await page.getByRole('status').getByText('Clearwater Holdings was added.').waitFor();
    await page
      .getByRole('navigation', { name: 'Client sections' })
      .getByRole('link', { name: 'Settings' })
      .click();
    expect(await page.getByLabel('Tax number (optional)').inputValue()).toBe('51 824 753 556');
    expect(await clientRows()).toEqual(
      [...before, ['Clearwater Holdings', 'Company', 'CW-001']].sort((a, b) =>
        (a[0] ?? '').localeCompare(b[0] ?? ''),
      ),
    );
  });

  it('finds the client by searching, as the search box is typed into', async () => {
    const { page } = e2e;
    await goTo(page, 'Clients');
    await page.getByLabel('Search clients by name, reference or email').fill('ht-0');
    await page.getByRole('table', { name: 'Clients matching “ht-0”' }).waitFor();
    expect(await bodyRows(page.getByRole('table'))).toEqual([['Harbour Trust', 'Trust', 'HT-002']]);
    await page.getByLabel('Search clients by name, reference or email').fill('nothing like it');
    await page.getByRole('table', { name: 'Clients matching “nothing like it”' }).waitFor();
    expect(await bodyRows(page.getByRole('table'))).toEqual([['No clients match.']]);
  });

  it('edits the details, then deletes the client once the deletion is confirmed', async () => {
    const { page } = e2e;
    const before = await clientRows();
    await page.getByRole('link', { name: 'Riverside Partners' }).click();
    await page.getByRole('heading', { name: 'Riverside Partners', level: 1 }).waitFor();
    await page
      .getByRole('navigation', { name: 'Client sections' })
      .getByRole('link', { name: 'Settings' })
      .click();
    await page.getByLabel('Email (optional)').fill('not an email');
    await submit(page, page.getByRole('button', { name: 'Save details' }));
    await expectFieldError(
      page.getByLabel('Email (optional)'),
      'Enter an email address like name@example.com, or leave it empty.',
    );
    await page.getByLabel('Email (optional)').fill('office@riverside.example');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByRole('status').getByText('Details saved.').waitFor();
    expect(await page.getByLabel('Email (optional)').inputValue()).toBe('office@riverside.example');

    await submit(page, page.getByRole('button', { name: 'Delete client' }));
    await expectFieldError(
      page.getByLabel('Yes, delete Riverside Partners and remove everyone’s access to it'),
      'Tick the box to confirm that Riverside Partners should be deleted.',
    );
    await page.getByLabel('Yes, delete Riverside Partners and remove everyone’s access to it').check();
    await page.getByRole('button', { name: 'Delete client' }).click();
    await page.getByRole('status').getByText('Riverside Partners was deleted.').waitFor();
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    expect(await clientRows()).toEqual(before.filter(([name]) => name !== 'Riverside Partners'));
  });

  it('with the label set to Matter in Settings, the navigation and pages say Matters', async () => {
    const { page } = e2e;
    await goTo(page, 'Settings');
    await page.getByLabel('Label for client workspaces').selectOption('Matter');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').waitFor();
    await goTo(page, 'Matters');
    await page.getByRole('heading', { name: 'Matters', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Add matter' }).waitFor();

    // Back to Client, for the firm the other tests work in.
    await goTo(page, 'Settings');
    await page.getByLabel('Label for client workspaces').selectOption('Client');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').waitFor();
    await goTo(page, 'Clients');
  });
});
