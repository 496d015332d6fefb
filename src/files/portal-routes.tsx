/**
 * Files on the client's side of the portal, for a contact who may enter it:
 * - GET /portal/entities/:id/files: one folder at a time (src/files/portal-place.ts says which
 *   folders they may open and what of each they see; only files past the virus check);
 * - POST /portal/entities/:id/files: their upload, into the folder they are looking at or, from
 *   the top level or their portal home, the "From clients" folder (src/files/client-uploads.ts),
 *   for a contact who may add files there (Contact - Entity Collaborator, or a portal member role);
 *   the whole upload is one transaction;
 * - GET /portal/files/:id and its rename and delete: a file they may read, renamed by those who
 *   may edit it and deleted by those who may delete it (the seed: only Contact - Owner).
 * An entity, folder or file they may not see answers as one that does not exist.
 */
import { type Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { Folder, StoredFile } from '../db/schema.js';
import type { RouteDeps } from '../http/context.js';
import { setFlash } from '../http/flash.js';
import { query, readForm, text } from '../http/forms.js';
import { page } from '../http/render.js';
import { ruleErrors } from '../http/rule-error.js';
import { pageNumber } from '../http/search.js';
import { auditActor, serviceCtx } from '../http/service-ctx.js';
import { DEFAULT_FILE_LIMITS } from '../kernel/config.js';
import {
  type Actor,
  can,
  Forbidden,
  fileChain,
  filePolicy,
  folderIds,
  NotFound,
  requirePortalContact,
} from '../permissions/index.js';
import type { BlobStore } from '../storage/index.js';
import { addClientUploads } from './client-uploads.js';
import { pagesKept } from './pdf-pages.js';
import { type PortalPlace, portalPlace } from './portal-place.js';
import { withThumbnails } from './portal-section.js';
import { PortalFilePage, type PortalFileView, PortalFolderPage, portalFolderHref } from './portal-views.js';
import { contentOf, previewRoom } from './previews.js';
import { findFile, listFolder, SORTS, type Sort } from './queries.js';
import { quotaProblem } from './quota.js';
import { admitAll } from './scan.js';
import * as service from './service.js';
import { receiveUpload } from './upload.js';
import type { Crumb } from './views.js';
import { ZIP_MAX_FILES, zipDownload, zipEntries } from './zip.js';

export function portalFileRoutes({ db, config, log }: RouteDeps, store: () => BlobStore): Hono {
  const app = new Hono();
  const limits = config.files ?? DEFAULT_FILE_LIMITS;
  const timeZone = (c: Context) => c.get('organization')?.time_zone ?? 'UTC';
  const show = (c: Context, title: string, body: Child, status?: ContentfulStatusCode) => {
    c.set('navPath', '/portal');
    return page(c, title, body, status);
  };

  /** The way down to `folder` through the folders the contact may open. */
  function crumbsOf(place: Pick<PortalPlace, 'folders'>, folder: Folder | null): Crumb[] {
    const top: Crumb = { id: null, name: 'Files' };
    if (!folder) return [top];
    return [top, ...folderIds(folder).map((id) => ({ id, name: place.folders.get(id)?.name ?? '…' }))];
  }

  const uploadTo = (entityId: string, folderId: string | null, back: 'files' | 'home') => ({
    action: `/portal/entities/${entityId}/files?${new URLSearchParams({
      ...(folderId ? { folder: folderId } : {}),
      ...(back === 'files' ? { back } : {}),
    })}`.replace(/\?$/, ''),
    resumable: `/portal/entities/${entityId}/uploads`,
    limits,
  });

  // The folder the contact is looking at, as one zip: what in it they may read, subfolders included.
  app.get('/portal/entities/:id/files/zip', async (c) => {
    const actor = requirePortalContact(c);
    const place = await portalPlace(db, actor, c.req.param('id'), query(c, 'folder'));
    if (!place.folder) throw new NotFound();
    const folder = place.folder;
    const entries = await zipEntries(db, actor, folder);
    if (entries === 'too many' || !entries.length) {
      setFlash(
        c,
        'error',
        entries === 'too many'
          ? `“${folder.name}” holds more than ${ZIP_MAX_FILES.toLocaleString('en-GB')} files: download its folders one at a time.`
          : `There is nothing in “${folder.name}” for you to download yet.`,
      );
      return c.redirect(portalFolderHref(place.entity.id, folder.id), 302);
    }
    return zipDownload(c, db, store(), `${folder.name}.zip`, entries, folder);
  });

  app.get('/portal/entities/:id/files', async (c) => {
    const actor = requirePortalContact(c);
    const place = await portalPlace(db, actor, c.req.param('id'), query(c, 'folder'));
    const sortParam = query(c, 'sort') ?? 'name';
    const sort: Sort = sortParam in SORTS ? (sortParam as Sort) : 'name';
    const descending = query(c, 'dir') === 'desc';
    const pageAsked = pageNumber(query(c, 'page'));
    const listed = await listFolder(db, {
      entityId: place.entity.id,
      place: place.folder?.id ?? '',
      visible: place.visible,
      sort,
      descending,
      page: pageAsked,
      cleanOnly: true,
    });
    const view = {
      entity: place.entity,
      folder: place.folder,
      crumbs: crumbsOf(place, place.folder),
      ...listed,
      page: pageAsked,
      sort,
      descending,
      thumbnails: await withThumbnails(db, listed.files),
      upload: place.mayUpload ? uploadTo(place.entity.id, place.folder?.id ?? null, 'files') : null,
      timeZone: timeZone(c),
    };
    return show(c, place.folder?.name ?? 'Files', <PortalFolderPage v={view} />);
  });

  app.post('/portal/entities/:id/files', async (c) => {
    const actor = requirePortalContact(c);
    const place = await portalPlace(db, actor, c.req.param('id'), query(c, 'folder'));
    if (!place.mayUpload) throw new Forbidden();
    const entityId = place.entity.id;
    const back =
      query(c, 'back') === 'files'
        ? portalFolderHref(entityId, place.folder?.id ?? null)
        : `/portal?entity=${entityId}`;
    const uploader = { audit: auditActor(c), requestId: c.get('requestId') };
    const form = await receiveUpload(c, store(), limits);
    const checked = await admitAll({ db, store: store(), clamd: config.clamd, log }, uploader, form.files);
    const refused = checked.flatMap((f) => (f.ok ? [] : [f]));
    for (const f of refused)
      if (f.error)
        log.error('an upload could not be stored', { requestId: c.get('requestId'), error: f.error });
    const received: Extract<(typeof checked)[number], { ok: true }>[] = [];
    let adding = 0;
    for (const f of checked) {
      if (!f.ok) continue;
      const over = await quotaProblem(db, limits, entityId, f.name, adding + f.blob.size);
      if (over) refused.push({ ok: false, name: f.name, problem: over });
      else {
        received.push(f);
        adding += f.blob.size;
      }
    }
    if (!received.length) {
      setFlash(c, 'error', refused.map((f) => f.problem).join(' ') || 'Choose at least one file to upload.');
      return c.redirect(back, 303);
    }
    try {
      const added = await service.retryOnConflict(db, (trx) =>
        addClientUploads(
          trx,
          service.addingCtx(serviceCtx(c, actor), limits),
          place.entity,
          received.map((r) => ({
            name: r.name,
            sha256: r.blob.sha256,
            size: r.blob.size,
            contentType: r.contentType,
            scan: r.scan,
          })),
          place.folder,
          form.fields.get('sameName') === 'version' ? 'version' : 'keep',
        ),
      );
      const list = added.map((f) => f.name).join(', ');
      // Their own upload, still being checked, is not in their list yet: they are told why.
      const checking = received.some((r) => r.scan === 'pending')
        ? ' It appears in your files once it has passed the virus check.'
        : '';
      const also = refused.length ? ` Not uploaded: ${refused.map((f) => f.problem).join(' ')}` : '';
      setFlash(c, refused.length ? 'error' : 'success', `Uploaded: ${list}.${checking}${also}`);
    } catch (error) {
      setFlash(c, 'error', Object.values(ruleErrors(error)).join(' '));
    }
    return c.redirect(back, 303);
  });

  /** A file the contact may read and that has passed its virus check; NotFound otherwise. */
  async function fileFor(c: Context) {
    const actor = requirePortalContact(c);
    const found = await findFile(db, c.req.param('id') ?? '');
    const chain = found ? fileChain(found.file.entity_id, found.folder, found.file.id) : [];
    if (found?.file.scan_status !== 'clean' || !can(actor, 'file:R', chain)) throw new NotFound();
    const place = await portalPlace(db, actor, found.file.entity_id, found.folder?.id);
    return { actor, place, file: found.file, may: filePolicy(actor, chain) };
  }

  async function filePage(
    c: Context,
    found: { actor: Actor; place: PortalPlace; file: StoredFile; may: ReturnType<typeof filePolicy> },
    extra: Pick<PortalFileView, 'errors' | 'values'> = {},
    status?: ContentfulStatusCode,
  ) {
    const { place, file, may } = found;
    const view: PortalFileView = {
      entity: place.entity,
      file,
      crumbs: crumbsOf(place, place.folder),
      preview: await previewRoom(db, contentOf(file)),
      pages: await pagesKept(db, contentOf(file)),
      may: { rename: may.edit, delete: may.delete },
      timeZone: timeZone(c),
      ...extra,
    };
    return show(c, file.name, <PortalFilePage v={view} />, status);
  }

  app.get('/portal/files/:id', async (c) => filePage(c, await fileFor(c)));

  app.post('/portal/files/:id/rename', async (c) => {
    const found = await fileFor(c);
    if (!found.may.edit) throw new Forbidden();
    const name = text(await readForm(c), 'name');
    try {
      await db
        .transaction()
        .execute((trx) => service.renameFile(trx, serviceCtx(c, found.actor), found.file, name));
    } catch (error) {
      return filePage(c, found, { errors: ruleErrors(error), values: { name } }, 422);
    }
    setFlash(c, 'success', 'The file was renamed.');
    return c.redirect(`/portal/files/${found.file.id}`, 303);
  });

  app.post('/portal/files/:id/delete', async (c) => {
    const found = await fileFor(c);
    if (!found.may.delete) throw new Forbidden();
    if (text(await readForm(c), 'confirm') !== 'yes')
      return filePage(c, found, { errors: { confirm: 'Tick the box to confirm.' } }, 422);
    await db.transaction().execute((trx) => service.deleteFile(trx, serviceCtx(c, found.actor), found.file));
    setFlash(c, 'success', `“${found.file.name}” was deleted.`);
    // The folder may have been theirs to open only for this file: then they go to the top.
    const stays = await portalPlace(db, found.actor, found.file.entity_id, found.file.folder_id ?? undefined)
      .then(() => true)
      .catch((error) => {
        if (error instanceof NotFound) return false;
        throw error;
      });
    return c.redirect(portalFolderHref(found.file.entity_id, stays ? found.file.folder_id : null), 303);
  });

  return app;
}
