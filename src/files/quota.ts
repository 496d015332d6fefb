/**
 * The optional per-entity quota (CLIENT_QUOTA_MB): what an entity's files hold, every version
 * counted, may not pass it. Asked before a resumable upload starts (so no byte is sent in vain)
 * and again before any file's row is written; a file refused here keeps nothing (its content,
 * already stored, is named by no row and swept).
 */
import type { Db } from '../db/connect.js';
import type { FileLimits } from '../kernel/config.js';
import { sizeWords } from './upload.js';

export async function usedBy(db: Db, entityId: string): Promise<number> {
  const row = await db
    .selectFrom('file_versions as v')
    .innerJoin('files as f', 'f.id', 'v.file_id')
    .select((eb) => eb.fn.sum<number | string | null>('v.size').as('used'))
    .where('f.entity_id', '=', entityId)
    .executeTakeFirst();
  return Number(row?.used ?? 0);
}

/** Why a file of `size` bytes named `name` may not be added to the entity, or null. */
export async function quotaProblem(
  db: Db,
  limits: FileLimits,
  entityId: string,
  name: string,
  size: number,
): Promise<string | null> {
  const quota = limits.entityQuotaBytes;
  if (!quota) return null;
  const used = await usedBy(db, entityId);
  if (used + size <= quota) return null;
  return `“${name}” (${sizeWords(size)}) does not fit: this client’s files may hold ${sizeWords(quota)}, and ${sizeWords(used)} is used.`;
}
