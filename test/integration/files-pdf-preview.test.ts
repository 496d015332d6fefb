/**
 * A PDF's preview: its first pages drawn on the server (PDFium, in a thread of its own) as WebP
 * images of our making, one below the other, and its first page as its thumbnail. A black page is
 * black, a white one white, and unpainted paper white; past ten pages the page says only the first ten are shown; a
 * damaged PDF, one declaring an absurd page size and one that takes too long get no pages (and
 * no 500), and are not tried again; a PDF still being checked for viruses is not drawn; the pages
 * answer whoever may not read the file exactly as a missing file does.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pagesOf } from '../../src/files/pdf-pages.js';
import { pdfLine } from '../../src/files/pdf-render.js';
import { PREVIEW_MAX_BYTES } from '../../src/files/preview.js';
import { contentOf } from '../../src/files/previews.js';
import { BLOB_GRACE_MS, sweepBlobs } from '../../src/files/sweep.js';
import { addBinding } from '../../src/permissions/queries.js';
import { DiskBlobStore } from '../../src/storage/disk.js';
import { type Client, comparable } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { bindAtEntity, buildContact, buildEntity, buildStaff, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { type PdfPage, pdfOf } from '../helpers/pdf.js';

function upload(files: { name: string; content: string | Uint8Array }[]): FormData {
  const form = new FormData();
  for (const f of files) form.append('files', new File([f.content], f.name));
  return form;
}

const pages = (n: number): PdfPage[] => Array.from({ length: n }, (_, i) => ({ text: `Page ${i + 1}` }));

/** The image's size, format and mean brightness (0 black, 255 white). */
async function picture(res: Response) {
  const bytes = Buffer.from(await res.arrayBuffer());
  const meta = await sharp(bytes).metadata();
  const stats = await sharp(bytes).stats();
  const mean = stats.channels.slice(0, 3).reduce((sum, c) => sum + c.mean, 0) / 3;
  return { format: meta.format, width: meta.width, height: meta.height, mean: Math.round(mean) };
}

describe.each(DIALECTS)('PDF previews (%s)', (dialect) => {
  let dataDir: string;
  const firm = useFirm(dialect, {
    config: () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-pdf-'));
      return { dataDir, files: { maxBytes: 4 * 1024 * 1024, blockedExtensions: [] } };
    },
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  let clearwater: string;
  let admin: Client;

  beforeEach(async () => {
    clearwater = await buildEntity(firm.db, 'Clearwater Holdings');
    admin = await signedIn(firm.app, firm.db, firm.admin);
  });

  async function uploaded(name: string, content: string | Uint8Array, entity = clearwater) {
    const res = await admin.post(`/entities/${entity}/files`, upload([{ name, content }]));
    expect(res.status).toBe(303);
    return firm.db.selectFrom('files').selectAll().where('name', '=', name).executeTakeFirstOrThrow();
  }
  /** What a file's thumbnail answers: its own image (WebP), or its type's icon (SVG) when none can be made. */
  const thumbnailType = async (id: string) => {
    const res = await admin.get(`/files/${id}/thumbnail`);
    expect(res.status).toBe(200);
    return res.headers.get('Content-Type');
  };
  const pageRows = () =>
    firm.db
      .selectFrom('file_previews')
      .select(['kind', 'sha256', 'width', 'height', 'pages'])
      .where('kind', 'like', 'page-%')
      .execute()
      .then((rows) => rows.sort((a, b) => Number(a.kind.slice(5)) - Number(b.kind.slice(5))));

  it('a PDF’s pages are drawn as WebP images, black page black and white page white, served as our own image', async () => {
    const file = await uploaded(
      'Return 2025.pdf',
      pdfOf([{ grey: 0 }, { grey: 1 }, { width: 842, height: 595, grey: 0.5 }]),
    );
    const shown = await admin.get(`/files/${file.id}/pages`);
    expect(shown.status).toBe(200);
    const html = await shown.text();
    for (const [n, width, height] of [
      [1, 1131, 1600],
      [2, 1131, 1600],
      [3, 1600, 1131],
    ])
      expect(html).toContain(
        `<img src="/files/${file.id}/pages/${n}" alt="Page ${n} of Return 2025.pdf" width="${width}" height="${height}" loading="lazy" decoding="async"/>`,
      );
    expect(html).not.toContain('Only the first');
    expect(html).toContain(`href="/files/${file.id}/download"`);

    const first = await admin.get(`/files/${file.id}/pages/1`);
    expect(first.status).toBe(200);
    expect(first.headers.get('Content-Type')).toBe('image/webp');
    expect(first.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(first.headers.get('Content-Security-Policy')).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    );
    expect(first.headers.get('Cache-Control')).toBe('private, no-cache');
    expect(await picture(first)).toEqual({ format: 'webp', width: 1131, height: 1600, mean: 0 });
    expect(await picture(await admin.get(`/files/${file.id}/pages/2`))).toEqual({
      format: 'webp',
      width: 1131,
      height: 1600,
      mean: 255,
    });
    const grey = await picture(await admin.get(`/files/${file.id}/pages/3`));
    expect([grey.width, grey.height, Math.abs(grey.mean - 128) < 4]).toEqual([1600, 1131, true]);
    expect((await admin.get(`/files/${file.id}/pages/4`)).status).toBe(404);

    const rows = await pageRows();
    expect(rows.map((r) => [r.kind, r.width, r.height, r.pages])).toEqual([
      ['page-1', 1131, 1600, 3],
      ['page-2', 1131, 1600, 3],
      ['page-3', 1600, 1131, 3],
    ]);
    expect(first.headers.get('ETag')).toBe(`"${rows[0]!.sha256}"`);
    const again = await admin.request(`/files/${file.id}/pages/1`, {
      headers: { 'If-None-Match': `"${rows[0]!.sha256}"` },
    });
    expect(again.status).toBe(304);
    // The file page shows the kept pages in place of an image's preview.
    const filePage = await (await admin.get(`/files/${file.id}`)).text();
    expect(filePage).toContain(`<img src="/files/${file.id}/pages/1" alt="Page 1 of Return 2025.pdf"`);
    expect(filePage).not.toContain('hx-trigger="load"');
  });

  it('a page that leaves its paper unpainted, as most do, is drawn on white with its words in black', async () => {
    const file = await uploaded('Letter.pdf', pdfOf([{ grey: null, text: 'Dear client' }]));
    const res = await admin.get(`/files/${file.id}/pages/1`);
    const stats = await sharp(Buffer.from(await res.arrayBuffer())).stats();
    const [red] = stats.channels;
    expect([red!.mean > 250, red!.max, red!.min < 64]).toEqual([true, 255, true]);
  });

  it('a PDF’s thumbnail is its first page, and the listing shows it', async () => {
    const file = await uploaded('Minutes.pdf', pdfOf([{ grey: 0 }, { grey: 1 }]));
    const thumb = await admin.get(`/files/${file.id}/thumbnail`);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get('Content-Type')).toBe('image/webp');
    expect(await picture(thumb)).toEqual({ format: 'webp', width: 113, height: 160, mean: 0 });
    // A PDF has pages, not one preview image.
    expect((await admin.get(`/files/${file.id}/preview`)).status).toBe(404);
    const list = await (await admin.get(`/entities/${clearwater}/files`)).text();
    expect(list).toContain(`<img src="/files/${file.id}/thumbnail" alt="Thumbnail of Minutes.pdf"`);
  });

  it('the file page never waits for the drawing: it loads the pages in place, and the fragment is the pages alone', async () => {
    const file = await uploaded('Deed.pdf', pdfOf(pages(2)));
    const filePage = await (await admin.get(`/files/${file.id}`)).text();
    expect(filePage).toContain(`hx-get="/files/${file.id}/pages" hx-trigger="load" hx-swap="outerHTML"`);
    expect(filePage).toContain(`<a href="/files/${file.id}/pages">See its pages</a>`);
    expect(await pageRows()).toEqual([]);
    const fragment = await admin.request(`/files/${file.id}/pages`, { headers: { 'HX-Request': 'true' } });
    const html = await fragment.text();
    expect(html).toMatch(/^<section id="pdf-pages"/);
    expect(html).not.toContain('<html');
    expect(html).toContain('alt="Page 2 of Deed.pdf"');
  });

  it('only the first ten pages are drawn, and the preview says so', async () => {
    const file = await uploaded('Ledger.pdf', pdfOf(pages(12)));
    const html = await (await admin.get(`/files/${file.id}/pages`)).text();
    expect(html).toContain(
      'Only the first 10 of its 12 pages are shown here: download the file to read them all.',
    );
    expect(html).toContain('alt="Page 10 of Ledger.pdf"');
    expect(html).not.toContain('alt="Page 11');
    expect((await pageRows()).map((r) => [r.kind, r.pages])).toEqual(
      Array.from({ length: 10 }, (_, i) => [`page-${i + 1}`, 12]),
    );
    expect((await admin.get(`/files/${file.id}/pages/10`)).status).toBe(200);
    for (const asked of ['11', '0', '01', 'x', '1000', '-1'])
      expect([asked, (await admin.get(`/files/${file.id}/pages/${asked}`)).status]).toEqual([asked, 404]);
  });

  it('a damaged PDF gets no pages and no thumbnail, never a 500, and is not tried again', async () => {
    const file = await uploaded('Broken.pdf', '%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> garbage');
    const html = await (await admin.get(`/files/${file.id}/pages`)).text();
    expect(html).toContain('There is no preview of this PDF: download it to read it.');
    expect(html).not.toContain('<img');
    expect((await admin.get(`/files/${file.id}/pages/1`)).status).toBe(404);
    expect(await thumbnailType(file.id)).toBe('image/svg+xml');
    expect(await pageRows()).toEqual([
      { kind: 'page-1', sha256: null, width: null, height: null, pages: null },
    ]);
    // With the file's content gone, only the kept failure can still answer.
    await new DiskBlobStore(dataDir).delete(file.sha256);
    expect((await admin.get(`/files/${file.id}/pages`)).status).toBe(200);
    const filePage = await (await admin.get(`/files/${file.id}`)).text();
    expect(filePage).toContain('There is no preview of this PDF: download it to read it.');
    const list = await (await admin.get(`/entities/${clearwater}/files`)).text();
    expect(list).not.toContain(`/files/${file.id}/thumbnail`);
    expect(list).toContain('data-kind="PDF"');
  });

  it.each([
    ['one huge page', [{ width: 1_000_000, height: 1_000_000, grey: 0 }]],
    ['a huge second page', [{ grey: 0 }, { width: 595, height: 14_401 }]],
  ])('a PDF declaring a page larger than 200 inches (%s) is refused at once', async (_, declared) => {
    const file = await uploaded('Poster.pdf', pdfOf(declared));
    const started = Date.now();
    const html = await (await admin.get(`/files/${file.id}/pages`)).text();
    expect(Date.now() - started).toBeLessThan(3000);
    expect(html).toContain('There is no preview of this PDF');
    expect((await pageRows()).map((r) => [r.kind, r.sha256])).toEqual([['page-1', null]]);
    // Its thumbnail is the PDF icon when its first page is the huge one, else that page.
    expect(await thumbnailType(file.id)).toBe(declared.length === 1 ? 'image/svg+xml' : 'image/webp');
  });

  it('a PDF that takes longer than allowed is given up, and kept as having no pages', async () => {
    const file = await uploaded('Slow.pdf', pdfOf(pages(3)));
    const store = new DiskBlobStore(dataDir);
    const started = Date.now();
    expect(await pagesOf(firm.db, store, contentOf(file), { timeoutMs: 1 })).toBeNull();
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await pageRows()).map((r) => [r.kind, r.sha256])).toEqual([['page-1', null]]);
    expect((await admin.get(`/files/${file.id}/pages/1`)).status).toBe(404);
    // Given its time, the same file draws.
    await firm.db.deleteFrom('file_previews').execute();
    expect((await pagesOf(firm.db, store, contentOf(file)))?.pages).toHaveLength(3);
  });

  it('the sweep keeps the page images while their PDF has a version, and takes them with it', async () => {
    const file = await uploaded('Keep.pdf', pdfOf(pages(2)));
    await admin.get(`/files/${file.id}/pages`);
    const store = new DiskBlobStore(dataDir);
    const later = { now: Date.now() + BLOB_GRACE_MS + 60_000 };
    expect(await sweepBlobs(firm.db, store, later)).toEqual({ removed: 0, abandoned: 0 });
    expect((await admin.get(`/files/${file.id}/pages/2`)).status).toBe(200);
    await admin.post(`/files/${file.id}/delete`, { confirm: 'yes' });
    expect(await sweepBlobs(firm.db, store, later)).toEqual({ removed: 3, abandoned: 0 });
    expect(await pageRows()).toEqual([]);
  });

  it('a page whose image has gone from the store is drawn again', async () => {
    const file = await uploaded('Again.pdf', pdfOf([{ grey: 0 }]));
    await admin.get(`/files/${file.id}/pages`);
    const [row] = await pageRows();
    await new DiskBlobStore(dataDir).delete(row!.sha256!);
    const res = await admin.get(`/files/${file.id}/pages/1`);
    expect([res.status, (await picture(res)).mean]).toEqual([200, 0]);
  });

  it('an older version’s pages are its own (?version=N): the versions list offers them, and a version not there is 404', async () => {
    await uploaded('Return.pdf', pdfOf([{ grey: 0 }]));
    const file = await uploaded('Return.pdf', pdfOf([{ grey: 1 }, { grey: 1 }]));
    expect(file.version).toBe(2);
    const current = await (await admin.get(`/files/${file.id}/pages`)).text();
    expect(current).toContain('alt="Page 2 of Return.pdf"');
    expect(current).not.toContain('<span class="muted"> (version');
    const older = await (await admin.get(`/files/${file.id}/pages?version=1`)).text();
    expect(older).toContain('Return.pdf<span class="muted"> (version 1)</span>');
    expect(older).toContain(`<img src="/files/${file.id}/pages/1?version=1" alt="Page 1 of Return.pdf"`);
    expect(older).not.toContain('alt="Page 2 of Return.pdf"');
    expect(older).toContain(`href="/files/${file.id}/download?version=1"`);
    // Each version's page is drawn from its own content: version 1 black, version 2 white.
    expect((await picture(await admin.get(`/files/${file.id}/pages/1?version=1`))).mean).toBe(0);
    expect((await picture(await admin.get(`/files/${file.id}/pages/1`))).mean).toBe(255);
    expect((await admin.get(`/files/${file.id}/pages/2?version=1`)).status).toBe(404);
    // Naming the current version is the same as naming none.
    expect(await (await admin.get(`/files/${file.id}/pages?version=2`)).text()).not.toContain(
      '<span class="muted"> (version',
    );
    for (const asked of ['9', '0', 'x', '1.0', ''])
      for (const p of [
        `/files/${file.id}/pages?version=${asked}`,
        `/files/${file.id}/pages/1?version=${asked}`,
      ])
        expect([p, (await admin.get(p)).status]).toEqual([p, 404]);
    const filePage = await (await admin.get(`/files/${file.id}`)).text();
    expect(filePage).toContain(
      `<a href="/files/${file.id}/pages?version=1">View<span class="visually-hidden"> version 1</span></a>`,
    );
    expect(filePage).not.toContain(`/files/${file.id}/pages?version=2`);
  });

  it('while the line for drawing PDFs is full, its pages answer 503 with Retry-After and draw nothing; then they come', async () => {
    const file = await uploaded('Busy.pdf', pdfOf(pages(2)));
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    // One drawing, and 32 more waiting: the line is full.
    const held = Array.from({ length: 33 }, () => pdfLine(() => gate));
    const page = await admin.get(`/files/${file.id}/pages`);
    expect([page.status, page.headers.get('Retry-After')]).toEqual([503, '5']);
    const html = await page.text();
    expect(html).toContain(
      'The pages of this PDF cannot be drawn just now: the server is busy with other files.',
    );
    expect(html).toContain(`<a href="/files/${file.id}/pages">Try again</a>`);
    const image = await admin.get(`/files/${file.id}/pages/1`);
    expect([image.status, image.headers.get('Retry-After')]).toEqual([503, '5']);
    const fragment = await admin.request(`/files/${file.id}/pages`, { headers: { 'HX-Request': 'true' } });
    expect(fragment.status).toBe(503);
    expect(await fragment.text()).toMatch(/^<section id="pdf-pages"/);
    // Nothing is kept as "cannot be drawn": the file is tried again once the line moves.
    expect(await pageRows()).toEqual([]);
    open();
    await Promise.all(held);
    const later = await admin.get(`/files/${file.id}/pages`);
    expect(later.status).toBe(200);
    expect(await later.text()).toContain('alt="Page 2 of Busy.pdf"');
  });

  it('a PDF larger than 50 MB is not drawn: no pages, no thumbnail, and its page offers the download', async () => {
    const file = await uploaded('Archive.pdf', pdfOf(pages(1)));
    // Its size as the database knows it: the limit is judged before a byte is read.
    await firm.db
      .updateTable('files')
      .set({ size: PREVIEW_MAX_BYTES + 1 })
      .where('id', '=', file.id)
      .execute();
    for (const p of [`/files/${file.id}/pages`, `/files/${file.id}/pages/1`])
      expect([p, (await admin.get(p)).status]).toEqual([p, 404]);
    expect(await thumbnailType(file.id)).toBe('image/svg+xml');
    const filePage = await (await admin.get(`/files/${file.id}`)).text();
    expect(filePage).not.toContain(`/files/${file.id}/pages`);
    expect(filePage).toContain(`href="/files/${file.id}/download"`);
    expect(await firm.db.selectFrom('file_previews').selectAll().execute()).toEqual([]);
    // At exactly the limit it is drawn.
    await firm.db.updateTable('files').set({ size: PREVIEW_MAX_BYTES }).where('id', '=', file.id).execute();
    expect(await (await admin.get(`/files/${file.id}/pages`)).text()).toContain(
      'alt="Page 1 of Archive.pdf"',
    );
  });

  describe('who may see a PDF’s pages', () => {
    let file: string;
    let harbourFile: string;

    beforeEach(async () => {
      file = (await uploaded('Statement.pdf', pdfOf(pages(2)))).id;
      const harbour = await buildEntity(firm.db, 'Harbour Trust');
      harbourFile = (await uploaded('Trust deed.pdf', pdfOf(pages(1)), harbour)).id;
    });

    const paths = (id: string) => [`/files/${id}/pages`, `/files/${id}/pages/1`];

    it('staff with a role on one client get for another client’s PDF exactly what a missing file gets', async () => {
      const person = await buildStaff(firm.db);
      await bindAtEntity(firm.db, { userId: person.id }, 'viewer', clearwater);
      const client = await signedIn(firm.app, firm.db, person);
      for (const [own, other, missing] of [0, 1].map((i) => [
        paths(file)[i]!,
        paths(harbourFile)[i]!,
        paths('x'.repeat(21))[i]!,
      ])) {
        expect((await client.get(own!)).status).toBe(200);
        const refused = await client.get(other!);
        const absent = await client.get(missing!);
        expect([refused.status, comparable(await refused.text())]).toEqual([
          404,
          comparable(await absent.text()),
        ]);
      }
      // Refused before anything was drawn: only the readable file has pages.
      expect((await pageRows()).map((r) => r.kind)).toEqual(['page-1', 'page-2']);
    });

    it('a contact sees the pages of a PDF shared with them, not of one that is not, and the portal’s thumbnail opens them', async () => {
      const contact = await buildContact(firm.db, clearwater);
      await bindAtEntity(firm.db, { userId: contact.id }, 'contact_entity_access', clearwater);
      const asContact = await signedIn(firm.app, firm.db, contact);
      for (const p of paths(file)) expect([p, (await asContact.get(p)).status]).toEqual([p, 404]);
      await addBinding(firm.db, { userId: contact.id }, 'contact_viewer', { type: 'item', id: file }, null);
      const html = await (await asContact.get(`/files/${file}/pages`)).text();
      expect(html).toContain('alt="Page 2 of Statement.pdf"');
      expect(html).toContain(`<a href="/portal?entity=${clearwater}">Back to your files</a>`);
      expect((await asContact.get(`/files/${file}/pages/1`)).headers.get('Content-Type')).toBe('image/webp');
      const portal = await (await asContact.get(`/portal?entity=${clearwater}`)).text();
      expect(portal).toContain(
        `<a class="file-thumb" href="/files/${file}/pages"><img src="/files/${file}/thumbnail" alt="Thumbnail of Statement.pdf"`,
      );
    });
  });
});

describe.each(DIALECTS)('a PDF waiting for its virus check (%s)', (dialect) => {
  let dataDir: string;
  const firm = useFirm(dialect, {
    config: () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-pdf-'));
      // clamd is not there: every upload waits as pending.
      const clamd = { kind: 'unix' as const, path: path.join(dataDir, 'no-clamd.ctl') };
      return { dataDir, clamd, files: { maxBytes: 4 * 1024 * 1024, blockedExtensions: [] } };
    },
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('is not drawn: staff get no pages and no thumbnail, and its page offers none', async () => {
    const entity = await buildEntity(firm.db, 'Clearwater Holdings');
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const form = upload([{ name: 'Scan.pdf', content: pdfOf(pages(2)) }]);
    expect((await admin.post(`/entities/${entity}/files`, form)).status).toBe(303);
    const file = await firm.db.selectFrom('files').selectAll().executeTakeFirstOrThrow();
    expect(file.scan_status).toBe('pending');
    for (const p of [`/files/${file.id}/pages`, `/files/${file.id}/pages/1`, `/files/${file.id}/thumbnail`])
      expect([p, (await admin.get(p)).status]).toEqual([p, 404]);
    const filePage = await (await admin.get(`/files/${file.id}`)).text();
    expect(filePage).not.toContain(`/files/${file.id}/pages`);
    expect(await firm.db.selectFrom('file_previews').selectAll().execute()).toEqual([]);
  });
});
