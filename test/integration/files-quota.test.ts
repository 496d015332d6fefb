import { describe, expect, it } from 'vitest';
import { fieldError } from '../helpers/app.js';
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
});
