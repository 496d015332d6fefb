/**
 * Importing from a CSV file in a real browser: an Admin imports clients, then uploads contacts
 * with one bad row, reads that row's error in the preview, imports the valid rows and finds them
 * in the directory; a missing file is refused beside the field; the preview fits a phone. The
 * contacts' client is added before the tests, so the contact import runs alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  type BrowserWindow,
  bodyRows,
  completeSetup,
  expectFieldError,
  goTo,
  PHONE,
  signIn,
  submit,
  useE2E,
} from './harness.js';

const e2e = useE2E();

const CONTACTS_CSV = [
  'first_name,last_name,email,client,notes',
  'Katherine,Johnson,kath@example.com,RS-001,"Prefers phone, mornings"',
  'Dorothy,Vaughan,dorothy@example.com,Nowhere Ltd,',
  'Mary,Jackson,mary@example.com,Riverside Holdings,',
].join('\r\n');

const csvFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

beforeAll(async () => {
  const { page } = e2e;
  await completeSetup(page, e2e.server);
  // The contacts' client.
  await goTo(page, 'Clients');
  await page.getByRole('link', { name: 'Add client' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Riverside Holdings');
  await page.getByLabel('Reference (optional)').fill('RS-001');
  await page.getByRole('button', { name: 'Add client' }).click();
  await page.getByRole('heading', { name: 'Riverside Holdings', level: 1 }).waitFor();
});

describe('CSV import', () => {
  it('an Admin imports clients from a file whose every row is valid', async () => {
    const { page } = e2e;
    await goTo(page, 'Clients');
    await page.getByRole('link', { name: 'Import clients' }).click();
    await page.getByRole('heading', { name: 'Import clients', level: 1 }).waitFor();
    await page
      .getByLabel('CSV file')
      .setInputFiles(
        csvFile(
          'clients.csv',
          'name,reference,kind\nClearwater Holdings,CW-001,company\nHarbour Trust,,trust\n',
        ),
      );
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await page.getByRole('heading', { name: 'Import clients: check the rows', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Import all 2 clients' }).click();
    await page.getByRole('status').getByText('Imported 2 clients.').waitFor();
    expect(await bodyRows(page.getByRole('table'))).toEqual([
      ['Clearwater Holdings', 'Company', 'CW-001'],
      ['Harbour Trust', 'Trust', ''],
      ['Riverside Holdings', 'Individual', 'RS-001'],
    ]);
  });

  it('a missing file is refused beside the file field', async () => {
    const { page } = e2e;
    await goTo(page, 'Contacts');
    await page.getByRole('link', { name: 'Import contacts' }).click();
    await page.getByRole('heading', { name: 'Import contacts', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Download the template (CSV)' }).waitFor();
    const refused = await submit(page, page.getByRole('button', { name: 'Upload and check' }));
    expect(refused.status()).toBe(422);
    await expectFieldError(page.getByLabel('CSV file'), 'Choose a CSV file to upload.');
  });

  it('an Admin uploads contacts with one bad row, reads its error, imports the valid rows and sees them listed', async () => {
    const { page } = e2e;
    await goTo(page, 'Contacts');
    await page.getByRole('link', { name: 'Import contacts' }).click();
    await page.getByLabel('CSV file').setInputFiles(csvFile('team.csv', CONTACTS_CSV));
    await page.getByRole('button', { name: 'Upload and check' }).click();
    await page.getByRole('heading', { name: 'Import contacts: check the rows', level: 1 }).waitFor();
    expect(await bodyRows(page.getByRole('table', { name: 'Rows of team.csv' }))).toEqual([
      ['2', 'Katherine', 'Johnson', 'kath@example.com', 'RS-001', 'None'],
      [
        '3',
        'Dorothy',
        'Vaughan',
        'dorothy@example.com',
        'Nowhere Ltd',
        'client: No client is called “Nowhere Ltd”. Enter its exact name or reference.',
      ],
      ['4', 'Mary', 'Jackson', 'mary@example.com', 'Riverside Holdings', 'None'],
    ]);
    await page.getByText('2 valid', { exact: true }).waitFor();
    await page.getByText('1 row with errors', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: /Import all/ }).count()).toBe(0);

    await page.getByRole('button', { name: 'Import the 2 valid rows' }).click();
    await page.getByRole('heading', { name: 'Contacts', level: 1 }).waitFor();
    await page.getByRole('status').getByText('Imported 2 contacts.').waitFor();
    expect(await bodyRows(page.getByRole('table'))).toEqual([
      ['Mary Jackson', 'mary@example.com', 'Riverside Holdings'],
      ['Katherine Johnson', 'kath@example.com', 'Riverside Holdings'],
    ]);
    await page.getByRole('link', { name: 'Katherine Johnson' }).click();
    expect(await page.getByLabel('Notes (optional)').inputValue()).toBe('Prefers phone, mornings');
  });

  it('the upload page and the preview fit a phone', async () => {
    const phone = await e2e.openBrowser(PHONE);
    await signIn(phone.page, e2e.server, ADMIN);
    const sideways = () =>
      phone.page.evaluate(() => {
        const w = globalThis as unknown as BrowserWindow;
        return w.document.documentElement.scrollWidth - w.innerWidth;
      });
    await phone.page.goto(e2e.url('/entities/import'));
    expect(await sideways()).toBe(0);
    await phone.page
      .getByLabel('CSV file')
      .setInputFiles(
        csvFile(
          'clients.csv',
          `name,kind,reference,notes\nA very long client name that goes on and on Pty Ltd,castle,R-1,"${'x'.repeat(300)}"\n`,
        ),
      );
    await phone.page.getByRole('button', { name: 'Upload and check' }).click();
    await phone.page.getByRole('heading', { name: 'Import clients: check the rows', level: 1 }).waitFor();
    await phone.page.getByText('kind: Choose what kind of entity this is.').waitFor();
    expect(await sideways()).toBe(0);
  });
});
