/**
 * The virus check of an upload (CLAMD_URL): the one door every upload path goes through after its
 * content is durable in the blob store and before a row points at it. Clean content is admitted;
 * infected content is refused, audited, and its blob removed unless a row already points at it;
 * content the scanner could not look at (clamd down) is admitted as 'pending': kept, listed to
 * staff as being checked, served to no one, until the rescan job (src/files/rescan.ts) passes it.
 * It never logs the content or anything a person typed but the file's name.
 */
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/connect.js';
import type { ScanStatus } from '../db/schema.js';
import type { AuditActor } from '../http/service-ctx.js';
import type { ClamdAddress } from '../kernel/config.js';
import type { Logger } from '../kernel/log.js';
import type { BlobStore, StoredBlob } from '../storage/index.js';
import { describeClamd, scanContent, type Verdict } from './clamd.js';
import { usedBy } from './sweep.js';
import type { Received } from './upload.js';

export interface ScanDeps {
  db: Db;
  store: BlobStore;
  /** Absent: no scanner configured, and every content is clean as far as Portico can tell. */
  clamd: ClamdAddress | undefined;
  log: Logger;
}

/** Who uploaded, for the audit line of a refusal. */
export interface Uploader {
  audit: AuditActor;
  requestId?: string | null;
}

export type Admission = { ok: true; scan: ScanStatus } | { ok: false; problem: string };

/**
 * Scans one upload's content and says whether a row may point at it, and in which state.
 * @example
 * const admitted = await scanIncoming(deps, { audit, requestId }, { name: 'scan.pdf', blob });
 * if (!admitted.ok) refused.push(admitted.problem);
 * else await addUpload(trx, ctx, place, { ...upload, scan: admitted.scan });
 */
export async function scanIncoming(
  deps: ScanDeps,
  uploader: Uploader,
  incoming: { name: string; blob: StoredBlob },
): Promise<Admission> {
  if (!deps.clamd) return { ok: true, scan: 'clean' };
  const { name, blob } = incoming;
  const verdict: Verdict = await scanContent(deps.clamd, await deps.store.get(blob.sha256));
  if (verdict.status === 'clean') return { ok: true, scan: 'clean' };
  if (verdict.status === 'unavailable') {
    deps.log.warn('the virus scanner could not be reached: the upload waits as pending', {
      requestId: uploader.requestId,
      clamd: describeClamd(deps.clamd),
      reason: verdict.reason,
    });
    return { ok: true, scan: 'pending' };
  }
  await forgetUnused(deps, blob.sha256);
  if (verdict.status === 'too-large') {
    deps.log.warn('the virus scanner refused a file as larger than its StreamMaxLength', {
      requestId: uploader.requestId,
      size: blob.size,
    });
    return {
      ok: false,
      problem: `“${name}” is too large for the virus check and was not kept. Ask the firm to raise the scanner’s limit.`,
    };
  }
  await deps.db.transaction().execute((trx) =>
    recordAudit(trx, {
      actor: uploader.audit,
      action: 'file.infected_refused',
      object: { type: 'file', id: null, label: name },
      after: { name, virus: verdict.signature, size: blob.size },
      requestId: uploader.requestId ?? null,
    }),
  );
  return {
    ok: false,
    problem: `“${name}” was refused: the virus check found ${verdict.signature} in it. Nothing of it was kept.`,
  };
}

/** Removes content no row points at: refused content is kept out of storage, not left for the sweep. */
export async function forgetUnused(deps: Pick<ScanDeps, 'db' | 'store'>, sha256: string): Promise<void> {
  if (!(await usedBy(deps.db, sha256))) await deps.store.delete(sha256);
}

/** A received file after its virus check: refused, or admitted in its scan state. */
export type Admitted =
  | Extract<Received, { ok: false }>
  | (Extract<Received, { ok: true }> & { scan: ScanStatus });

/** Every file of one upload form through scanIncoming, one after the other; refusals keep their place. */
export async function admitAll(
  deps: ScanDeps,
  uploader: Uploader,
  files: readonly Received[],
): Promise<Admitted[]> {
  const out: Admitted[] = [];
  for (const received of files) {
    if (!received.ok) {
      out.push(received);
      continue;
    }
    try {
      const admission = await scanIncoming(deps, uploader, received);
      out.push(
        admission.ok
          ? { ...received, scan: admission.scan }
          : { ok: false, name: received.name, problem: admission.problem },
      );
    } catch (error) {
      // The content could not be read back from storage to be checked: nothing points at it.
      out.push({
        ok: false,
        name: received.name,
        problem: `“${received.name}” could not be checked just now. Nothing of it was kept; try again.`,
        error,
      });
    }
  }
  return out;
}
