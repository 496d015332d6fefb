/**
 * The hourly cleanup of resumable uploads: tus drops the bytes of uploads not finished within a
 * day, and their rows go too; a finished upload's row is kept a day so its outcome can still be
 * asked for; a lock whose holder died long ago is removed. Where no upload has a row, tus is not
 * asked (nor loaded): every upload's bytes are dropped an hour before its row.
 */
import type { Db } from '../../db/connect.js';
import { type ResumableServer, UPLOAD_EXPIRY_MS } from './tus.js';

export async function expireUploads(db: Db, tus: () => Promise<ResumableServer>): Promise<number> {
  const any = await db.selectFrom('resumable_uploads').select('id').limit(1).executeTakeFirst();
  const dropped = any ? await (await tus()).expire() : 0;
  const before = Date.now() - UPLOAD_EXPIRY_MS;
  // A day and an hour: tus's bytes go first, so no row is gone while its bytes could still arrive.
  await db
    .deleteFrom('resumable_uploads')
    .where('created_at', '<', before - 60 * 60 * 1000)
    .execute();
  await db.deleteFrom('upload_locks').where('held_until', '<', before).execute();
  return dropped;
}
