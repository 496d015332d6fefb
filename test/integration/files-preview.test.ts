/**
 * Thumbnails and previews: JPEG, PNG, WebP, GIF and AVIF become WebP images fitted in their box,
 * turned upright and stripped of their metadata; a decompression bomb, a HEIC photo, a damaged
 * JPEG, an SVG and a damaged PDF get none (and the listing shows the type's icon), whatever reached
 * the decoder (PDFs: test/integration/files-pdf-preview.test.ts);
 * an image is made once and kept; it answers exactly like the download to whoever may not read
 * the file; and the sweep keeps a kept image while its source has a version, and no longer.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { imageLine, renderImage } from '../../src/files/preview.js';
import { BLOB_GRACE_MS, sweepBlobs } from '../../src/files/sweep.js';
import { addBinding } from '../../src/permissions/queries.js';
import { DiskBlobStore } from '../../src/storage/disk.js';
import { type Client, comparable } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { bindAtEntity, buildContact, buildEntity, buildStaff, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';

const canvas = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: '#3a7bd5' } });

/** A PNG chunk, its CRC computed. */
function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/**
 * A valid black PNG of 15,000 × 15,000 one-bit pixels: 225 megapixels (under libvips' own limit,
 * over ours) in about 30 KB.
 */
function bombPng(): Buffer {
  const side = 15_000;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr.set([1, 0, 0, 0, 0], 8);
  const raw = Buffer.alloc(side * (1 + Math.ceil(side / 8)));
  return Buffer.concat([
    Buffer.from('89504e470d0a1a0a', 'hex'),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><rect width="200" height="200"/></svg>';
// An HEIC file's first bytes (ftyp heic) and nothing a decoder could use.
const HEIC = Buffer.concat([Buffer.from('00000018667479706865696300000000', 'hex'), Buffer.from('mif1heic')]);

function upload(files: { name: string; content: string | Uint8Array }[]): FormData {
  const form = new FormData();
  for (const f of files) form.append('files', new File([f.content], f.name));
  return form;
}

/** The label of the type icon a thumbnail answered with, after checking it is one, served safely. */
async function iconAnswer(res: Response): Promise<string | undefined> {
  expect([res.status, res.headers.get('Content-Type')]).toEqual([200, 'image/svg+xml']);
  expect(res.headers.get('Content-Security-Policy')).toBe("default-src 'none'; sandbox");
  expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  return /<text[^>]*>([A-Z]+)<\/text><\/svg>$/.exec(await res.text())?.[1];
}

describe.each(DIALECTS)('file thumbnails and previews (%s)', (dialect) => {
  let dataDir: string;
  const firm = useFirm(dialect, {
    config: () => {
      dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-previews-'));
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

  async function uploaded(files: { name: string; content: string | Uint8Array }[]) {
    const res = await admin.post(`/entities/${clearwater}/files`, upload(files));
    expect(res.status).toBe(303);
    const rows = await firm.db.selectFrom('files').selectAll().execute();
    return Object.fromEntries(rows.map((r) => [r.name, r]));
  }

  const image = async (res: Response) => {
    const bytes = Buffer.from(await res.arrayBuffer());
    return { bytes, meta: await sharp(bytes).metadata() };
  };
  const previewRows = () => firm.db.selectFrom('file_previews').selectAll().orderBy('kind').execute();
  const blobs = async () => {
    const all: string[] = [];
    for await (const b of new DiskBlobStore(dataDir).list()) all.push(b.sha256);
    return all.sort();
  };

  it.each([
    ['photo.jpg', () => canvas(2000, 1000).jpeg().toBuffer()],
    ['scan.png', () => canvas(2000, 1000).png().toBuffer()],
    ['web.webp', () => canvas(2000, 1000).webp().toBuffer()],
    ['animation.gif', () => canvas(2000, 1000).gif().toBuffer()],
    ['modern.avif', () => canvas(2000, 1000).avif({ effort: 0 }).toBuffer()],
  ])(
    '%s gets a WebP thumbnail and preview inside their boxes, served as our own image',
    async (name, make) => {
      const file = (await uploaded([{ name, content: await make() }]))[name]!;
      const thumb = await admin.get(`/files/${file.id}/thumbnail`);
      expect(thumb.status).toBe(200);
      expect(thumb.headers.get('Content-Type')).toBe('image/webp');
      expect(thumb.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(thumb.headers.get('Content-Security-Policy')).toBe(
        "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      );
      expect(thumb.headers.get('Cache-Control')).toMatch(/^private\b/);
      const { meta } = await image(thumb);
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', 160, 80]);
      const preview = await image(await admin.get(`/files/${file.id}/preview`));
      expect([preview.meta.format, preview.meta.width, preview.meta.height]).toEqual(['webp', 1600, 800]);

      const rows = await previewRows();
      expect(rows.map((r) => [r.kind, r.source_sha256, r.content_type, r.width, r.height])).toEqual([
        ['preview', file.sha256, 'image/webp', 1600, 800],
        ['thumbnail', file.sha256, 'image/webp', 160, 80],
      ]);
      expect(thumb.headers.get('ETag')).toBe(`"${rows[1]!.sha256}"`);
      const again = await admin.request(`/files/${file.id}/thumbnail`, {
        headers: { 'If-None-Match': `"${rows[1]!.sha256}"` },
      });
      expect(again.status).toBe(304);

      // The listing shows it at a fixed size, lazily, named after the file.
      const list = await (await admin.get(`/entities/${clearwater}/files`)).text();
      expect(list).toContain(
        `<img src="/files/${file.id}/thumbnail" alt="Thumbnail of ${name}" width="48" height="48" loading="lazy"`,
      );
      // The file page, the preview at its own proportions, linked to its full size.
      const page = await (await admin.get(`/files/${file.id}`)).text();
      expect(page).toContain(`<a href="/files/${file.id}/preview"><img src="/files/${file.id}/preview"`);
      expect(page).toContain('width="1600" height="800"');
    },
  );

  it('a small image is not enlarged, and a photo is turned upright and loses its EXIF (GPS included)', async () => {
    const photo = await canvas(300, 100)
      .jpeg()
      .withExif({
        IFD0: { Make: 'Phone', Copyright: 'Ada' },
        IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '36/1 50/1 0/1' },
      })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    const original = await sharp(photo).metadata();
    expect([original.orientation, Boolean(original.exif), photo.includes(Buffer.from('Phone'))]).toEqual([
      6,
      true,
      true,
    ]);
    const file = (await uploaded([{ name: 'site visit.jpg', content: photo }]))['site visit.jpg']!;
    const { bytes, meta } = await image(await admin.get(`/files/${file.id}/preview`));
    // Orientation 6: stored 300 wide, seen 100 wide and 300 tall.
    expect([meta.width, meta.height]).toEqual([100, 300]);
    expect([meta.exif, meta.icc, meta.xmp, meta.orientation]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(bytes.includes(Buffer.from('Phone'))).toBe(false);
    expect(bytes.includes(Buffer.from('Exif'))).toBe(false);
  });

  it('a decompression bomb is refused at its header, quickly, and not tried again', async () => {
    const bomb = bombPng();
    expect(bomb.length).toBeLessThan(100_000);
    const file = (await uploaded([{ name: 'bomb.png', content: bomb }]))['bomb.png']!;
    const started = Date.now();
    expect(await iconAnswer(await admin.get(`/files/${file.id}/thumbnail`))).toBe('IMG');
    expect(Date.now() - started).toBeLessThan(3000);
    expect((await previewRows()).map((r) => [r.kind, r.sha256])).toEqual([['thumbnail', null]]);
    const list = await (await admin.get(`/entities/${clearwater}/files`)).text();
    expect(list).not.toContain(`/files/${file.id}/thumbnail`);
    expect(list).toContain('data-kind="IMG"');
  });

  it('HEIC, a damaged JPEG, an SVG and a damaged PDF get no image and show their type’s icon', async () => {
    const damaged = Buffer.concat([(await canvas(400, 400).jpeg().toBuffer()).subarray(0, 600)]);
    const files = await uploaded([
      { name: 'holiday.heic', content: HEIC },
      { name: 'broken.jpg', content: damaged },
      { name: 'logo.svg', content: SVG },
      { name: 'return.pdf', content: '%PDF-1.4\nreturn' },
    ]);
    // Asked for all the same (a listing asks before anyone knows), a thumbnail is the type's icon.
    const labels = { 'holiday.heic': 'IMG', 'broken.jpg': 'IMG', 'logo.svg': 'IMG', 'return.pdf': 'PDF' };
    for (const [name, label] of Object.entries(labels)) {
      const id = files[name]!.id;
      expect([name, await iconAnswer(await admin.get(`/files/${id}/thumbnail`))]).toEqual([name, label]);
      expect([name, (await admin.get(`/files/${id}/preview`)).status]).toEqual([name, 404]);
    }
    // Only the JPEG went to the decoder and the PDF to PDFium (for its thumbnail: a PDF has pages,
    // src/files/pdf-pages.ts, not one preview), and their failures are kept.
    const rows = (await previewRows()).map((r) => [r.source_sha256, r.kind, r.sha256]);
    expect(rows.sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`))).toEqual(
      [
        [files['broken.jpg']!.sha256, 'preview', null],
        [files['broken.jpg']!.sha256, 'thumbnail', null],
        [files['return.pdf']!.sha256, 'thumbnail', null],
      ].sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`)),
    );
    const list = await (await admin.get(`/entities/${clearwater}/files`)).text();
    expect(list).not.toContain('/thumbnail"');
    for (const kind of ['IMG', 'PDF']) expect(list).toContain(`data-kind="${kind}"`);
    const pdfPage = await (await admin.get(`/files/${files['return.pdf']!.id}`)).text();
    expect(pdfPage).toContain('There is no preview of this PDF: download it to read it.');
    expect(pdfPage).not.toContain('/preview"');
  });

  it('the decoder itself refuses SVG and TIFF, even handed to it directly', async () => {
    expect(await renderImage(Buffer.from(SVG), 'thumbnail')).toBeNull();
    expect(await renderImage(await canvas(10, 10).tiff().toBuffer(), 'thumbnail')).toBeNull();
    expect(await renderImage(await canvas(10, 10).png().toBuffer(), 'thumbnail')).not.toBeNull();
    // Past our own checks, libvips has no loader for them in this process at all.
    await expect(sharp(Buffer.from(SVG)).png().toBuffer()).rejects.toThrow(/unsupported image format/);
    const tiff = await canvas(10, 10).tiff().toBuffer();
    await expect(sharp(tiff).png().toBuffer()).rejects.toThrow(/unsupported image format/);
  });

  it('an image is made once: the kept one is served without reading the original again', async () => {
    const file = (await uploaded([{ name: 'once.png', content: await canvas(500, 500).png().toBuffer() }]))[
      'once.png'
    ]!;
    const first = await admin.get(`/files/${file.id}/thumbnail`);
    const kept = Buffer.from(await first.arrayBuffer());
    const before = await blobs();
    // With the original gone, only a kept image can still be served.
    await new DiskBlobStore(dataDir).delete(file.sha256);
    const second = await admin.get(`/files/${file.id}/thumbnail`);
    expect(second.status).toBe(200);
    expect(Buffer.from(await second.arrayBuffer())).toEqual(kept);
    expect(await blobs()).toEqual(before.filter((b) => b !== file.sha256));
    expect(await previewRows()).toHaveLength(1);
  });

  it('while the line for making images is full, an image answers 503 with Retry-After and nothing is kept; then it comes', async () => {
    const file = (await uploaded([{ name: 'queue.png', content: await canvas(300, 200).png().toBuffer() }]))[
      'queue.png'
    ]!;
    let open!: () => void;
    const gate = new Promise<void>((resolve) => {
      open = resolve;
    });
    // Two being made, and 64 more waiting: the line is full.
    const held = Array.from({ length: 66 }, () => imageLine(() => gate));
    for (const kind of ['thumbnail', 'preview']) {
      const res = await admin.get(`/files/${file.id}/${kind}`);
      expect([kind, res.status, res.headers.get('Retry-After')]).toEqual([kind, 503, '5']);
    }
    expect(await previewRows()).toEqual([]);
    open();
    await Promise.all(held);
    const later = await admin.get(`/files/${file.id}/thumbnail`);
    expect([later.status, later.headers.get('Content-Type')]).toEqual([200, 'image/webp']);
  });

  it('an older version has its own thumbnail (?version=N), and a version not there is 404', async () => {
    await uploaded([{ name: 'plan.png', content: await canvas(400, 200).png().toBuffer() }]);
    const file = (await uploaded([{ name: 'plan.png', content: await canvas(200, 400).png().toBuffer() }]))[
      'plan.png'
    ]!;
    const current = await image(await admin.get(`/files/${file.id}/thumbnail`));
    const first = await image(await admin.get(`/files/${file.id}/thumbnail?version=1`));
    expect([current.meta.width, current.meta.height, first.meta.width, first.meta.height]).toEqual([
      80, 160, 160, 80,
    ]);
    expect((await admin.get(`/files/${file.id}/thumbnail?version=9`)).status).toBe(404);
    // The file page's versions offer to view the older one's preview; the current one is on the page.
    const filePage = await (await admin.get(`/files/${file.id}`)).text();
    expect(filePage).toContain(
      `<a href="/files/${file.id}/preview?version=1">View<span class="visually-hidden"> version 1</span></a>`,
    );
    expect(filePage).not.toContain(`/files/${file.id}/preview?version=2`);
    const older = await image(await admin.get(`/files/${file.id}/preview?version=1`));
    expect([older.meta.width, older.meta.height]).toEqual([400, 200]);
  });

  describe('who may see an image of a file', () => {
    let file: string;
    let harbourFile: string;

    beforeEach(async () => {
      const png = await canvas(300, 300).png().toBuffer();
      file = (await uploaded([{ name: 'receipt.png', content: png }]))['receipt.png']!.id;
      const harbour = await buildEntity(firm.db, 'Harbour Trust');
      await admin.post(
        `/entities/${harbour}/files`,
        upload([{ name: 'deed.png', content: await canvas(310, 300).png().toBuffer() }]),
      );
      harbourFile = (
        await firm.db
          .selectFrom('files')
          .select('id')
          .where('entity_id', '=', harbour)
          .executeTakeFirstOrThrow()
      ).id;
    });

    it('staff with a role on one client get for another client’s image exactly what a missing file gets', async () => {
      const person = await buildStaff(firm.db);
      await bindAtEntity(firm.db, { userId: person.id }, 'viewer', clearwater);
      const client = await signedIn(firm.app, firm.db, person);
      for (const kind of ['thumbnail', 'preview']) {
        expect((await client.get(`/files/${file}/${kind}`)).status).toBe(200);
        const other = await client.get(`/files/${harbourFile}/${kind}`);
        const missing = await client.get(`/files/${'x'.repeat(21)}/${kind}`);
        expect([other.status, comparable(await other.text())]).toEqual([
          404,
          comparable(await missing.text()),
        ]);
      }
      // Refused before anything was made.
      expect((await previewRows()).map((r) => r.source_sha256)).not.toContain(
        (
          await firm.db
            .selectFrom('files')
            .select('sha256')
            .where('id', '=', harbourFile)
            .executeTakeFirstOrThrow()
        ).sha256,
      );
    });

    it('a contact sees the image of a file shared with them, not of one that is not, and the portal shows its thumbnail', async () => {
      const contact = await buildContact(firm.db, clearwater);
      await bindAtEntity(firm.db, { userId: contact.id }, 'contact_entity_access', clearwater);
      const asContact = await signedIn(firm.app, firm.db, contact);
      expect((await asContact.get(`/files/${file}/thumbnail`)).status).toBe(404);
      expect((await asContact.get(`/files/${file}/preview`)).status).toBe(404);
      await addBinding(firm.db, { userId: contact.id }, 'contact_viewer', { type: 'item', id: file }, null);
      expect((await asContact.get(`/files/${file}/thumbnail`)).status).toBe(200);
      expect((await asContact.get(`/files/${file}/preview`)).headers.get('Content-Type')).toBe('image/webp');
      const portal = await (await asContact.get(`/portal?entity=${clearwater}`)).text();
      expect(portal).toContain(
        `<a class="file-thumb" href="/files/${file}/preview"><img src="/files/${file}/thumbnail" alt="Thumbnail of receipt.png"`,
      );
    });
  });

  it('the sweep keeps a kept image while its source has a version, and takes it with its source', async () => {
    const file = (await uploaded([{ name: 'keep.png', content: await canvas(300, 200).png().toBuffer() }]))[
      'keep.png'
    ]!;
    await admin.get(`/files/${file.id}/thumbnail`);
    await admin.get(`/files/${file.id}/preview`);
    const derived = (await previewRows()).map((r) => r.sha256!);
    const store = new DiskBlobStore(dataDir);
    const later = { now: Date.now() + BLOB_GRACE_MS + 60_000 };
    expect(await sweepBlobs(firm.db, store, later)).toEqual({ removed: 0, abandoned: 0 });
    expect(await blobs()).toEqual([file.sha256, ...derived].sort());
    expect((await admin.get(`/files/${file.id}/thumbnail`)).status).toBe(200);

    await admin.post(`/files/${file.id}/delete`, { confirm: 'yes' });
    expect(await sweepBlobs(firm.db, store, later)).toEqual({ removed: 3, abandoned: 0 });
    expect(await blobs()).toEqual([]);
    expect(await previewRows()).toEqual([]);
  });
});
