import { describe, expect, it } from 'vitest';
import { addUpload } from '../../src/files/service.js';
import { RuleError } from '../../src/http/rule-error.js';
import { loadActor } from '../../src/permissions/index.js';
import { fieldError, pageText } from '../helpers/app.js';
import { bindAtEntity, buildContact, buildEntity, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { DIALECTS_AND_STORES, useStore } from '../helpers/stores.js';
import { startUpload } from '../helpers/tus.js';

const QUOTA = 1000;

function upload(name: string, size: number): FormData {
  const form = new FormData();
  form.append('files', new File(['x'.repeat(size)], name));
  return form;
}

describe.each(DIALECTS_AND_STORES)('a client’s storage quota (%s, %s)', (dialect, storeKind) => {
  const store = useStore(storeKind);
  const firm = useFirm(dialect, {
    config: () => ({
      ...store.config(),
      files: { maxBytes: 64 * 1024, blockedExtensions: [], entityQuotaBytes: QUOTA },
    }),
  });

  it('refuses what would pass it, every version counted, by every way in', async () => {
    const clearwater = await buildEntity(firm.db, 'Clearwater Holdings');
    const harbour = await buildEntity(firm.db, 'Harbour Trust');
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    expect((await admin.post(`/entities/${clearwater}/files`, upload('a.txt', 400))).status).toBe(303);
    // A new version of it counts too: 800 used.
    expect((await admin.post(`/entities/${clearwater}/files`, upload('a.txt', 400))).status).toBe(303);
    const refused = await admin.post(`/entities/${clearwater}/files`, upload('b.txt', 300));
    expect(refused.status).toBe(422);
    expect(fieldError(await refused.text(), 'f-files')).toBe(
      '“b.txt” (300 bytes) does not fit: this client’s files may hold 1000 bytes, and 800 bytes is used.',
    );
    expect((await admin.post(`/entities/${clearwater}/files`, upload('c.txt', 200))).status).toBe(303);

    const started = await startUpload(admin, `/entities/${clearwater}/uploads`, 10, { filename: 'd.txt' });
    expect([started.status, await started.text()]).toEqual([
      413,
      '“d.txt” (10 bytes) does not fit: this client’s files may hold 1000 bytes, and 1000 bytes is used.',
    ]);
    expect(await firm.db.selectFrom('resumable_uploads').selectAll().execute()).toEqual([]);

    const grace = await buildContact(firm.db, clearwater);
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_collaborator', clearwater);
    const asGrace = await signedIn(firm.app, firm.db, grace);
    await asGrace.post(`/portal/entities/${clearwater}/files`, upload('e.txt', 5));
    const portal = await (await asGrace.get(`/portal?entity=${clearwater}`)).text();
    expect(portal).toContain('“e.txt” (5 bytes) does not fit');

    // Another client starts from nothing.
    expect((await admin.post(`/entities/${harbour}/files`, upload('b.txt', 900))).status).toBe(303);
    const names = await firm.db.selectFrom('files').select('name').orderBy('name').execute();
    expect(names.map((n) => n.name)).toEqual(['a.txt', 'b.txt', 'c.txt']);
  });

  it('a restored version counts as the new version it becomes, and is refused beside the form when it does not fit', async () => {
    const clearwater = await buildEntity(firm.db, 'Clearwater Holdings');
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    await admin.post(`/entities/${clearwater}/files`, upload('a.txt', 400));
    await admin.post(`/entities/${clearwater}/files`, upload('a.txt', 300));
    const file = await firm.db.selectFrom('files').selectAll().executeTakeFirstOrThrow();
    const refused = await admin.post(`/files/${file.id}/restore`, { version: '1' });
    expect(refused.status).toBe(422);
    expect(pageText(await refused.text())).toContain(
      '“a.txt” (400 bytes) does not fit: this client’s files may hold 1000 bytes, and 700 bytes is used.',
    );
    expect((await firm.db.selectFrom('files').selectAll().executeTakeFirstOrThrow()).version).toBe(2);
    expect((await admin.post(`/files/${file.id}/restore`, { version: '2' })).status).toBe(303);
  });

  it('two uploads at once cannot both take the room left for one: the second waits for the first and counts it', async () => {
    const clearwater = await buildEntity(firm.db, 'Clearwater Holdings');
    const ctx = {
      actor: await loadActor(firm.db, firm.admin),
      audit: { id: firm.admin.id, label: 'Admin' },
      requestId: 'test',
      quotaBytes: QUOTA,
    };
    const place = { entityId: clearwater, folder: null };
    const content = (name: string) => ({
      name,
      sha256: 'a'.repeat(64),
      size: 600,
      contentType: 'text/plain',
      scan: 'clean' as const,
    });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let firstIn = () => {};
    const firstAdded = new Promise<void>((resolve) => {
      firstIn = resolve;
    });
    // The first adds its file and holds its transaction open until the second has begun.
    const first = firm.db.transaction().execute(async (trx) => {
      await addUpload(trx, ctx, place, content('first.txt'));
      firstIn();
      await held;
    });
    await firstAdded;
    const second = firm.db
      .transaction()
      .execute((trx) => addUpload(trx, ctx, place, content('second.txt')))
      .then(
        () => 'added',
        (error: unknown) => (error instanceof RuleError ? error.message : `unexpected: ${String(error)}`),
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
    release();
    await first;
    expect(await second).toBe(
      '“second.txt” (600 bytes) does not fit: this client’s files may hold 1000 bytes, and 600 bytes is used.',
    );
    const names = await firm.db.selectFrom('files').select('name').execute();
    expect(names.map((n) => n.name)).toEqual(['first.txt']);
  });
});
