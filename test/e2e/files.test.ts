/**
 * Files in a real browser: an Admin opens a new client's
 * Files tab, makes a folder (a second of the same name refused beside the field), uploads two files
 * into it, downloads the folder as a zip and one file under its own name, uploads a new version of it, restores the first, and
 * deletes the other; then shares the file with a contact, who signs in, finds only that file in
 * their portal and downloads it, then on her Files page goes down to its folder, sends a file
 * there, renames it (a taken name refused beside the field) and deletes it. With script, files go as resumable uploads with a progress bar
 * each: one cut off midway continues after a reload from where it stopped; without script the
 * same form posts them plainly. The pages are photographed at 1280 and 390 px.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { NO_ROOM } from '../../src/files/resumable/tus.js';
import { unzip } from '../helpers/zip.js';
import {
  addClient,
  addContact,
  assignToClient,
  bodyRows,
  completeSetup,
  expectFieldError,
  PHONE,
  printedLink,
  RESULTS_DIR,
  submit,
  useE2E,
} from './harness.js';

const e2e = useE2E();

beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
});

/**
 * A client of the test's own with a folder, left open on that folder's Files page, with `files`
 * uploaded into it: each test starts from its own, never from what another left behind.
 */
async function clientWithFolder(
  page: Page,
  client: string,
  folder: string,
  files: { name: string; mimeType: string; buffer: Buffer }[] = [],
) {
  await addClient(page, client);
  await page
    .getByRole('navigation', { name: 'Client sections' })
    .getByRole('link', { name: 'Files' })
    .click();
  await page.getByLabel('New folder').fill(folder);
  await page.getByRole('button', { name: 'Create folder' }).click();
  await page.getByRole('heading', { name: folder, level: 2 }).waitFor();
  if (!files.length) return;
  await page.getByLabel('Files to upload').setInputFiles(files);
  await page.getByRole('button', { name: 'Upload', exact: true }).click();
  await page
    .getByRole('status')
    .getByText(`Uploaded: ${files.map((f) => f.name).join(', ')}.`)
    .waitFor();
}

/** A contact of `client` invited to its portal as Contact - Entity Collaborator. */
async function collaborator(
  page: Page,
  person: { firstName: string; lastName: string; email: string },
  client: string,
) {
  await addContact(page, person, client);
  await submit(page, page.getByRole('button', { name: 'Turn on Client portal and email an invitation' }));
  const name = `${person.firstName} ${person.lastName}`;
  await assignToClient(
    page,
    name,
    client.split(' ')[0]!.toLowerCase(),
    client,
    'Contact - Entity Collaborator',
  );
}

describe('files', () => {
  it('staff make a folder, upload into it, download, add a version, restore one and delete a file', async () => {
    const { page } = e2e;
    await addClient(page, 'Harbour Bakery');
    await page
      .getByRole('navigation', { name: 'Client sections' })
      .getByRole('link', { name: 'Files' })
      .click();
    await page.getByRole('heading', { name: 'Files', level: 2 }).waitFor();
    await page.getByText('Nothing here yet. Upload files or create a folder.').waitFor();

    await page.getByLabel('New folder').fill('Tax 2025');
    await page.getByRole('button', { name: 'Create folder' }).click();
    await page.getByRole('heading', { name: 'Tax 2025', level: 2 }).waitFor();
    await page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: 'Files' }).click();
    await page.getByLabel('New folder').fill('tax 2025');
    const refused = await submit(page, page.getByRole('button', { name: 'Create folder' }));
    expect(refused.status()).toBe(422);
    await expectFieldError(page.getByLabel('New folder'), 'A folder named “tax 2025” is already here.');
    expect(await page.getByLabel('New folder').inputValue()).toBe('tax 2025');

    await page.getByRole('link', { name: 'Tax 2025 (folder)' }).click();
    await page.getByLabel('Files to upload').setInputFiles([
      { name: 'Return 2025.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\nfirst') },
      { name: 'Receipts.csv', mimeType: 'text/csv', buffer: Buffer.from('date,amount\n2025-07-01,12.50\n') },
    ]);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('status').getByText('Uploaded: Return 2025.pdf, Receipts.csv.').waitFor();
    const table = page.getByRole('table', { name: 'Folders and files in Tax 2025' });
    expect((await bodyRows(table)).map((row) => row[0])).toEqual(['Receipts.csv', 'Return 2025.pdf']);
    await page.screenshot({ path: `${RESULTS_DIR}/files-folder-1280.png`, fullPage: true });
    const [zip] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download this folder as a zip' }).click(),
    ]);
    expect(zip.suggestedFilename()).toBe('Tax 2025.zip');
    // A zip's local file header starts "PK\x03\x04".
    expect(
      fs
        .readFileSync(await zip.path())
        .subarray(0, 4)
        .toString('latin1'),
    ).toBe('PK\x03\x04');
    // Files chosen one by one, as one zip.
    await page.getByLabel('Select Receipts.csv').check();
    await page.getByLabel('Select Return 2025.pdf').check();
    const [chosen] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download the selected files as a zip' }).click(),
    ]);
    expect(chosen.suggestedFilename()).toBe('Selected files.zip');

    await page.getByRole('link', { name: 'Return 2025.pdf' }).click();
    await page.getByRole('heading', { name: 'Return 2025.pdf', level: 2 }).waitFor();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download', exact: true }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Return 2025.pdf');
    expect(fs.readFileSync(await download.path(), 'utf8')).toBe('%PDF-1.4\nfirst');

    // The same name again, in another case: a new version of the same file.
    await page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: 'Tax 2025' }).click();
    await page.getByLabel('Files to upload').setInputFiles({
      name: 'RETURN 2025.PDF',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\nsecond, amended'),
    });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('status').getByText('Uploaded: Return 2025.pdf (version 2).').waitFor();
    await page.getByRole('link', { name: 'Return 2025.pdf' }).click();
    const versions = page.getByRole('table', { name: 'Versions' });
    expect((await bodyRows(versions)).map((row) => row[0])).toEqual(['2 (current)', '1']);
    await page.getByRole('button', { name: 'Restore version 1' }).click();
    await page.getByRole('status').getByText('Version 1 was restored as version 3.').waitFor();
    const [restored] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download', exact: true }).click(),
    ]);
    expect(fs.readFileSync(await restored.path(), 'utf8')).toBe('%PDF-1.4\nfirst');
    await page.screenshot({ path: `${RESULTS_DIR}/files-file-1280.png`, fullPage: true });
    // An older version opens on a page of its own, named by its number, with its own download.
    await page.getByRole('link', { name: 'View version 2' }).click();
    await page.getByRole('heading', { name: 'Return 2025.pdf (version 2)', level: 2 }).waitFor();
    const olderUrl = page.url();
    await page.screenshot({ path: `${RESULTS_DIR}/files-version-1280.png`, fullPage: true });
    const [older] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download version 2' }).click(),
    ]);
    expect(fs.readFileSync(await older.path(), 'utf8')).toBe('%PDF-1.4\nsecond, amended');
    await page.getByRole('link', { name: 'Back to Return 2025.pdf' }).click();
    await page.getByRole('table', { name: 'Versions' }).waitFor();

    const phone = await e2e.openBrowser({ ...PHONE, viewport: { width: 390, height: 844 } });
    await phone.context.addCookies(await e2e.browser.context.cookies());
    await phone.page.goto(page.url());
    await phone.page.getByRole('heading', { name: 'Return 2025.pdf', level: 2 }).waitFor();
    await phone.page.screenshot({ path: `${RESULTS_DIR}/files-file-390.png`, fullPage: true });
    await phone.page
      .getByRole('navigation', { name: 'Folders' })
      .getByRole('link', { name: 'Tax 2025' })
      .click();
    await phone.page.getByRole('table', { name: 'Folders and files in Tax 2025' }).waitFor();
    await phone.page.screenshot({ path: `${RESULTS_DIR}/files-folder-390.png`, fullPage: true });
    await phone.page.goto(olderUrl);
    await phone.page.getByRole('heading', { name: 'Return 2025.pdf (version 2)', level: 2 }).waitFor();
    await phone.page.screenshot({ path: `${RESULTS_DIR}/files-version-390.png`, fullPage: true });

    await page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: 'Tax 2025' }).click();
    await page.getByRole('link', { name: 'Receipts.csv' }).click();
    await page.getByLabel('Yes, delete this file and all its versions').check();
    await page.getByRole('button', { name: 'Delete file' }).click();
    await page.getByRole('status').getByText('“Receipts.csv” was deleted.').waitFor();
    expect((await bodyRows(table)).map((row) => row[0])).toEqual(['Return 2025.pdf']);
  });

  it('staff share one file with a contact, who finds only it in the portal, downloads it and sends one back', async () => {
    const { page } = e2e;
    await clientWithFolder(page, 'Lighthouse Bakery', 'Tax 2025', [
      { name: 'Return 2025.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\nfirst') },
      { name: 'Workings.csv', mimeType: 'text/csv', buffer: Buffer.from('date,amount\n2025-07-01,12.50\n') },
    ]);
    const folderPage = page.url();
    await collaborator(
      page,
      { firstName: 'Grace', lastName: 'Hopper', email: 'grace@lighthouse.example' },
      'Lighthouse Bakery',
    );

    await page.goto(folderPage);
    await page.getByRole('link', { name: 'Return 2025.pdf' }).click();
    await page.getByLabel('Share with').selectOption({ label: 'Grace Hopper (grace@lighthouse.example)' });
    await page.getByLabel('As', { exact: true }).selectOption({ label: 'Contact - Viewer' });
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page
      .getByRole('status')
      .getByText('“Return 2025.pdf” is shared with Grace Hopper as Contact - Viewer.')
      .waitFor();
    // Why she can see it: her role on the file, and the client role that lets her in.
    await page.getByLabel('Email address to explain').fill('grace@lighthouse.example');
    await page.getByRole('button', { name: 'Explain' }).click();
    const why = page.getByRole('table', { name: 'Why Grace Hopper can see this file' });
    expect(await bodyRows(why)).toEqual([['Contact - Viewer', 'This file', 'Given to them']]);
    const admitted = page.getByRole('table', {
      name: 'And the role that lets Grace Hopper into the client in the portal',
    });
    expect(await bodyRows(admitted)).toEqual([
      ['Contact - Entity Collaborator', 'Lighthouse Bakery', 'Given to them'],
    ]);
    await page.screenshot({ path: `${RESULTS_DIR}/files-why-1280.png`, fullPage: true });
    // A staff address nobody has is refused beside the field, keeping what was typed.
    await page.getByLabel('Give a staff member access: their email address').fill('nobody@firm.example');
    expect((await submit(page, page.getByRole('button', { name: 'Give access' }))).status()).toBe(422);
    await expectFieldError(
      page.getByLabel('Give a staff member access: their email address'),
      'No staff member has this email address.',
    );

    const grace = await e2e.openBrowser();
    await grace.page.goto(await printedLink(e2e.server, 'grace@lighthouse.example', 'Return 2025.pdf'));
    await grace.page.getByRole('button', { name: 'Sign in' }).click();
    await grace.page.getByRole('heading', { name: 'Welcome, Grace Hopper', level: 1 }).waitFor();
    const files = grace.page.getByRole('table', { name: 'Files shared with you' });
    expect((await bodyRows(files)).map((row) => row[0])).toEqual(['Return 2025.pdf']);
    const [download] = await Promise.all([
      grace.page.waitForEvent('download'),
      files.getByRole('link', { name: 'Return 2025.pdf' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Return 2025.pdf');
    expect(fs.readFileSync(await download.path(), 'utf8')).toBe('%PDF-1.4\nfirst');
    await grace.page.screenshot({ path: `${RESULTS_DIR}/files-portal-1280.png`, fullPage: true });
    const phone = await e2e.openBrowser({ ...PHONE, viewport: { width: 390, height: 844 } });
    await phone.context.addCookies(await grace.context.cookies());
    await phone.page.goto(e2e.url('/portal'));
    await phone.page.getByRole('table', { name: 'Files shared with you' }).waitFor();
    await phone.page.screenshot({ path: `${RESULTS_DIR}/files-portal-390.png`, fullPage: true });

    // She sends a file back; it lands in "From clients", where staff find it under her name.
    await grace.page.getByLabel('Send files to the firm').setInputFiles({
      name: 'Signed engagement letter.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\nsigned'),
    });
    await grace.page.getByRole('button', { name: 'Upload', exact: true }).click();
    await grace.page.getByRole('status').getByText('Uploaded: Signed engagement letter.pdf.').waitFor();
    expect((await bodyRows(files)).map((row) => row[0]).sort()).toEqual([
      'Return 2025.pdf',
      'Signed engagement letter.pdf',
    ]);

    // Her Files page: the way down to what is hers, folder by folder. In Tax 2025 she sees only
    // the return shared with her, sends a statement there, renames it, and deletes it (she owns it).
    await grace.page.getByRole('link', { name: 'All files and folders' }).click();
    const top = grace.page.getByRole('table', { name: 'Folders and files in Files' });
    expect((await bodyRows(top)).map((row) => row[0]?.replace(/\s+/g, ' '))).toEqual([
      '📁 From clients (folder)',
      '📁 Tax 2025 (folder)',
    ]);
    await top.getByRole('link', { name: 'Tax 2025 (folder)' }).click();
    const tax = grace.page.getByRole('table', { name: 'Folders and files in Tax 2025' });
    expect((await bodyRows(tax)).map((row) => row[0])).toEqual(['Return 2025.pdf']);
    await grace.page.getByText('They go into this folder, “Tax 2025”.').waitFor();
    await grace.page.getByLabel('Send files to the firm').setInputFiles({
      name: 'Bank statement.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\nstatement'),
    });
    await grace.page.getByRole('button', { name: 'Upload', exact: true }).click();
    await grace.page.getByRole('status').getByText('Uploaded: Bank statement.pdf.').waitFor();
    expect((await bodyRows(tax)).map((row) => row[0])).toEqual(['Bank statement.pdf', 'Return 2025.pdf']);
    // Sent again, corrected, as a new version of the one she sent: still one file.
    await grace.page
      .getByRole('radio', { name: 'Add it as a new version of that file, if you may change it' })
      .check();
    await grace.page.getByLabel('Send files to the firm').setInputFiles({
      name: 'Bank statement.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\nstatement, corrected'),
    });
    await grace.page.getByRole('button', { name: 'Upload', exact: true }).click();
    await grace.page.getByRole('status').getByText('Uploaded: Bank statement.pdf (version 2).').waitFor();
    expect((await bodyRows(tax)).map((row) => row[0])).toEqual(['Bank statement.pdf', 'Return 2025.pdf']);
    // The folder as one zip: what of it is hers, and nothing else of it.
    const [zip] = await Promise.all([
      grace.page.waitForEvent('download'),
      grace.page.getByRole('link', { name: 'Download this folder as a zip' }).click(),
    ]);
    expect(zip.suggestedFilename()).toBe('Tax 2025.zip');
    expect(Object.keys(await unzip(fs.readFileSync(await zip.path()))).sort()).toEqual([
      'Bank statement.pdf',
      'Return 2025.pdf',
    ]);
    await grace.page.screenshot({ path: `${RESULTS_DIR}/files-portal-folder-1280.png`, fullPage: true });
    await phone.page.goto(grace.page.url());
    await phone.page.getByRole('table', { name: 'Folders and files in Tax 2025' }).waitFor();
    await phone.page.screenshot({ path: `${RESULTS_DIR}/files-portal-folder-390.png`, fullPage: true });

    await tax.getByRole('link', { name: 'Bank statement.pdf', exact: true }).click();
    await grace.page.getByRole('heading', { name: 'Bank statement.pdf', level: 1 }).waitFor();
    await grace.page.getByLabel('File name').fill('Return 2025.PDF');
    expect((await submit(grace.page, grace.page.getByRole('button', { name: 'Rename' }))).status()).toBe(422);
    await expectFieldError(
      grace.page.getByLabel('File name'),
      'A file named “Return 2025.PDF” is already there.',
    );
    expect(await grace.page.getByLabel('File name').inputValue()).toBe('Return 2025.PDF');
    await grace.page.getByLabel('File name').fill('Bank statement June.pdf');
    await grace.page.getByRole('button', { name: 'Rename' }).click();
    await grace.page.getByRole('heading', { name: 'Bank statement June.pdf', level: 1 }).waitFor();
    await grace.page.screenshot({ path: `${RESULTS_DIR}/files-portal-file-1280.png`, fullPage: true });
    await phone.page.goto(grace.page.url());
    await phone.page.getByRole('heading', { name: 'Bank statement June.pdf', level: 1 }).waitFor();
    await phone.page.screenshot({ path: `${RESULTS_DIR}/files-portal-file-390.png`, fullPage: true });
    await grace.page.getByLabel('Yes, delete this file').check();
    await grace.page.getByRole('button', { name: 'Delete file' }).click();
    await grace.page.getByRole('status').getByText('“Bank statement June.pdf” was deleted.').waitFor();
    expect((await bodyRows(tax)).map((row) => row[0])).toEqual(['Return 2025.pdf']);
    // The shared return is hers to read only: no rename, no delete.
    await tax.getByRole('link', { name: 'Return 2025.pdf', exact: true }).click();
    await grace.page.getByRole('heading', { name: 'Return 2025.pdf', level: 1 }).waitFor();
    expect(await grace.page.getByLabel('File name').count()).toBe(0);
    expect(await grace.page.getByRole('button', { name: 'Delete file' }).count()).toBe(0);

    await page.goto(e2e.url('/entities'));
    await page.getByRole('link', { name: 'Lighthouse Bakery' }).click();
    await page
      .getByRole('navigation', { name: 'Client sections' })
      .getByRole('link', { name: 'Files' })
      .click();
    await page.getByRole('link', { name: 'From clients (folder)' }).click();
    const fromClients = page.getByRole('table', { name: 'Folders and files in From clients' });
    const [row] = await bodyRows(fromClients);
    expect(row?.[0]).toBe('Signed engagement letter.pdf');
    expect(row?.[2]).toContain('by Grace Hopper');
  });

  it('files dragged onto the upload form and dropped go up as if chosen, each with its own progress bar; a folder moves into another', async () => {
    const { page } = e2e;
    await addClient(page, 'Quayside Joinery');
    await page
      .getByRole('navigation', { name: 'Client sections' })
      .getByRole('link', { name: 'Files' })
      .click();
    await expect
      .poll(() => page.getByText('You can choose several. Or drag them here and drop them.').count())
      .toBe(1);
    // The chunks wait until both bars have been seen, so the page cannot move on before.
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/uploads/*', async (route) => {
      if (route.request().method() === 'PATCH') await held;
      await route.continue();
    });
    // Made in the page, where DataTransfer and File exist, as a desktop's drag would carry them.
    const dropped = await page.evaluateHandle(`(() => {
      const data = new DataTransfer();
      data.items.add(new File(['date,amount\\n2025-07-01,12.50\\n'], 'Dropped.csv', { type: 'text/csv' }));
      data.items.add(new File(['Bring the van on Monday.\\n'], 'Notes.txt', { type: 'text/plain' }));
      return data;
    })()`);
    const form = page.locator('form.upload-form');
    await form.dispatchEvent('dragover', { dataTransfer: dropped });
    await expect.poll(() => form.getAttribute('class')).toContain('dropping');
    await page.screenshot({ path: `${RESULTS_DIR}/files-dropping-1280.png`, fullPage: true });
    await form.dispatchEvent('drop', { dataTransfer: dropped });
    await page.getByRole('progressbar', { name: 'Upload of Dropped.csv' }).waitFor();
    await page.getByRole('progressbar', { name: 'Upload of Notes.txt' }).waitFor();
    release();
    await page.getByRole('status').getByText('Uploaded: Dropped.csv, Notes.txt.').waitFor();
    await page.unroute('**/uploads/*');
    const table = page.getByRole('table', { name: 'Folders and files in Files' });
    expect((await bodyRows(table)).map((row) => row[0])).toEqual(['Dropped.csv', 'Notes.txt']);

    // A folder moves into another, with what is in it.
    for (const name of ['Drawings', 'Archive']) {
      await page.getByLabel('New folder').fill(name);
      await page.getByRole('button', { name: 'Create folder' }).click();
      await page.getByRole('heading', { name, level: 2 }).waitFor();
      await page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: 'Files' }).click();
    }
    await page.getByRole('link', { name: 'Drawings (folder)' }).click();
    await page.getByText('Rename, move or delete this folder').click();
    await page.getByLabel('Move this folder into').selectOption({ label: 'Archive' });
    await page.screenshot({ path: `${RESULTS_DIR}/files-folder-move-1280.png`, fullPage: true });
    const wide = page.viewportSize();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ path: `${RESULTS_DIR}/files-folder-move-390.png`, fullPage: true });
    if (wide) await page.setViewportSize(wide);
    await page.getByRole('button', { name: 'Move folder' }).click();
    await page.getByRole('status').getByText('The folder was moved to “Archive”.').waitFor();
    await page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: 'Archive' }).click();
    const archive = page.getByRole('table', { name: 'Folders and files in Archive' });
    expect((await bodyRows(archive)).map((row) => row[0]?.replace(/\s+/g, ' ').trim())).toEqual([
      '📁 Drawings (folder)',
    ]);
  });

  it('a chunk the server has no room for is said on its file’s line at once, and not sent again by itself', async () => {
    const { page } = e2e;
    await clientWithFolder(page, 'Millpond Farm', 'Receipts');
    // The server's own answer to a chunk that finds its disk full (the integration tests fill one).
    let chunks = 0;
    await page.route('**/uploads/*', async (route) => {
      if (route.request().method() !== 'PATCH') return route.continue();
      chunks++;
      await route.fulfill({
        status: NO_ROOM.status_code,
        contentType: 'text/plain; charset=utf-8',
        headers: { 'Tus-Resumable': '1.0.0' },
        body: NO_ROOM.body,
      });
    });
    await page.getByLabel('Files to upload').setInputFiles({
      name: 'Ledger.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('date,amount\n2025-07-01,12.50\n'),
    });
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByText(NO_ROOM.body.trim()).waitFor({ timeout: 5000 });
    await page.screenshot({ path: `${RESULTS_DIR}/files-no-room-1280.png`, fullPage: true });
    expect(chunks).toBe(1);
    await page.unroute('**/uploads/*');
  });

  it('an upload cut off midway shows its progress, and after a reload continues from where it stopped', async () => {
    const { page } = e2e;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-e2e-upload-'));
    const file = path.join(dir, 'Scanned ledger.pdf');
    const content = Buffer.alloc(5 * 1000 * 1000 + 1234, 7);
    Buffer.from('%PDF-1.4\n').copy(content);
    fs.writeFileSync(file, content);

    await clientWithFolder(page, 'Saltmarsh Dairy', 'Tax 2025');
    const folderPage = page.url();
    await collaborator(
      page,
      { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@saltmarsh.example' },
      'Saltmarsh Dairy',
    );
    await page.goto(folderPage);
    // Two chunks arrive; the third's connection is cut, and the person reloads the page.
    let chunks = 0;
    await page.route('**/uploads/*', async (route) => {
      if (route.request().method() !== 'PATCH') return route.continue();
      chunks++;
      if (chunks <= 2) return route.continue();
      return route.abort('connectionreset');
    });
    await page.getByLabel('Files to upload').setInputFiles(file);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    const bar = page.getByRole('progressbar', { name: 'Upload of Scanned ledger.pdf' });
    await bar.waitFor();
    await expect.poll(() => chunks, { timeout: 15_000 }).toBeGreaterThan(2);
    expect(Number(await bar.getAttribute('value'))).toBeGreaterThanOrEqual(2 * 1000 * 1000);
    await page.screenshot({ path: `${RESULTS_DIR}/files-progress-1280.png`, fullPage: true });
    await page.unroute('**/uploads/*');
    await page.reload();
    await page
      .getByText('Not finished: Scanned ledger.pdf. Choose the same file again to continue where it stopped.')
      .waitFor();
    await page.screenshot({ path: `${RESULTS_DIR}/files-resume-1280.png`, fullPage: true });

    // Chosen again, it goes on from what the server kept: its first chunk starts past the start.
    const offsets: number[] = [];
    page.on('request', (request) => {
      if (request.method() === 'PATCH') offsets.push(Number(request.headers()['upload-offset']));
    });
    await page.getByLabel('Files to upload').setInputFiles(file);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('status').getByText('Uploaded: Scanned ledger.pdf.').waitFor();
    expect(offsets[0]).toBeGreaterThanOrEqual(2 * 1000 * 1000);
    expect(offsets.length).toBeLessThanOrEqual(4);

    await page.getByRole('link', { name: 'Scanned ledger.pdf' }).click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download', exact: true }).click(),
    ]);
    const sha = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
    expect(sha(fs.readFileSync(await download.path()))).toBe(sha(content));

    // Without JavaScript the same form posts the file in one plain request.
    const plain = await e2e.openBrowser({ javaScriptEnabled: false });
    await plain.context.addCookies(await e2e.browser.context.cookies());
    await plain.page.goto(page.url());
    await plain.page
      .getByRole('navigation', { name: 'Folders' })
      .getByRole('link', { name: 'Tax 2025' })
      .click();
    await plain.page.getByLabel('Files to upload').setInputFiles({
      name: 'Note.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('sent without script'),
    });
    await plain.page.getByRole('button', { name: 'Upload', exact: true }).click();
    await plain.page.getByRole('status').getByText('Uploaded: Note.txt.').waitFor();
    fs.rmSync(dir, { recursive: true, force: true });

    // The whole folder shared with Grace: from the folder's own page.
    await page.getByRole('navigation', { name: 'Folders' }).getByRole('link', { name: 'Tax 2025' }).click();
    await page.getByText('Who has this folder, and sharing it').click();
    await page
      .getByLabel('Share this folder with')
      .selectOption({ label: 'Ada Lovelace (ada@saltmarsh.example)' });
    await page.getByLabel('As', { exact: true }).selectOption({ label: 'Contact - Viewer' });
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page
      .getByRole('status')
      .getByText('The folder “Tax 2025” is shared with Ada Lovelace as Contact - Viewer.')
      .waitFor();
    await page.getByText('Who has this folder, and sharing it').click();
    await page.getByRole('button', { name: 'Stop sharing with Ada Lovelace' }).waitFor();
    await page.screenshot({ path: `${RESULTS_DIR}/files-folder-share-1280.png`, fullPage: true });
  });
});
