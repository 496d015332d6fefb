/**
 * The sweep of blobs no file version points to: what deleted files, refused uploads and abandoned
 * writes leave behind. A blob is taken only once it is older than the grace period and no version
 * row names it, asked again just before it goes; an upload of the same content renews the blob's
 * written time (src/storage), so content an upload is about to point a row at is never taken.
 */
import type { Db } from '../db/connect.js';
import type { BlobStore } from '../storage/index.js';

/** Long enough for any upload to go from its last byte to its row: a day. */
export const BLOB_GRACE_MS = 24 * 60 * 60 * 1000;

/** Does any version row point at this content? */
export const usedBy = (db: Db, sha256: string) =>
  db.selectFrom('file_versions').select('id').where('sha256', '=', sha256).limit(1).executeTakeFirst();

export async function sweepBlobs(
  db: Db,
  store: BlobStore,
  { graceMs = BLOB_GRACE_MS, now = Date.now() }: { graceMs?: number; now?: number } = {},
): Promise<{ removed: number; abandoned: number }> {
  const abandoned = await store.forgetAbandoned(graceMs, now);
  let removed = 0;
  for await (const blob of store.list()) {
    if (now - blob.writtenAt <= graceMs) continue;
    if (await usedBy(db, blob.sha256)) continue;
    const current = await store.stat(blob.sha256);
    if (!current || now - current.writtenAt <= graceMs || (await usedBy(db, blob.sha256))) continue;
    await store.delete(blob.sha256);
    removed++;
  }
  return { removed, abandoned };
}
