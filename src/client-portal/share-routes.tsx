/**
 * /entities/:id/client-portal: "Share in Client Portal", for those who may share the entity (Share
 * (A), or Share (S) where they own). Anyone else, and an id of an entity they cannot see, gets
 * exactly what a missing id gets. The form also sits on the entity's page (see portalShareFor in
 * share.ts).
 */
import { type Context, Hono } from 'hono';
import type { FieldErrors } from '../../views/forms.js';
import { findEntity } from '../entities/index.js';
import type { AppDeps } from '../http/context.js';
import { wordsFor } from '../http/entity-words.js';
import { setFlash } from '../http/flash.js';
import { list, readForm } from '../http/forms.js';
import { page } from '../http/render.js';
import { ruleErrors } from '../http/rule-error.js';
import { serviceCtx } from '../http/service-ctx.js';
import { DEFAULT_LINKS } from '../kernel/config.js';
import {
  authorizeOrNotFound,
  entityChain,
  mayShareEntity,
  NotFound,
  requireStaff,
} from '../permissions/index.js';
import { mayOpenContactGroups, shareInPortal, shareMessage } from './share.js';
import { entityContacts } from './share-queries.js';
import { PortalSharePage } from './share-views.js';

export function portalShareRoutes({ db, config }: AppDeps): Hono {
  const app = new Hono();
  const invitationMs = (config.links ?? DEFAULT_LINKS).invitationMs;

  /** The entity, when the caller may see it and share it; otherwise exactly what a missing id gets. */
  async function load(c: Context) {
    const id = c.req.param('id') ?? '';
    const actor = authorizeOrNotFound(c, 'entity.summary:R', entityChain(id));
    const entity = mayShareEntity(actor, id) ? await findEntity(db, id) : undefined;
    if (!entity) throw new NotFound();
    return { actor, entity: { id: entity.id, name: entity.name } };
  }

  async function render(
    c: Context,
    entity: { id: string; name: string },
    form: { ticked?: string[]; errors?: FieldErrors } = {},
  ) {
    const w = wordsFor(c);
    const contacts = await entityContacts(db, entity.id);
    const groupLinks = mayOpenContactGroups(requireStaff(c));
    return page(
      c,
      `Share ${entity.name} in Client Portal`,
      <PortalSharePage
        entityWord={w.lower}
        entity={entity}
        contacts={contacts}
        groupLinks={groupLinks}
        {...form}
      />,
      form.errors ? 422 : 200,
    );
  }

  app.get('/entities/:id/client-portal', async (c) => {
    const { entity } = await load(c);
    return render(c, entity);
  });

  app.post('/entities/:id/client-portal', async (c) => {
    const { actor, entity } = await load(c);
    const form = await readForm(c);
    const input = { ticked: list(form, 'contacts'), shown: list(form, 'contactsShown') };
    const site = {
      firmName: c.get('organization')?.name ?? 'Portico',
      baseUrl: config.baseUrl,
      invitationMs,
    };
    try {
      const outcome = await db
        .transaction()
        .execute((trx) => shareInPortal(trx, serviceCtx(c, actor), site, wordsFor(c), entity, input));
      setFlash(c, 'success', shareMessage(config, entity.name, outcome));
    } catch (error) {
      const { contacts, ...rest } = ruleErrors(error);
      // A refusal from the permission module is about the whole form, whatever field it names.
      const errors: FieldErrors = contacts ? { contacts } : { _form: Object.values(rest)[0] ?? '' };
      return render(c, entity, { ticked: input.ticked, errors });
    }
    return c.redirect(`/entities/${entity.id}`, 303);
  });

  return app;
}
