/**
 * The rescan of pending content (the `files.rescan-pending` schedule): what arrived while clamd
 * could not be reached is scanned again, each content once however many versions share it. Clean:
 * every pending version of it becomes clean, and with it each file whose current version it is.
 * Infected: those versions go, a file whose only version it was goes with them, and each file left
 * points at its newest remaining version, all in one transaction; then the blob goes if nothing else
 * points at it. Still unreachable: everything stays pending (fail closed) and the next run tries again.
 */
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/connect.js';
import type { ClamdAddress } from '../kernel/config.js';
import type { Logger } from '../kernel/log.js';
import { removeScopeBindings } from '../permissions/index.js';
import { BlobMissing, type BlobStore } from '../storage/index.js';
import { describeClamd, scanContent } from './clamd.js';
import { forgetUnused } from './scan.js';

/** Contents scanned in one run; the next run takes the rest. */
const PER_RUN = 200;

const SYSTEM = { id: null, label: 'System' };

export interface Rescanned {
  cleared: number;
  removed: number;
  waiting: number;
}

export async function rescanPending(
  db: Db,
  store: BlobStore,
  clamd: ClamdAddress | undefined,
  log: Logger,
): Promise<Rescanned> {
  const pending = await db
    .selectFrom('file_versions')
    .select('sha256')
    .distinct()
    .where('scan_status', '=', 'pending')
    .orderBy('sha256')
    .limit(PER_RUN)
    .execute();
  const done: Rescanned = { cleared: 0, removed: 0, waiting: 0 };
  if (!pending.length) return done;
  if (!clamd) {
    log.warn('files wait for a virus check, but CLAMD_URL is not set: they stay unavailable', {
      contents: pending.length,
    });
    return { ...done, waiting: pending.length };
  }
  for (const [index, { sha256 }] of pending.entries()) {
    let content: AsyncIterable<Uint8Array>;
    try {
      content = await store.get(sha256);
    } catch (error) {
      if (!(error instanceof BlobMissing)) throw error;
      log.error('a file waiting for its virus check has no content in storage', { sha256 });
      done.waiting++;
      continue;
    }
    const verdict = await scanContent(clamd, content);
    if (verdict.status === 'clean') done.cleared += await markClean(db, sha256);
    else if (verdict.status === 'infected') {
      done.removed += await db.transaction().execute((trx) => removeInfected(trx, sha256, verdict.signature));
      await forgetUnused({ db, store }, sha256);
    } else if (verdict.status === 'too-large') {
      log.warn('a file waiting for its virus check is larger than clamd’s StreamMaxLength', { sha256 });
      done.waiting++;
    } else {
      log.warn('the virus scanner could not be reached: files stay pending', {
        clamd: describeClamd(clamd),
        reason: verdict.reason,
      });
      done.waiting += pending.length - index;
      break;
    }
  }
  return done;
}

async function markClean(db: Db, sha256: string): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const versions = await trx
      .updateTable('file_versions')
      .set({ scan_status: 'clean' })
      .where('sha256', '=', sha256)
      .where('scan_status', '=', 'pending')
      .executeTakeFirst();
    // A file mirrors its current version, whose content this is when the file's sha256 is.
    await trx
      .updateTable('files')
      .set({ scan_status: 'clean' })
      .where('sha256', '=', sha256)
      .where('scan_status', '=', 'pending')
      .execute();
    return Number(versions.numUpdatedRows);
  });
}

/** Removes every pending version of the content; returns how many. */
async function removeInfected(trx: Db, sha256: string, signature: string): Promise<number> {
  const infected = await trx
    .selectFrom('file_versions')
    .innerJoin('files', 'files.id', 'file_versions.file_id')
    .select(['file_versions.id', 'file_versions.number', 'files.id as fileId', 'files.name'])
    .where('file_versions.sha256', '=', sha256)
    .where('file_versions.scan_status', '=', 'pending')
    // Oldest first: a file loses its last version, and goes, only on its last turn here.
    .orderBy('file_versions.number')
    .execute();
  for (const v of infected) {
    await trx.deleteFrom('file_versions').where('id', '=', v.id).execute();
    const newest = await trx
      .selectFrom('file_versions')
      .selectAll()
      .where('file_id', '=', v.fileId)
      .orderBy('number', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (newest)
      await trx
        .updateTable('files')
        .set({
          version: newest.number,
          sha256: newest.sha256,
          size: newest.size,
          content_type: newest.content_type,
          scan_status: newest.scan_status,
        })
        .where('id', '=', v.fileId)
        .execute();
    else {
      await removeScopeBindings(trx, { type: 'item', id: v.fileId });
      await trx.deleteFrom('files').where('id', '=', v.fileId).execute();
    }
    await recordAudit(trx, {
      actor: SYSTEM,
      action: 'file.infected_removed',
      object: { type: 'file', id: v.fileId, label: v.name },
      after: {
        version: v.number,
        virus: signature,
        ...(newest ? {} : { file: 'Deleted, having no other version' }),
      },
    });
  }
  return infected.length;
}
