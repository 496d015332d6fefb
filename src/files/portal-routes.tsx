/**
 * A contact's upload from the portal (POST /portal/entities/:id/files): for a contact who may add
 * files to the entity (Contact - Entity Collaborator, or a portal member role), into its "From
 * clients" folder. Each file they add makes them its Contact - Owner; the whole upload is one
 * transaction, which also announces it (files.client_uploaded) so the firm's chosen staff are told.
 * An entity they may not see answers as one that does not exist.
 */
import { Hono } from 'hono';
import { emit } from '../host/index.js';
import type { RouteDeps } from '../http/context.js';
import { setFlash } from '../http/flash.js';
import { ruleErrors } from '../http/rule-error.js';
import { auditActor, serviceCtx } from '../http/service-ctx.js';
import { DEFAULT_FILE_LIMITS } from '../kernel/config.js';
import {
  can,
  entityChain,
  Forbidden,
  giveCreatorOwnership,
  NotFound,
  requirePortalContact,
} from '../permissions/index.js';
import type { BlobStore } from '../storage/index.js';
import './events.js';
import { nameKey } from './names.js';
import { admitAll } from './scan.js';
import * as service from './service.js';
import { receiveUpload } from './upload.js';

/** Where a contact's uploads land in each entity. */
export const FROM_CLIENTS = 'From clients';

export function portalFileRoutes({ db, config, log }: RouteDeps, store: () => BlobStore): Hono {
  const app = new Hono();
  const limits = config.files ?? DEFAULT_FILE_LIMITS;

  app.post('/portal/entities/:id/files', async (c) => {
    const actor = requirePortalContact(c);
    const entityId = c.req.param('id');
    if (!can(actor, 'entity.summary:R', entityChain(entityId))) throw new NotFound();
    if (!can(actor, 'file:C', entityChain(entityId))) throw new Forbidden();
    const entity = await db
      .selectFrom('entities')
      .select(['id', 'name'])
      .where('id', '=', entityId)
      .executeTakeFirst();
    if (!entity) throw new NotFound();
    const back = `/portal?entity=${entityId}`;
    const uploader = { audit: auditActor(c), requestId: c.get('requestId') };
    const form = await receiveUpload(c, store(), limits);
    const checked = await admitAll({ db, store: store(), clamd: config.clamd, log }, uploader, form.files);
    const refused = checked.flatMap((f) => (f.ok ? [] : [f]));
    for (const f of refused)
      if (f.error)
        log.error('an upload could not be stored', { requestId: c.get('requestId'), error: f.error });
    const received = checked.flatMap((f) => (f.ok ? [f] : []));
    if (!received.length) {
      setFlash(c, 'error', refused.map((f) => f.problem).join(' ') || 'Choose at least one file to upload.');
      return c.redirect(back, 303);
    }
    const name = `${actor.user.first_name} ${actor.user.last_name}`;
    try {
      const added = await service.retryOnConflict(db, async (trx) => {
        const ctx = serviceCtx(c, actor);
        const folder =
          (await trx
            .selectFrom('folders')
            .selectAll()
            .where('entity_id', '=', entityId)
            .where('place', '=', '')
            .where('name_key', '=', nameKey(FROM_CLIENTS))
            .executeTakeFirst()) ??
          (await service.createFolder(trx, ctx, { entityId, folder: null }, FROM_CLIENTS));
        const files: { id: string; name: string }[] = [];
        for (const r of received) {
          const upload = {
            name: r.name,
            sha256: r.blob.sha256,
            size: r.blob.size,
            contentType: r.contentType,
            scan: r.scan,
          };
          // A contact never replaces what is there: a second file of a name is kept beside it.
          const { file } = await service.addUpload(trx, ctx, { entityId, folder }, upload, 'keep');
          await giveCreatorOwnership(trx, actor.user.id, file.id);
          files.push({ id: file.id, name: file.name });
        }
        await emit(trx, 'files.client_uploaded', {
          entityId,
          entityName: entity.name,
          folderId: folder.id,
          uploader: { id: actor.user.id, name },
          files,
        });
        return files;
      });
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

  return app;
}
