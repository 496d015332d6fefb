/**
 * The sweep of blobs no file version points to: what deleted files, refused uploads and abandoned
 * writes leave behind. A blob is taken only once it is older than the grace period and no version
 * row names it, asked again just before it goes; an upload of the same content renews the blob's
 * written time (src/storage), so content an upload is about to point a row at is never taken.
 * A derived image (src/files/previews.ts) is kept while its preview row names it; a row whose
 * source content no version names any more is dropped first, and its image goes with the rest.
 */
import { sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { BlobStore } from '../storage/index.js';

/** Long enough for any upload to go from its last byte to its row: a day. */
export const BLOB_GRACE_MS = 24 * 60 * 60 * 1000;

/** Does any version, or any kept preview, point at this content? */
export async function usedBy(db: Db, sha256: string): Promise<boolean> {
  const [version, preview] = await Promise.all([
    db.selectFrom('file_versions').select('id').where('sha256', '=', sha256).limit(1).executeTakeFirst(),
    db.selectFrom('file_previews').select('kind').where('sha256', '=', sha256).limit(1).executeTakeFirst(),
  ]);
  return Boolean(version || preview);
}

/** Drops the previews of contents no version holds: nobody can ask for them any more. */
function forgetOrphanPreviews(db: Db) {
  return db
    .deleteFrom('file_previews')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('file_versions')
            .select(sql<number>`1`.as('one'))
            .whereRef('file_versions.sha256', '=', 'file_previews.source_sha256'),
        ),
      ),
    )
    .execute();
}

export async function sweepBlobs(
  db: Db,
  store: BlobStore,
  { graceMs = BLOB_GRACE_MS, now = Date.now() }: { graceMs?: number; now?: number } = {},
): Promise<{ removed: number; abandoned: number }> {
  await forgetOrphanPreviews(db);
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
