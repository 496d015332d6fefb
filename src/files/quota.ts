/**
 * The optional per-entity quota (CLIENT_QUOTA_MB): what an entity's files hold, every version
 * counted, may not pass it. Asked before a resumable upload starts and before a plain upload's
 * files are added (so no work is done in vain), and then, decisively, inside the transaction that
 * writes the version row (`claimRoom`); a file refused there keeps nothing (its content, already
 * stored, is named by no row and swept).
 */
import type { Db } from '../db/connect.js';
import { isPostgres } from '../db/migration-helpers.js';
import { RuleError } from '../http/rule-error.js';
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
  limits: Pick<FileLimits, 'entityQuotaBytes'>,
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

/**
 * Refuses (a RuleError on `field`) a version of `size` bytes the entity has no room for, inside the
 * transaction that writes it. On PostgreSQL the entity's row is locked first, so two uploads at once
 * cannot each fit in the room left for one: the second waits, then counts the first. SQLite needs no
 * lock: its one connection runs one transaction at a time.
 */
export async function claimRoom(
  trx: Db,
  quotaBytes: number | undefined,
  entityId: string,
  name: string,
  size: number,
  field: string,
): Promise<void> {
  if (!quotaBytes) return;
  if (isPostgres(trx))
    await trx.selectFrom('entities').select('id').where('id', '=', entityId).forUpdate().execute();
  const over = await quotaProblem(trx, { entityQuotaBytes: quotaBytes }, entityId, name, size);
  if (over) throw new RuleError(field, over);
}
