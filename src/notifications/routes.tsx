/**
 * /entities/:id/notifications: Client Portal Notifications, for those who may share the entity in
 * the client portal or edit its details (mayChooseNotifyRecipients). An entity the caller cannot see answers as a missing one; one they see but may not
 * change refuses (403).
 */
import { type Context, Hono } from 'hono';
import type { FieldErrors } from '../../views/forms.js';
import { findEntity } from '../entities/index.js';
import type { AppDeps } from '../http/context.js';
import { setFlash } from '../http/flash.js';
import { list, readForm } from '../http/forms.js';
import { page } from '../http/render.js';
import { ruleErrors } from '../http/rule-error.js';
import { serviceCtx } from '../http/service-ctx.js';
import {
  authorizeOrNotFound,
  entityChain,
  Forbidden,
  mayChooseNotifyRecipients,
  NotFound,
} from '../permissions/index.js';
import { storedRecipientIds } from './queries.js';
import { candidates, chooseRecipients } from './service.js';
import { NotifyRecipientsPage } from './views.js';

export function notifyRecipientRoutes({ db }: AppDeps): Hono {
  const app = new Hono();

  async function load(c: Context) {
    const id = c.req.param('id') ?? '';
    const actor = authorizeOrNotFound(c, 'entity.summary:R', entityChain(id));
    const found = await findEntity(db, id);
    if (!found) throw new NotFound();
    if (!mayChooseNotifyRecipients(actor, id)) throw new Forbidden();
    return { actor, entity: { id: found.id, name: found.name } };
  }

  async function render(
    c: Context,
    entity: { id: string; name: string },
    form: { chosen: string[]; errors: FieldErrors } | null = null,
  ) {
    const [staff, stored] = await Promise.all([candidates(db, entity.id), storedRecipientIds(db, entity.id)]);
    return page(
      c,
      `Client Portal Notifications: ${entity.name}`,
      <NotifyRecipientsPage
        entity={entity}
        staff={staff}
        chosen={form?.chosen ?? stored}
        errors={form?.errors ?? {}}
      />,
      form ? 422 : 200,
    );
  }

  app.get('/entities/:id/notifications', async (c) => {
    const { entity } = await load(c);
    return render(c, entity);
  });

  app.post('/entities/:id/notifications', async (c) => {
    const { actor, entity } = await load(c);
    const chosen = list(await readForm(c), 'recipients');
    try {
      const changed = await db
        .transaction()
        .execute((trx) => chooseRecipients(trx, serviceCtx(c, actor), entity, chosen));
      setFlash(c, 'success', changed ? 'Client Portal Notifications saved.' : 'Nothing changed.');
    } catch (error) {
      return render(c, entity, { chosen, errors: ruleErrors(error) });
    }
    return c.redirect(`/entities/${entity.id}`, 303);
  });

  return app;
}
