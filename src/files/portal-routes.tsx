/**
 * A contact's upload from the portal (POST /portal/entities/:id/files): for a contact who may add
 * files to the entity (Contact - Entity Collaborator, or a portal member role), into its "From
 * clients" folder (src/files/client-uploads.ts); the whole upload is one transaction.
 * An entity they may not see answers as one that does not exist.
 */
import { Hono } from 'hono';
import type { RouteDeps } from '../http/context.js';
import { setFlash } from '../http/flash.js';
import { ruleErrors } from '../http/rule-error.js';
import { auditActor, serviceCtx } from '../http/service-ctx.js';
import { DEFAULT_FILE_LIMITS } from '../kernel/config.js';
import { can, entityChain, Forbidden, NotFound, requirePortalContact } from '../permissions/index.js';
import type { BlobStore } from '../storage/index.js';
import { addClientUploads } from './client-uploads.js';
import { quotaProblem } from './quota.js';
import { admitAll } from './scan.js';
import * as service from './service.js';
import { receiveUpload } from './upload.js';

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
          serviceCtx(c, actor),
          entity,
          received.map((r) => ({
            name: r.name,
            sha256: r.blob.sha256,
            size: r.blob.size,
            contentType: r.contentType,
            scan: r.scan,
          })),
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

  return app;
}
