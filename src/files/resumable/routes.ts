/**
 * Resumable uploads over the tus protocol. Staff start one at POST /entities/:id/uploads (into the
 * folder named in its metadata), a contact at POST /portal/entities/:id/uploads (into the folder
 * named in its metadata, or "From clients"); each is then at /uploads/:id, where its chunks are PATCHed, a HEAD says how far it
 * got, a GET says what it became, and a DELETE cancels it. Only the person who started an upload
 * may touch it, and only while they may still add files where it goes: anyone else is answered as
 * for an upload that does not exist. The last chunk's request turns the upload into a file.
 */
import { type Context, Hono } from 'hono';
import type { Db } from '../../db/connect.js';
import type { RouteDeps } from '../../http/context.js';
import { serviceCtx } from '../../http/service-ctx.js';
import { MalformedInput } from '../../http/strict-input.js';
import { DEFAULT_FILE_LIMITS } from '../../kernel/config.js';
import {
  type Actor,
  authorizeOrNotFound,
  authorizeUploader,
  can,
  entityChain,
  Forbidden,
  folderChain,
  NotFound,
  requirePortalContact,
} from '../../permissions/index.js';
import type { BlobStore } from '../../storage/index.js';
import { portalPlace } from '../portal-place.js';
import { findFolder } from '../queries.js';
import { quotaProblem } from '../quota.js';
import { sizeWords, uploadNameProblem } from '../upload.js';
import { type Finished, finishUpload } from './finish.js';
import { type ResumableServer, resumableServer } from './tus.js';

/** The paths tus's chunks arrive at: the body is streamed to disk, never held (src/app.ts). */
export const CHUNK_PATHS = ['/uploads/:id'];

export function resumableRoutes(
  { db, config, log }: RouteDeps,
  store: () => BlobStore,
): { routes: Hono; tus: () => Promise<ResumableServer> } {
  const app = new Hono();
  const limits = config.files ?? DEFAULT_FILE_LIMITS;
  let server: Promise<ResumableServer> | undefined;
  const tus = () => (server ??= resumableServer({ db, config, maxBytes: limits.maxBytes }));
  const finishDeps = () => ({
    db,
    store: store(),
    clamd: config.clamd,
    log,
    limits,
    open: async (id: string) => (await tus()).open(id),
    assembled: async (id: string, size: number) => (await tus()).assembled(id, size),
    discard: async (id: string) => (await tus()).discard(id),
  });

  /** What the request asks to upload, checked before a byte is accepted. */
  async function requested(c: Context) {
    const size = Number(c.req.header('upload-length'));
    if (!Number.isSafeInteger(size) || size < 0)
      throw new MalformedInput('A resumable upload must say its length.');
    let metadata: Record<string, string | null> = {};
    const sent = c.req.header('upload-metadata');
    if (sent) {
      // tus's utilities load with the first resumable upload, as its server does (tus.ts).
      const { Metadata } = await import('@tus/utils');
      try {
        metadata = Metadata.parse(sent);
      } catch {
        throw new MalformedInput('The upload’s details could not be read.');
      }
    }
    const name = metadata.filename ?? '';
    const problem =
      uploadNameProblem(name, limits) ??
      (size > limits.maxBytes
        ? `“${name}” is larger than the limit of ${sizeWords(limits.maxBytes)}.`
        : null);
    return { size, name, problem, metadata };
  }

  async function start(
    c: Context,
    actor: Actor,
    entityId: string,
    folderId: string | null,
    via: 'staff' | 'portal',
    sameName: 'version' | 'keep',
  ) {
    const { size, name, problem } = await requested(c);
    if (problem) return c.text(problem, problem.includes('larger') ? 413 : 422);
    const over = await quotaProblem(db, limits, entityId, name, size);
    if (over) return c.text(over, 413);
    return (await tus()).handle(c.req.raw, {
      size,
      record: (id) =>
        db
          .insertInto('resumable_uploads')
          .values({
            id,
            user_id: actor.user.id,
            entity_id: entityId,
            folder_id: folderId,
            via,
            name,
            size,
            same_name: sameName,
            state: 'receiving',
            file_id: null,
            message: null,
            created_at: Date.now(),
          })
          .execute()
          .then(() => undefined),
    });
  }

  app.post('/entities/:id/uploads', async (c) => {
    const entityId = c.req.param('id');
    const actor = authorizeOrNotFound(c, 'entity.summary:R', entityChain(entityId));
    const { metadata } = await requested(c);
    const folder = metadata.folder ? await findFolder(db, entityId, metadata.folder) : null;
    if (folder === undefined) throw new NotFound();
    if (!can(actor, 'file:C', folderChain(entityId, folder))) throw new Forbidden();
    const sameName = metadata.sameName === 'keep' ? 'keep' : 'version';
    return start(c, actor, entityId, folder?.id ?? null, 'staff', sameName);
  });

  app.post('/portal/entities/:id/uploads', async (c) => {
    const actor = requirePortalContact(c);
    const { metadata } = await requested(c);
    const place = await portalPlace(db, actor, c.req.param('id'), metadata.folder ?? undefined);
    if (!place.mayUpload) throw new Forbidden();
    const sameName = metadata.sameName === 'version' ? 'version' : 'keep';
    return start(c, actor, place.entity.id, place.folder?.id ?? null, 'portal', sameName);
  });

  /** The upload, when the signed-in person may go on with it; NotFound otherwise. */
  async function uploadFor(c: Context) {
    const row = await uploadRow(db, c.req.param('id') ?? '');
    const folder = row?.folder_id ? ((await findFolder(db, row.entity_id, row.folder_id)) ?? null) : null;
    const actor = authorizeUploader(c, row, row ? folderChain(row.entity_id, folder) : []);
    if (!row) throw new NotFound();
    return { actor, row };
  }

  /** Turns a complete upload into its file (once; later calls read what it became). */
  async function finished(c: Context, actor: Actor, id: string): Promise<Finished> {
    try {
      return await finishUpload(finishDeps(), serviceCtx(c, actor), id);
    } catch (error) {
      log.error('a finished upload could not be stored', { requestId: c.get('requestId'), error });
      throw error;
    }
  }

  const offsetOf = (response: Response) => Number(response.headers.get('upload-offset') ?? -1);

  app.patch('/uploads/:id', async (c) => {
    const { actor, row } = await uploadFor(c);
    const response = await (await tus()).handle(c.req.raw);
    // The state is "receiving" until the last chunk; a failure to finish is retried by the GET.
    if (response.status === 204 && offsetOf(response) === row.size && row.state === 'receiving')
      await finished(c, actor, row.id).catch(() => undefined);
    return response;
  });

  // Hono answers a HEAD with its GET route: tus's HEAD (how far the upload got), or, to a GET,
  // what the upload became.
  app.get('/uploads/:id', async (c) => {
    const { actor, row } = await uploadFor(c);
    if (c.req.method === 'HEAD') {
      // tus's copy is gone once the upload became a file (or was refused): it is still whole, so a
      // client whose last answer was lost goes on to ask what it became, and never sends it again.
      if (row.state === 'done' || row.state === 'refused')
        return c.body(null, 200, {
          'Tus-Resumable': '1.0.0',
          'Upload-Offset': String(row.size),
          'Upload-Length': String(row.size),
          'Cache-Control': 'no-store',
        });
      return (await tus()).handle(c.req.raw);
    }
    let outcome: Finished = { state: 'finishing' };
    if (row.state !== 'receiving') outcome = await finishUpload(finishDeps(), serviceCtx(c, actor), row.id);
    else if (await isComplete(await tus(), c.req.raw, row.size)) outcome = await finished(c, actor, row.id);
    else return c.json({ state: 'receiving' });
    return c.json(outcome);
  });

  app.delete('/uploads/:id', async (c) => {
    const { row } = await uploadFor(c);
    if (row.state !== 'receiving')
      return c.text('This upload is finished and can no longer be cancelled.', 409);
    const response = await (await tus()).handle(c.req.raw);
    if (response.status === 204) await db.deleteFrom('resumable_uploads').where('id', '=', row.id).execute();
    return response;
  });

  return { routes: app, tus };
}

function uploadRow(db: Db, id: string) {
  return db.selectFrom('resumable_uploads').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Whether every byte has arrived, asked of tus as the client would ask (a HEAD). */
async function isComplete(tus: ResumableServer, request: Request, size: number): Promise<boolean> {
  const head = new Request(request.url, { method: 'HEAD', headers: { 'Tus-Resumable': '1.0.0' } });
  const response = await tus.handle(head);
  return response.ok && Number(response.headers.get('upload-offset')) === size;
}
