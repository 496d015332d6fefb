import { type Context, Hono } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { FieldErrors } from '../../views/forms.js';
import { recordAudit } from '../audit/record.js';
import type { Folder, StoredFile } from '../db/schema.js';
import type { RouteDeps } from '../http/context.js';
import { wordsFor } from '../http/entity-words.js';
import { setFlash } from '../http/flash.js';
import { type FormValues, query, readForm, text } from '../http/forms.js';
import { isFragmentRequest, page, toHtml } from '../http/render.js';
import { ruleErrors } from '../http/rule-error.js';
import { pageNumber } from '../http/search.js';
import { auditActor, serviceCtx } from '../http/service-ctx.js';
import { DEFAULT_FILE_LIMITS } from '../kernel/config.js';
import {
  type Actor,
  authorizeAnyoneOrNotFound,
  authorizeOrNotFound,
  can,
  entityChain,
  Forbidden,
  fileChain,
  filePolicy,
  folderChain,
  folderIds,
  folderPolicy,
  mayShareFile,
  NotFound,
  type Permission,
  requireStaff,
  type ScopeChain,
  visibleInFolder,
} from '../permissions/index.js';
import type { BlobStore } from '../storage/index.js';
import { serveFile } from './download.js';
import { mayShowPages, pagesKept, pagesOf, servePage } from './pdf-pages.js';
import { PDF_PAGES_SHOWN } from './pdf-render.js';
import { type PagesShown, PdfPagesPage, PdfPagesSection } from './pdf-views.js';
import { PREVIEW_KINDS, PreviewsBusy } from './preview.js';
import { contentOf, previewRoom, servePreview, thumbnailShown, unmakeable } from './previews.js';
import { servable } from './quarantine.js';
import {
  findFile,
  findFolder,
  findVersion,
  foldersById,
  foldersOfEntity,
  listFolder,
  SORTS,
  type Sort,
  versionsOf,
} from './queries.js';
import { admitAll } from './scan.js';
import { BeingCheckedPage } from './scan-views.js';
import * as service from './service.js';
import { type ShareableItem, shareItem, sharingOf, unshareItem } from './sharing.js';
import { typeIconSvg } from './thumbs.js';
import { type Received, receiveUpload } from './upload.js';
import { type Crumb, FilePage, type FileView, FolderPage, type FolderView, folderHref } from './views.js';
import { whyCanRead } from './why.js';
import { selectionEntries, ZIP_MAX_FILES, zipDownload, zipEntries } from './zip.js';

const TOP: Crumb = { id: null, name: 'Files' };

/** What a share form sent: a contact chosen from the list, or a staff member's email address. */
function shareValues(form: FormValues) {
  if (form.email === undefined) return { contact: text(form, 'contact'), role: text(form, 'role') };
  const staffRole = text(form, 'staffRole');
  return { email: text(form, 'email'), role: staffRole, staffRole };
}

/** The refusal beside the field the staff form calls its role. */
function shareErrors(error: unknown, values: { email?: string }): FieldErrors {
  const errors = ruleErrors(error);
  if (values.email === undefined || !errors.role) return errors;
  const { role, ...rest } = errors;
  return { ...rest, staffRole: role };
}

export function fileRoutes({ db, host, config, log }: RouteDeps, store: () => BlobStore): Hono {
  const app = new Hono();
  const limits = config.files ?? DEFAULT_FILE_LIMITS;
  const timeZone = (c: Context) => c.get('organization')?.time_zone ?? 'UTC';
  const tab = (c: Context, entityId: string, title: string, body: Child, status?: ContentfulStatusCode) =>
    host.frames.render('entity.workspace', c, {
      entityId,
      tab: 'files',
      title,
      body,
      ...(status ? { status } : {}),
    });

  /** Who has the item, and the answer to "Why can this person see it?" when `?person=` asks. */
  async function sharingHere(c: Context, actor: Actor, item: ShareableItem, chain: ScopeChain) {
    const sharing = await sharingOf(db, actor, item, chain);
    const email = (query(c, 'person') ?? '').trim().slice(0, 254);
    if (!sharing.may || !email) return sharing;
    const entity = await db
      .selectFrom('entities')
      .select(['id', 'name'])
      .where('id', '=', item.entityId)
      .executeTakeFirstOrThrow();
    const answer = await whyCanRead(db, actor, email, chain, {
      item: item.type === 'file' ? 'This file' : 'This folder',
      entity,
      everyEntity: `All ${wordsFor(c).many.toLowerCase()}`,
    });
    return { ...sharing, why: { email, answer } };
  }

  /** The folder (null: top level) of a visible entity, or NotFound for either. */
  async function placeOf(c: Context, entityId: string, folderId: string | undefined) {
    const actor = authorizeOrNotFound(c, 'entity.summary:R', entityChain(entityId));
    const folder = folderId ? await findFolder(db, entityId, folderId) : null;
    if (folder === undefined) throw new NotFound();
    const chain = folderChain(entityId, folder);
    return { actor, folder, chain, place: { entityId, folder } };
  }

  async function crumbsOf(folder: Folder | null): Promise<Crumb[]> {
    if (!folder) return [TOP];
    const ancestors = await foldersById(db, folderIds(folder).slice(0, -1));
    const names = folderIds(folder)
      .slice(0, -1)
      .map((id) => ({ id, name: ancestors.get(id)?.name ?? '…' }));
    return [TOP, ...names, { id: folder.id, name: folder.name }];
  }

  /**
   * Where the actor may move something of the entity: the top level and each folder they may add
   * to, by its full path, leaving out `moving` (a folder) and every folder within it.
   */
  async function moveTargets(actor: Actor, entityId: string, moving?: Folder) {
    const folders = await foldersOfEntity(db, entityId);
    const byId = new Map(folders.map((f) => [f.id, f]));
    const label = (f: Folder) =>
      folderIds(f)
        .map((id) => byId.get(id)?.name ?? '…')
        .join(' / ');
    return [
      ...(can(actor, 'file:C', entityChain(entityId)) ? [{ value: '', label: 'Top level' }] : []),
      ...folders
        .filter((f) => !moving || !folderIds(f).includes(moving.id))
        .filter((f) => can(actor, 'file:C', folderChain(entityId, f)))
        .map((f) => ({ value: f.id, label: label(f) }))
        .sort((a, b) => a.label.localeCompare(b.label)),
    ];
  }

  async function folderPage(
    c: Context,
    entityId: string,
    folderId: string | undefined,
    extra: Pick<FolderView, 'errors' | 'values' | 'refused'> = {},
    status?: ContentfulStatusCode,
  ) {
    const { actor, folder, chain } = await placeOf(c, entityId, folderId);
    const may = folderPolicy(actor, chain);
    const visible = visibleInFolder(actor, chain);
    if (!may.create && !visible.all && !visible.fileIds.length && !visible.folderIds.length)
      throw new NotFound();
    const sortParam = query(c, 'sort') ?? 'name';
    const sort: Sort = sortParam in SORTS ? (sortParam as Sort) : 'name';
    const descending = query(c, 'dir') === 'desc';
    const page = pageNumber(query(c, 'page'));
    const listed = await listFolder(db, {
      entityId,
      place: folder?.id ?? '',
      visible,
      sort,
      descending,
      page,
    });
    const failed = await unmakeable(
      db,
      listed.files.map((f) => f.sha256),
      'thumbnail',
    );
    const view: FolderView = {
      entityId,
      folder,
      crumbs: await crumbsOf(folder),
      ...listed,
      sharing: folder ? await sharingHere(c, actor, folderItem(folder), chain) : null,
      thumbnails: new Set(
        listed.files
          .filter((f) => f.scan_status === 'clean' && thumbnailShown(contentOf(f), failed))
          .map((f) => f.id),
      ),
      page,
      sort,
      descending,
      may: { create: may.create, rename: may.rename, deleteWhenEmpty: may.deleteWhenEmpty },
      moveTargets: folder && may.rename ? await moveTargets(actor, entityId, folder) : [],
      timeZone: timeZone(c),
      limits,
      ...extra,
    };
    return tab(c, entityId, folder ? folder.name : 'Files', <FolderPage v={view} />, status);
  }

  app.get('/entities/:id/files', (c) => folderPage(c, c.req.param('id'), query(c, 'folder')));

  app.post('/entities/:id/files/folders', async (c) => {
    const entityId = c.req.param('id');
    const { actor, chain, place } = await placeOf(c, entityId, query(c, 'folder'));
    if (!can(actor, 'file:C', chain)) throw new Forbidden();
    const form = await readForm(c);
    const name = text(form, 'folderName');
    try {
      const folder = await db
        .transaction()
        .execute((trx) => service.createFolder(trx, serviceCtx(c, actor), place, name));
      setFlash(c, 'success', `Folder “${folder.name}” was created.`);
      return c.redirect(folderHref(entityId, folder.id), 303);
    } catch (error) {
      const errors = ruleErrors(error);
      return folderPage(
        c,
        entityId,
        place.folder?.id,
        { errors: { folderName: errors.name }, values: { folderName: name } },
        422,
      );
    }
  });

  app.post('/entities/:id/files', async (c) => {
    const entityId = c.req.param('id');
    const { actor, chain, place } = await placeOf(c, entityId, query(c, 'folder'));
    if (!can(actor, 'file:C', chain)) throw new Forbidden();
    const form = await receiveUpload(c, store(), limits);
    const sameName = form.fields.get('sameName') === 'keep' ? 'keep' : 'version';
    const added: string[] = [];
    const refused: string[] = [];
    for (const received of await admitted(c, form.files)) {
      if (!received.ok) {
        if (received.error)
          log.error('an upload could not be stored', {
            requestId: c.get('requestId'),
            error: received.error,
          });
        refused.push(received.problem);
        continue;
      }
      const upload = {
        name: received.name,
        sha256: received.blob.sha256,
        size: received.blob.size,
        contentType: received.contentType,
        scan: received.scan,
      };
      try {
        const result = await service.retryOnConflict(db, (trx) =>
          service.addUpload(trx, service.addingCtx(serviceCtx(c, actor), limits), place, upload, sameName),
        );
        const name = service.addedLabel(result);
        added.push(upload.scan === 'pending' ? `${name} (being checked for viruses)` : name);
      } catch (error) {
        refused.push(ruleErrors(error).files ?? `“${received.name}” could not be added.`);
      }
    }
    if (!added.length && !refused.length)
      return folderPage(
        c,
        entityId,
        place.folder?.id,
        { errors: { files: 'Choose at least one file to upload.' } },
        422,
      );
    if (refused.length) {
      if (added.length) c.set('flash', { kind: 'success', text: `Uploaded: ${added.join(', ')}.` });
      const errors: FieldErrors = added.length
        ? {}
        : { files: refused.length === 1 ? refused[0] : 'None of the files was uploaded: see why above.' };
      return folderPage(c, entityId, place.folder?.id, { refused, errors }, added.length ? 200 : 422);
    }
    setFlash(c, 'success', `Uploaded: ${added.join(', ')}.`);
    return c.redirect(folderHref(entityId, place.folder?.id ?? null), 303);
  });

  /** Each received file through the virus check: refused ones join the other refusals. */
  function admitted(c: Context, files: Received[]) {
    const uploader = { audit: auditActor(c), requestId: c.get('requestId') };
    return admitAll({ db, store: store(), clamd: config.clamd, log }, uploader, files);
  }

  /**
   * The file, when the actor may read it (NotFound otherwise, as for a missing one) and holds
   * `permission` on it (Forbidden otherwise). Staff only, unless `anyone` (the download, which
   * contacts share).
   */
  async function fileFor(c: Context, id: string, permission: Permission, anyone = false) {
    const found = await findFile(db, id);
    // A missing file is still asked about (on no chain), so the guard decides every request.
    const chain = found ? fileChain(found.file.entity_id, found.folder, found.file.id) : [];
    const actor = anyone
      ? authorizeAnyoneOrNotFound(c, 'file:R', chain)
      : authorizeOrNotFound(c, 'file:R', chain);
    if (!found) throw new NotFound();
    if (!can(actor, permission, chain)) throw new Forbidden();
    return { actor, ...found, chain };
  }

  async function filePage(
    c: Context,
    file: StoredFile,
    folder: Folder | null,
    actor: Actor,
    extra: Pick<FileView, 'errors' | 'values'> = {},
    status?: ContentfulStatusCode,
  ) {
    const may = filePolicy(actor, fileChain(file.entity_id, folder, file.id));
    const chain = fileChain(file.entity_id, folder, file.id);
    const view: FileView = {
      file,
      sharing: await sharingHere(c, actor, fileItem(file), chain),
      crumbs: await crumbsOf(folder),
      versions: await versionsOf(db, file.id),
      may: { edit: may.edit, delete: may.delete, move: may.edit },
      preview: file.scan_status === 'clean' ? await previewRoom(db, contentOf(file)) : null,
      pages: file.scan_status === 'clean' ? await pagesKept(db, contentOf(file)) : null,
      moveTargets: may.edit ? await moveTargets(actor, file.entity_id) : [],
      timeZone: timeZone(c),
      ...extra,
    };
    return tab(c, file.entity_id, file.name, <FilePage v={view} />, status);
  }

  app.get('/files/:id', async (c) => {
    const { actor, file, folder } = await fileFor(c, c.req.param('id'), 'file:R');
    return filePage(c, file, folder, actor);
  });

  /** The content `?version=N` names (the current one without it); NotFound for a version not there. */
  async function contentAsked(c: Context, file: StoredFile) {
    const asked = query(c, 'version');
    if (asked === undefined)
      return {
        sha256: file.sha256,
        size: file.size,
        contentType: file.content_type,
        number: file.version,
        scan: file.scan_status,
      };
    const version = /^\d{1,9}$/.test(asked) ? await findVersion(db, file.id, Number(asked)) : undefined;
    if (!version) throw new NotFound();
    return {
      sha256: version.sha256,
      size: version.size,
      contentType: version.content_type,
      number: version.number,
      scan: version.scan_status,
    };
  }

  // Staff and contacts alike: whoever may read the file (a contact through their item role).
  app.get('/files/:id/download', async (c) => {
    const { actor, file } = await fileFor(c, c.req.param('id'), 'file:R', true);
    const { number, scan, ...content } = await contentAsked(c, file);
    if (!servable(actor, scan))
      return tab(c, file.entity_id, file.name, <BeingCheckedPage file={file} version={number} />, 409);
    const served = { ...content, name: file.name };
    // A resumed download (a range not from the start) is the same download: logged once.
    const range = c.req.header('Range');
    if (!range || /^bytes=0-/.test(range.trim())) {
      await db.transaction().execute((trx) =>
        recordAudit(trx, {
          actor: auditActor(c),
          action: 'file.downloaded',
          object: { type: 'file', id: file.id, label: file.name },
          after: { version: number },
          requestId: c.get('requestId'),
        }),
      );
    }
    return serveFile(c, store(), served);
  });

  // An image of the file's content, for whoever may download it; 404 where there is none.
  for (const kind of PREVIEW_KINDS)
    app.get(`/files/:id/${kind}`, async (c) => {
      const { actor, file } = await fileFor(c, c.req.param('id'), 'file:R', true);
      const { number: _number, scan, ...content } = await contentAsked(c, file);
      // Nothing unchecked is decoded: a file waiting for its virus check has no preview yet.
      if (!servable(actor, scan)) throw new NotFound();
      try {
        return await servePreview(c, db, store(), content, kind);
      } catch (error) {
        if (kind !== 'thumbnail' || !(error instanceof NotFound)) throw error;
        // One that cannot be made shows the type's icon in the listing that asked for it.
        c.header('Content-Security-Policy', "default-src 'none'; sandbox");
        c.header('X-Content-Type-Options', 'nosniff');
        c.header('Content-Type', 'image/svg+xml');
        return c.body(typeIconSvg(file.name, content.contentType), 200);
      }
    });

  /**
   * The content (`?version=N`, else the current one) of a file whose pages may be shown to the
   * actor; NotFound otherwise. `version` is set only when an older version was asked for.
   */
  async function pdfFor(c: Context) {
    const { actor, file } = await fileFor(c, c.req.param('id') ?? '', 'file:R', true);
    const { number, scan, ...content } = await contentAsked(c, file);
    // Nothing unchecked is drawn: a file waiting for its virus check has no pages yet.
    if (!servable(actor, scan) || !mayShowPages(content)) throw new NotFound();
    return { actor, file, content, version: number === file.version ? undefined : number };
  }

  // A PDF's first pages, one below the other: the page a contact's thumbnail opens, and (framed)
  // the fragment a staff file page loads while they are first drawn.
  app.get('/files/:id/pages', async (c) => {
    const { actor, file, content, version } = await pdfFor(c);
    let shown: PagesShown;
    try {
      shown = (await pagesOf(db, store(), content)) ?? 'none';
    } catch (error) {
      if (!(error instanceof PreviewsBusy)) throw error;
      c.header('Retry-After', '5');
      shown = 'busy';
    }
    const status = shown === 'busy' ? 503 : 200;
    if (isFragmentRequest(c))
      return c.html(
        await toHtml(<PdfPagesSection file={file} shown={shown} version={version} framed />),
        status,
      );
    if (actor.user.kind === 'staff') {
      const back = { href: `/files/${file.id}`, label: `Back to ${file.name}` };
      return tab(
        c,
        file.entity_id,
        file.name,
        <PdfPagesPage file={file} shown={shown} back={back} version={version} />,
        status,
      );
    }
    const back = { href: `/portal?entity=${file.entity_id}`, label: 'Back to your files' };
    return page(
      c,
      file.name,
      <PdfPagesPage file={file} shown={shown} back={back} version={version} />,
      status,
    );
  });

  app.get('/files/:id/pages/:page', async (c) => {
    const { content } = await pdfFor(c);
    const asked = c.req.param('page');
    if (!/^[1-9]\d{0,2}$/.test(asked) || Number(asked) > PDF_PAGES_SHOWN) throw new NotFound();
    return servePage(c, db, store(), content, Number(asked));
  });

  app.post('/files/:id/rename', async (c) => {
    const { actor, file, folder } = await fileFor(c, c.req.param('id'), 'file:E');
    const name = text(await readForm(c), 'name');
    try {
      await db.transaction().execute((trx) => service.renameFile(trx, serviceCtx(c, actor), file, name));
    } catch (error) {
      return filePage(c, file, folder, actor, { errors: ruleErrors(error), values: { name } }, 422);
    }
    setFlash(c, 'success', 'The file was renamed.');
    return c.redirect(`/files/${file.id}`, 303);
  });

  app.post('/files/:id/move', async (c) => {
    const { actor, file, folder } = await fileFor(c, c.req.param('id'), 'file:E');
    const to = text(await readForm(c), 'to');
    const target = to ? await findFolder(db, file.entity_id, to) : null;
    // A folder elsewhere, or one the mover may not add to, is refused as one that is not there.
    if (target === undefined || !can(actor, 'file:C', folderChain(file.entity_id, target)))
      return filePage(
        c,
        file,
        folder,
        actor,
        { errors: { to: 'Choose a folder from the list.' }, values: { to } },
        422,
      );
    try {
      await db
        .transaction()
        .execute((trx) =>
          service.moveFile(trx, serviceCtx(c, actor), file, { entityId: file.entity_id, folder: target }),
        );
    } catch (error) {
      return filePage(c, file, folder, actor, { errors: ruleErrors(error), values: { to } }, 422);
    }
    setFlash(c, 'success', `The file was moved to ${target ? `“${target.name}”` : 'the top level'}.`);
    return c.redirect(`/files/${file.id}`, 303);
  });

  app.post('/files/:id/restore', async (c) => {
    const { actor, file, folder } = await fileFor(c, c.req.param('id'), 'file:E');
    const asked = text(await readForm(c), 'version');
    if (!/^\d{1,9}$/.test(asked))
      return filePage(c, file, folder, actor, { errors: { form: 'Choose a version to restore.' } }, 422);
    try {
      const restored = await service.retryOnConflict(db, async (trx) => {
        const current = await trx
          .selectFrom('files')
          .selectAll()
          .where('id', '=', file.id)
          .executeTakeFirst();
        if (!current) throw new NotFound();
        return service.restoreVersion(
          trx,
          service.addingCtx(serviceCtx(c, actor), limits),
          current,
          Number(asked),
        );
      });
      setFlash(c, 'success', `Version ${asked} was restored as version ${restored.version}.`);
    } catch (error) {
      if (error instanceof NotFound) throw error;
      return filePage(c, file, folder, actor, { errors: { form: ruleErrors(error).version } }, 422);
    }
    return c.redirect(`/files/${file.id}`, 303);
  });

  const fileItem = (file: StoredFile): ShareableItem => ({
    type: 'file',
    id: file.id,
    name: file.name,
    entityId: file.entity_id,
  });

  app.post('/files/:id/share', async (c) => {
    const { actor, file, folder, chain } = await fileFor(c, c.req.param('id'), 'file:R');
    if (!mayShareFile(actor, chain)) throw new Forbidden();
    const values = shareValues(await readForm(c));
    try {
      const told = await db
        .transaction()
        .execute((trx) => shareItem(trx, c, config, actor, fileItem(file), chain, values));
      setFlash(c, 'success', told);
    } catch (error) {
      return filePage(c, file, folder, actor, { errors: shareErrors(error, values), values }, 422);
    }
    return c.redirect(`/files/${file.id}`, 303);
  });

  app.post('/files/:id/unshare', async (c) => {
    const { actor, file, chain } = await fileFor(c, c.req.param('id'), 'file:R');
    if (!mayShareFile(actor, chain)) throw new Forbidden();
    const bindingId = text(await readForm(c), 'binding');
    const removed = await db
      .transaction()
      .execute((trx) => unshareItem(trx, c, actor, fileItem(file), chain, bindingId));
    if (!removed) throw new NotFound();
    setFlash(c, 'success', `“${file.name}” is no longer shared with ${removed}.`);
    return c.redirect(`/files/${file.id}`, 303);
  });

  app.post('/files/:id/delete', async (c) => {
    const { actor, file, folder } = await fileFor(c, c.req.param('id'), 'file:D');
    if (text(await readForm(c), 'confirm') !== 'yes')
      return filePage(c, file, folder, actor, { errors: { confirm: 'Tick the box to confirm.' } }, 422);
    await db.transaction().execute((trx) => service.deleteFile(trx, serviceCtx(c, actor), file));
    setFlash(c, 'success', `“${file.name}” was deleted.`);
    return c.redirect(folderHref(file.entity_id, file.folder_id), 303);
  });

  /** A folder, when the actor may see its entity; its own checks follow. */
  async function folderFor(c: Context, id: string) {
    const actor = requireStaff(c);
    const folder = await db.selectFrom('folders').selectAll().where('id', '=', id).executeTakeFirst();
    if (!folder || !can(actor, 'entity.summary:R', entityChain(folder.entity_id))) throw new NotFound();
    return { actor, folder, may: folderPolicy(actor, folderChain(folder.entity_id, folder)) };
  }

  // Files chosen in a listing, as one zip: those of them the reader may read, each audited.
  app.get('/entities/:id/files/zip', async (c) => {
    const entityId = c.req.param('id');
    const actor = authorizeOrNotFound(c, 'entity.summary:R', entityChain(entityId));
    const ids = (c.req.queries('file') ?? []).filter((id) => /^[A-Za-z0-9_-]{1,40}$/.test(id));
    const entries = await selectionEntries(db, actor, entityId, ids);
    if (!entries.length) {
      if (ids.length) throw new NotFound();
      setFlash(c, 'error', 'Choose the files to download first: tick the box beside each.');
      const folder = query(c, 'folder');
      return c.redirect(
        folderHref(entityId, folder && /^[A-Za-z0-9_-]{1,40}$/.test(folder) ? folder : null),
        302,
      );
    }
    return zipDownload(c, db, store(), 'Selected files.zip', entries);
  });

  // The folder as a zip, streamed: what in it the reader may read, subfolders included.
  app.get('/folders/:id/zip', async (c) => {
    const { folder, may } = await folderFor(c, c.req.param('id'));
    const entries = await zipEntries(db, requireStaff(c), folder);
    if (entries === 'too many') {
      setFlash(
        c,
        'error',
        `“${folder.name}” holds more than ${ZIP_MAX_FILES.toLocaleString('en-GB')} files: download its folders one at a time.`,
      );
      return c.redirect(folderHref(folder.entity_id, folder.id), 302);
    }
    if (!may.readAll && !entries.length) throw new NotFound();
    return zipDownload(c, db, store(), `${folder.name}.zip`, entries, folder);
  });

  const folderItem = (folder: Folder): ShareableItem => ({
    type: 'folder',
    id: folder.id,
    name: folder.name,
    entityId: folder.entity_id,
  });

  // A folder shared with a contact: everything in it, now and later, as the role allows.
  app.post('/folders/:id/share', async (c) => {
    const { actor, folder } = await folderFor(c, c.req.param('id'));
    const chain = folderChain(folder.entity_id, folder);
    if (!mayShareFile(actor, chain)) throw new Forbidden();
    const values = shareValues(await readForm(c));
    try {
      const told = await db
        .transaction()
        .execute((trx) => shareItem(trx, c, config, actor, folderItem(folder), chain, values));
      setFlash(c, 'success', told);
    } catch (error) {
      return folderPage(c, folder.entity_id, folder.id, { errors: shareErrors(error, values), values }, 422);
    }
    return c.redirect(folderHref(folder.entity_id, folder.id), 303);
  });

  app.post('/folders/:id/unshare', async (c) => {
    const { actor, folder } = await folderFor(c, c.req.param('id'));
    const chain = folderChain(folder.entity_id, folder);
    if (!mayShareFile(actor, chain)) throw new Forbidden();
    const bindingId = text(await readForm(c), 'binding');
    const removed = await db
      .transaction()
      .execute((trx) => unshareItem(trx, c, actor, folderItem(folder), chain, bindingId));
    if (!removed) throw new NotFound();
    setFlash(c, 'success', `The folder “${folder.name}” is no longer shared with ${removed}.`);
    return c.redirect(folderHref(folder.entity_id, folder.id), 303);
  });

  app.post('/folders/:id/rename', async (c) => {
    const { actor, folder, may } = await folderFor(c, c.req.param('id'));
    if (!may.rename) throw new Forbidden();
    const name = text(await readForm(c), 'name');
    try {
      await db.transaction().execute((trx) => service.renameFolder(trx, serviceCtx(c, actor), folder, name));
    } catch (error) {
      return folderPage(c, folder.entity_id, folder.id, { errors: ruleErrors(error), values: { name } }, 422);
    }
    setFlash(c, 'success', 'The folder was renamed.');
    return c.redirect(folderHref(folder.entity_id, folder.id), 303);
  });

  // A folder, with everything in it, into another folder of the same client (Edit on it, and Create
  // where it lands: a folder elsewhere, or one the mover may not add to, is refused as not there).
  app.post('/folders/:id/move', async (c) => {
    const { actor, folder, may } = await folderFor(c, c.req.param('id'));
    if (!may.rename) throw new Forbidden();
    const to = text(await readForm(c), 'to');
    const target = to ? await findFolder(db, folder.entity_id, to) : null;
    const refuse = (errors: FieldErrors) =>
      folderPage(c, folder.entity_id, folder.id, { errors, values: { to } }, 422);
    if (target === undefined || !can(actor, 'file:C', folderChain(folder.entity_id, target)))
      return refuse({ to: 'Choose a folder from the list.' });
    try {
      await db.transaction().execute((trx) => service.moveFolder(trx, serviceCtx(c, actor), folder, target));
    } catch (error) {
      return refuse(ruleErrors(error));
    }
    setFlash(c, 'success', `The folder was moved to ${target ? `“${target.name}”` : 'the top level'}.`);
    return c.redirect(folderHref(folder.entity_id, folder.id), 303);
  });

  app.post('/folders/:id/delete', async (c) => {
    const { actor, folder, may } = await folderFor(c, c.req.param('id'));
    if (!may.deleteWhenEmpty) throw new Forbidden();
    if (text(await readForm(c), 'confirm') !== 'yes')
      return folderPage(
        c,
        folder.entity_id,
        folder.id,
        { errors: { confirm: 'Tick the box to confirm.' } },
        422,
      );
    try {
      await db.transaction().execute((trx) => service.deleteFolder(trx, serviceCtx(c, actor), folder));
    } catch (error) {
      return folderPage(c, folder.entity_id, folder.id, { errors: ruleErrors(error) }, 422);
    }
    setFlash(c, 'success', `Folder “${folder.name}” was deleted.`);
    return c.redirect(folderHref(folder.entity_id, folder.parent_id), 303);
  });

  return app;
}
