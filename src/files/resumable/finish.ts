/**
 * A resumable upload whose last byte has arrived becomes a file, exactly once. The request that
 * brings the last byte claims the upload; if that process dies before the file commits, the claim
 * goes stale and the next request about the upload (the client's HEAD when it comes back) finishes
 * it. The SHA-256 is the one computed as the chunks streamed in when this process saw every byte
 * arrive in order; otherwise (the upload was resumed, or chunks reached another process) it is
 * computed from the assembled content. On disk the assembled file becomes the blob without a copy.
 * The file row, the upload's "done" and, for a contact, the announcement commit in one transaction.
 */
import type { Readable } from 'node:stream';
import type { Db } from '../../db/connect.js';
import type { ResumableUploadTable } from '../../db/schema.js';
import { ruleErrors } from '../../http/rule-error.js';
import type { ServiceCtx } from '../../http/service-ctx.js';
import type { FileLimits } from '../../kernel/config.js';
import { type StoredBlob, TooLarge } from '../../storage/index.js';
import { addClientUploads } from '../client-uploads.js';
import { HeadCapture, headOf, identify } from '../content.js';
import { findFolder } from '../queries.js';
import { quotaProblem } from '../quota.js';
import { type ScanDeps, scanIncoming } from '../scan.js';
import * as service from '../service.js';

type Row = Pick<
  ResumableUploadTable,
  'id' | 'entity_id' | 'folder_id' | 'via' | 'name' | 'size' | 'same_name'
>;

export type Finished =
  /** `message`: the file as added, "Return.pdf (version 2)". */
  | { state: 'done'; fileId: string | null; message: string }
  | { state: 'refused'; message: string }
  /** Another request is finishing it right now. */
  | { state: 'finishing' };

/** A claim older than this is taken to belong to a request that died. */
export const STALE_CLAIM_MS = 10 * 60 * 1000;

export interface FinishDeps extends ScanDeps {
  limits: FileLimits;
  /** The assembled content, as tus's store holds it. */
  open(id: string): Promise<Readable>;
  /** Where it lies on this machine's disk, and its SHA-256 if known (tus.ts); null in a bucket. */
  assembled(id: string, size: number): Promise<{ file: string; sha256: string | null } | null>;
  /** Drops tus's copy once the file is safe (or refused). */
  discard(id: string): Promise<void>;
}

export async function finishUpload(deps: FinishDeps, ctx: ServiceCtx, id: string): Promise<Finished> {
  const { db } = deps;
  const now = Date.now();
  const claimed = await db
    .updateTable('resumable_uploads')
    .set({ state: 'finishing', claimed_at: now })
    .where('id', '=', id)
    .where((eb) =>
      eb.or([
        eb('state', '=', 'receiving'),
        eb.and([eb('state', '=', 'finishing'), eb('claimed_at', '<', now - STALE_CLAIM_MS)]),
      ]),
    )
    .returningAll()
    .executeTakeFirst();
  if (!claimed) return outcomeOf(db, id);
  const result = await finishClaimed(deps, ctx, claimed).catch(async (error: unknown) => {
    // Let a later request try again at once: nothing of it committed.
    await db.updateTable('resumable_uploads').set({ state: 'receiving' }).where('id', '=', id).execute();
    throw error;
  });
  await deps.discard(id).catch(() => {
    // Left for the hourly cleanup, which drops every upload past its day.
  });
  return result;
}

async function outcomeOf(db: Db, id: string): Promise<Finished> {
  const row = await db
    .selectFrom('resumable_uploads')
    .select(['state', 'file_id', 'message'])
    .where('id', '=', id)
    .executeTakeFirst();
  // Its client, or the folder it was going to, was deleted (and the row with it).
  if (!row) return { state: 'refused', message: 'The place this file was going to is no longer there.' };
  if (row.state === 'done') return { state: 'done', fileId: row.file_id, message: row.message ?? '' };
  if (row.state === 'refused')
    return { state: 'refused', message: row.message ?? 'This upload was refused.' };
  return { state: 'finishing' };
}

async function finishClaimed(deps: FinishDeps, ctx: ServiceCtx, row: Row): Promise<Finished> {
  const { db, limits } = deps;
  let stored: { blob: StoredBlob; head: Buffer };
  try {
    stored = await store(deps, row);
  } catch (error) {
    if (!(error instanceof TooLarge)) throw error;
    return refuse(db, row.id, `“${row.name}” is larger than the limit for one file.`);
  }
  const { blob, head } = stored;
  const identified = await identify(row.name, head);
  if (!identified.ok) return refuse(db, row.id, identified.problem);
  // Asked again, as the cheaper check before the virus scan: other files may have filled the
  // client's quota while this one arrived. The row's own transaction asks once more (claimRoom).
  const over = await quotaProblem(db, limits, row.entity_id, row.name, blob.size);
  if (over) return refuse(db, row.id, over);
  // Checked as the plain form's files are: an infected one is refused and not kept.
  const uploader = { audit: ctx.audit, requestId: ctx.requestId };
  const admitted = await scanIncoming(deps, uploader, { name: row.name, blob });
  if (!admitted.ok) return refuse(db, row.id, admitted.problem);
  const upload = {
    name: row.name,
    sha256: blob.sha256,
    size: blob.size,
    contentType: identified.contentType,
    scan: admitted.scan,
  };
  try {
    return await service.retryOnConflict(db, async (trx) => {
      const added = await addFile(trx, service.addingCtx(ctx, limits), row, upload);
      const message =
        upload.scan === 'pending' ? `${added.message} (being checked for viruses)` : added.message;
      await trx
        .updateTable('resumable_uploads')
        .set({ state: 'done', file_id: added.id, message })
        .where('id', '=', row.id)
        .execute();
      return { state: 'done' as const, fileId: added.id, message };
    });
  } catch (error) {
    return refuse(db, row.id, Object.values(ruleErrors(error)).join(' '));
  }
}

/**
 * Puts the assembled content into the blob store, with its first bytes for the type check: a file
 * on this disk is taken as it is (linked, and hashed only if this process did not see it arrive),
 * a bucket's pieces are streamed across.
 */
async function store(deps: FinishDeps, row: Row): Promise<{ blob: StoredBlob; head: Buffer }> {
  const options = { maxBytes: deps.limits.maxBytes };
  const local = await deps.assembled(row.id, row.size);
  if (local) {
    const blob = await deps.store.adopt(local.file, { ...options, sha256: local.sha256 });
    return { blob, head: await headOf(local.file) };
  }
  const head = new HeadCapture();
  const content = await deps.open(row.id);
  content.on('error', (error) => head.destroy(error));
  return { blob: await deps.store.put(content.pipe(head), options), head: head.head() };
}

/** Adds the file as the upload's route would have; its id, and what its uploader is told. */
async function addFile(trx: Db, ctx: service.AddingCtx, row: Row, upload: service.Upload) {
  const folder = row.folder_id ? ((await findFolder(trx, row.entity_id, row.folder_id)) ?? null) : null;
  if (row.via === 'portal') {
    const entity = await trx
      .selectFrom('entities')
      .select(['id', 'name'])
      .where('id', '=', row.entity_id)
      .executeTakeFirstOrThrow();
    const [file] = await addClientUploads(trx, ctx, entity, [upload], folder, row.same_name);
    return { id: file!.id, message: file!.name };
  }
  const place = { entityId: row.entity_id, folder };
  const added = await service.addUpload(trx, ctx, place, upload, row.same_name);
  return { id: added.file.id, message: service.addedLabel(added) };
}

async function refuse(db: Db, id: string, message: string): Promise<Finished> {
  await db.updateTable('resumable_uploads').set({ state: 'refused', message }).where('id', '=', id).execute();
  return { state: 'refused', message };
}
