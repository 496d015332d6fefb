/**
 * Thumbnails and previews in a real browser, with no script: staff upload a photo and a PDF; the
 * listing shows both thumbnails (loaded, at their fixed size; the PDF's is its first page, its
 * pages are test/e2e/files-pdf-preview.test.ts's); the file page shows the preview. Shared with a contact, the photo's thumbnail in her portal opens
 * its preview. Photographed at 1280 and 390 px.
 */
import type { Locator } from 'playwright-core';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfOf } from '../helpers/pdf.js';
import {
  addClient,
  addContact,
  assignToClient,
  completeSetup,
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

/** What the page's script sees of an img element (no DOM types in this project). */
type Img = { decode(): Promise<void>; naturalWidth: number; clientWidth: number; clientHeight: number };

/** The image's decoded width and its box: 0 for an image that did not load. */
const loaded = (img: Locator) =>
  img.evaluate((node) => {
    const el = node as unknown as Img;
    return el.decode().then(
      () => ({ natural: el.naturalWidth, box: [el.clientWidth, el.clientHeight] }),
      () => ({ natural: 0, box: [el.clientWidth, el.clientHeight] }),
    );
  });

describe('file previews', () => {
  it('the listing shows a photo’s thumbnail and a PDF’s first page; the file page its preview; the contact opens it from the portal', async () => {
    const { page } = e2e;
    await addClient(page, 'Harbour Bakery');
    await page
      .getByRole('navigation', { name: 'Client sections' })
      .getByRole('link', { name: 'Files' })
      .click();
    const photo = await sharp({ create: { width: 1200, height: 800, channels: 3, background: '#c9733a' } })
      .composite([
        {
          input: await sharp({ create: { width: 500, height: 300, channels: 3, background: '#2f5d8a' } })
            .png()
            .toBuffer(),
          left: 100,
          top: 150,
        },
      ])
      .jpeg()
      .toBuffer();
    await page.getByLabel('Files to upload').setInputFiles([
      { name: 'Shopfront.jpg', mimeType: 'image/jpeg', buffer: photo },
      { name: 'Return 2025.pdf', mimeType: 'application/pdf', buffer: pdfOf([{ text: 'Return 2025' }]) },
    ]);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('status').getByText('Uploaded: Shopfront.jpg, Return 2025.pdf.').waitFor();
    const table = page.getByRole('table', { name: 'Folders and files in Files' });
    const thumb = table.getByRole('img', { name: 'Thumbnail of Shopfront.jpg' });
    expect(await thumb.getAttribute('loading')).toBe('lazy');
    const shown = await loaded(thumb);
    expect(shown.natural).toBe(160);
    expect(shown.box).toEqual([48, 48]);
    // The PDF's thumbnail is its first page, an A4 fitted in the same box.
    const pdfThumb = table.getByRole('img', { name: 'Thumbnail of Return 2025.pdf' });
    expect(await loaded(pdfThumb)).toEqual({ natural: 113, box: [48, 48] });
    expect(await table.getByRole('img').count()).toBe(2);
    await page.screenshot({ path: `${RESULTS_DIR}/files-preview-list-1280.png`, fullPage: true });

    await table.getByRole('link', { name: 'Shopfront.jpg' }).click();
    const preview = page.getByRole('img', { name: 'Preview of Shopfront.jpg' });
    expect((await loaded(preview)).natural).toBe(1200);
    await page.screenshot({ path: `${RESULTS_DIR}/files-preview-file-1280.png`, fullPage: true });
    const phone = await e2e.openBrowser({ ...PHONE, viewport: { width: 390, height: 844 } });
    await phone.context.addCookies(await e2e.browser.context.cookies());
    await phone.page.goto(page.url());
    const small = await loaded(phone.page.getByRole('img', { name: 'Preview of Shopfront.jpg' }));
    expect(small.natural).toBe(1200);
    // Fitted to the phone's width, at the photo's proportions.
    expect(small.box[0]).toBeLessThanOrEqual(390);
    expect(Math.abs(small.box[1]! - (small.box[0]! * 2) / 3)).toBeLessThan(2);
    await phone.page.screenshot({ path: `${RESULTS_DIR}/files-preview-file-390.png`, fullPage: true });
    await phone.page
      .getByRole('navigation', { name: 'Folders' })
      .getByRole('link', { name: 'Files' })
      .click();
    const phoneThumb = phone.page.getByRole('img', { name: 'Thumbnail of Shopfront.jpg' });
    expect((await loaded(phoneThumb)).box).toEqual([48, 48]);
    await phone.page.screenshot({ path: `${RESULTS_DIR}/files-preview-list-390.png`, fullPage: true });

    await addContact(
      page,
      { firstName: 'Grace', lastName: 'Hopper', email: 'grace@harbour.example' },
      'Harbour Bakery',
    );
    await submit(page, page.getByRole('button', { name: 'Turn on Client portal and email an invitation' }));
    await assignToClient(page, 'Grace Hopper', 'harbour', 'Harbour Bakery', 'Contact - Entity Access');
    await page.goto(e2e.url('/entities'));
    await page.getByRole('link', { name: 'Harbour Bakery' }).click();
    await page
      .getByRole('navigation', { name: 'Client sections' })
      .getByRole('link', { name: 'Files' })
      .click();
    await page.getByRole('link', { name: 'Shopfront.jpg' }).click();
    await page.getByLabel('Share with').selectOption({ label: 'Grace Hopper (grace@harbour.example)' });
    await page.getByLabel('As', { exact: true }).selectOption({ label: 'Contact - Viewer' });
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByRole('status').getByText('“Shopfront.jpg” is shared with Grace Hopper').waitFor();

    const grace = await e2e.openBrowser();
    await grace.page.goto(await printedLink(e2e.server, 'grace@harbour.example', 'Shopfront.jpg'));
    await grace.page.getByRole('button', { name: 'Sign in' }).click();
    const files = grace.page.getByRole('table', { name: 'Files shared with you' });
    const hers = files.getByRole('img', { name: 'Thumbnail of Shopfront.jpg' });
    expect((await loaded(hers)).natural).toBe(160);
    await grace.page.screenshot({ path: `${RESULTS_DIR}/files-preview-portal-1280.png`, fullPage: true });
    const gracePhone = await e2e.openBrowser({ ...PHONE, viewport: { width: 390, height: 844 } });
    await gracePhone.context.addCookies(await grace.context.cookies());
    await gracePhone.page.goto(e2e.url('/portal'));
    await gracePhone.page.getByRole('table', { name: 'Files shared with you' }).waitFor();
    expect(
      (await loaded(gracePhone.page.getByRole('img', { name: 'Thumbnail of Shopfront.jpg' }))).natural,
    ).toBe(160);
    await gracePhone.page.screenshot({ path: `${RESULTS_DIR}/files-preview-portal-390.png`, fullPage: true });

    // The thumbnail opens the preview: our WebP, shown by the browser itself.
    const [opened] = await Promise.all([
      grace.page.waitForResponse((res) => res.url().endsWith('/preview')),
      files.getByRole('link', { name: 'Thumbnail of Shopfront.jpg' }).click(),
    ]);
    expect([opened.status(), opened.headers()['content-type']]).toEqual([200, 'image/webp']);
    const full = await grace.page.locator('img').evaluate((el) => (el as unknown as Img).naturalWidth);
    expect(full).toBe(1200);
  });
});
