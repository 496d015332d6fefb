/**
 * A PDF's preview in a real browser: staff upload a twelve-page PDF; its file page loads the first
 * ten pages in place (drawn on the server, shown as our images, lazily), says the other two are
 * left out, and offers the download; the pages page fits a phone's width. Photographed at 1280
 * and 390 px.
 */
import type { Locator } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { pdfOf } from '../helpers/pdf.js';
import { addClient, type BrowserWindow, completeSetup, RESULTS_DIR, useE2E } from './harness.js';

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

const NAME = 'Annual accounts 2025.pdf';
const accounts = pdfOf(
  Array.from({ length: 12 }, (_, i) => ({ text: i === 0 ? 'Annual accounts 2025' : `Page ${i + 1}` })),
);

describe('PDF previews', () => {
  it('staff open a PDF and see its first pages, drawn on the server, one below the other', async () => {
    const { page } = e2e;
    await addClient(page, 'Harbour Bakery');
    await page
      .getByRole('navigation', { name: 'Client sections' })
      .getByRole('link', { name: 'Files' })
      .click();
    await page
      .getByLabel('Files to upload')
      .setInputFiles([{ name: NAME, mimeType: 'application/pdf', buffer: accounts }]);
    await page.getByRole('button', { name: 'Upload', exact: true }).click();
    await page.getByRole('status').getByText(`Uploaded: ${NAME}.`).waitFor();
    const table = page.getByRole('table', { name: 'Folders and files in Files' });
    expect((await loaded(table.getByRole('img', { name: `Thumbnail of ${NAME}` }))).natural).toBe(113);

    await table.getByRole('link', { name: NAME }).click();
    // The file page loads the pages in place once they are drawn.
    const first = page.getByRole('img', { name: `Page 1 of ${NAME}` });
    await first.waitFor();
    expect((await loaded(first)).natural).toBe(1131);
    const pages = page.getByRole('region', { name: `Pages of ${NAME}` }).getByRole('img');
    expect(await pages.count()).toBe(10);
    for (const img of await pages.all()) expect(await img.getAttribute('loading')).toBe('lazy');
    await page.getByText('Only the first 10 of its 12 pages are shown here').waitFor();
    expect(await page.getByRole('link', { name: 'Download', exact: true }).getAttribute('href')).toMatch(
      /^\/files\/[^/]+\/download$/,
    );
    await page.screenshot({ path: `${RESULTS_DIR}/files-pdf-file-1280.png`, fullPage: true });

    // The pages page, as a contact's thumbnail opens it, on a wide screen and a phone.
    const fileUrl = page.url();
    const pagesUrl = fileUrl.replace(/\/files\/([^/?#]+).*$/, '/files/$1/pages');
    await page.goto(pagesUrl);
    expect((await loaded(page.getByRole('img', { name: `Page 1 of ${NAME}` }))).natural).toBe(1131);
    await page.screenshot({ path: `${RESULTS_DIR}/files-pdf-pages-1280.png` });
    const phone = await e2e.openBrowser({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    });
    await phone.context.addCookies(await e2e.browser.context.cookies());
    await phone.page.goto(pagesUrl);
    const small = await loaded(phone.page.getByRole('img', { name: `Page 1 of ${NAME}` }));
    // Fitted to the phone's width, at the page's own proportions, and nothing wider than the screen.
    expect(small.natural).toBe(1131);
    expect(small.box[0]).toBeLessThanOrEqual(390);
    expect(Math.abs(small.box[1]! - (small.box[0]! * 1600) / 1131)).toBeLessThan(2);
    const wide = await phone.page.evaluate(() => {
      const w = globalThis as unknown as BrowserWindow;
      return w.document.documentElement.scrollWidth;
    });
    expect(wide).toBeLessThanOrEqual(390);
    await phone.page.screenshot({ path: `${RESULTS_DIR}/files-pdf-pages-390.png` });
    await phone.page.goto(fileUrl);
    await phone.page.getByRole('img', { name: `Page 1 of ${NAME}` }).waitFor();
    await phone.page.screenshot({ path: `${RESULTS_DIR}/files-pdf-file-390.png`, fullPage: true });
  });
});
