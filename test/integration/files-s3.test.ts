/**
 * Files kept in an S3-compatible bucket (s3rver on loopback) instead of on disk: the same routes
 * upload through the form, answer ranges and versions from the bucket, and the sweep removes a
 * deleted file's content there and never one a version still names.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BLOB_GRACE_MS, sweepBlobs } from '../../src/files/sweep.js';
import { S3BlobStore } from '../../src/storage/s3.js';
import { DIALECTS } from '../helpers/db.js';
import { buildEntity, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { startS3, type TestS3 } from '../helpers/s3.js';

describe.each(DIALECTS)('files in an S3 bucket (%s)', (dialect) => {
  let s3: TestS3;
  beforeAll(async () => {
    s3 = await startS3();
  });
  afterAll(() => s3.close());
  const firm = useFirm(dialect, {
    config: () => ({
      storage: { kind: 's3', ...s3.options, forcePathStyle: s3.options.forcePathStyle ?? true },
    }),
  });

  it('uploads, versions, ranges and the sweep work against the bucket', async () => {
    const entity = await buildEntity(firm.db, 'Clearwater Holdings');
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const form = (name: string, content: string) => {
      const f = new FormData();
      f.append('files', new File([content], name));
      return f;
    };
    expect(
      (await admin.post(`/entities/${entity}/files`, form('ledger.csv', 'date,amount\n1,2\n'))).status,
    ).toBe(303);
    expect(
      (await admin.post(`/entities/${entity}/files`, form('LEDGER.csv', 'date,amount\n3,4\n'))).status,
    ).toBe(303);
    expect((await admin.post(`/entities/${entity}/files`, form('gone.txt', 'to be deleted'))).status).toBe(
      303,
    );
    const files = await firm.db.selectFrom('files').selectAll().orderBy('name').execute();
    const ledger = files.find((f) => f.name === 'ledger.csv')!;
    expect(ledger.version).toBe(2);

    const whole = await admin.get(`/files/${ledger.id}/download`);
    expect([whole.status, await whole.text()]).toEqual([200, 'date,amount\n3,4\n']);
    const part = await admin.get(`/files/${ledger.id}/download?version=1`, { Range: 'bytes=12-14' });
    expect([part.status, await part.text(), part.headers.get('Content-Range')]).toEqual([
      206,
      '1,2',
      'bytes 12-14/16',
    ]);

    const gone = files.find((f) => f.name === 'gone.txt')!;
    expect((await admin.post(`/files/${gone.id}/delete`, { confirm: 'yes' })).status).toBe(303);
    const store = new S3BlobStore(s3.options);
    try {
      expect(await sweepBlobs(firm.db, store, { now: Date.now() + BLOB_GRACE_MS + 60_000 })).toEqual({
        removed: 1,
        abandoned: 0,
      });
      expect(await store.stat(gone.sha256)).toBeNull();
      const kept = await firm.db.selectFrom('file_versions').select('sha256').execute();
      for (const v of kept) expect(await store.stat(v.sha256)).not.toBeNull();
    } finally {
      store.close();
    }
    expect(await (await admin.get(`/files/${ledger.id}/download?version=1`)).text()).toBe(
      'date,amount\n1,2\n',
    );
  });
});
