/**
 * Entities in a real browser, under the firm's label (Clients by default): an Admin adds a client
 * (a blank name refused beside the field, with what was typed kept), finds it by searching, edits
 * its details, and deletes it after confirming.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { bodyRows, completeSetup, expectFieldError, goTo, navLinks, submit, useE2E } from './harness.js';

const e2e = useE2E();

beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
});

describe('entities', () => {
  it('an Admin adds a client; a blank name is refused beside the field and what was typed stays', async () => {
    const { page } = e2e;
    expect(await navLinks(page)).toContain('Clients');
    await goTo(page, 'Clients');
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    expect(await bodyRows(page.getByRole('table'))).toEqual([['No clients match.']]);

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
    expect(await page.getByLabel('Tax number (optional)').inputValue()).toBe('51 824 753 556');
  });

  it('finds the client by searching, as the search box is typed into', async () => {
    const { page } = e2e;
    await goTo(page, 'Clients');
    await page.getByLabel('Search clients by name, reference or email').fill('cw-0');
    await page.getByRole('table', { name: 'Clients matching “cw-0”' }).waitFor();
    expect(await bodyRows(page.getByRole('table'))).toEqual([['Clearwater Holdings', 'Company', 'CW-001']]);
    await page.getByLabel('Search clients by name, reference or email').fill('nothing like it');
    await page.getByRole('table', { name: 'Clients matching “nothing like it”' }).waitFor();
    expect(await bodyRows(page.getByRole('table'))).toEqual([['No clients match.']]);
  });

  it('edits the details, then deletes the client once the deletion is confirmed', async () => {
    const { page } = e2e;
    await goTo(page, 'Clients');
    await page.getByRole('link', { name: 'Clearwater Holdings' }).click();
    await page.getByRole('heading', { name: 'Clearwater Holdings', level: 1 }).waitFor();
    await page.getByLabel('Email (optional)').fill('not an email');
    await submit(page, page.getByRole('button', { name: 'Save details' }));
    await expectFieldError(
      page.getByLabel('Email (optional)'),
      'Enter an email address like name@example.com, or leave it empty.',
    );
    await page.getByLabel('Email (optional)').fill('office@clearwater.example');
    await page.getByRole('button', { name: 'Save details' }).click();
    await page.getByRole('status').getByText('Details saved.').waitFor();
    expect(await page.getByLabel('Email (optional)').inputValue()).toBe('office@clearwater.example');

    await submit(page, page.getByRole('button', { name: 'Delete client' }));
    await expectFieldError(
      page.getByLabel('Yes, delete Clearwater Holdings and remove everyone’s access to it'),
      'Tick the box to confirm that Clearwater Holdings should be deleted.',
    );
    await page.getByLabel('Yes, delete Clearwater Holdings and remove everyone’s access to it').check();
    await page.getByRole('button', { name: 'Delete client' }).click();
    await page.getByRole('status').getByText('Clearwater Holdings was deleted.').waitFor();
    await page.getByRole('heading', { name: 'Clients', level: 1 }).waitFor();
    expect(await bodyRows(page.getByRole('table'))).toEqual([['No clients match.']]);
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
  });
});
