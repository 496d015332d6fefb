/**
 * /entities/:id/client-portal: "Share in Client Portal", for those who may share the entity (Share
 * (A), or Share (S) where they own). Anyone else, and an id of an entity they cannot see, gets
 * exactly what a missing id gets. The form sits on the entity's People and access tab (see
 * portalShareFor in share.ts) and posts here; a refused post comes back inside that tab, with what
 * was ticked and the error, and a saved one returns to the tab.
 */
import { type Context, Hono } from 'hono';
import type { FieldErrors } from '../../views/forms.js';
import { entityWorkspace, findEntity } from '../entities/index.js';
import type { AppDeps } from '../http/context.js';
import { wordsFor } from '../http/entity-words.js';
import { setFlash } from '../http/flash.js';
import { list, readForm } from '../http/forms.js';
import { ruleErrors } from '../http/rule-error.js';
import { serviceCtx } from '../http/service-ctx.js';
import { DEFAULT_LINKS } from '../kernel/config.js';
import { authorizeOrNotFound, entityChain, mayShareEntity, NotFound } from '../permissions/index.js';
import { mayOpenContactGroups, shareInPortal, shareMessage } from './share.js';
import { entityContacts } from './share-queries.js';
import { PortalShareForm } from './share-views.js';

export function portalShareRoutes({ db, config }: AppDeps): Hono {
  const app = new Hono();
  const invitationMs = (config.links ?? DEFAULT_LINKS).invitationMs;

  /** The entity, when the caller may see it and share it; otherwise exactly what a missing id gets. */
  async function load(c: Context) {
    const id = c.req.param('id') ?? '';
    const actor = authorizeOrNotFound(c, 'entity.summary:R', entityChain(id));
    const entity = mayShareEntity(actor, id) ? await findEntity(db, id) : undefined;
    if (!entity) throw new NotFound();
    return { actor, entity };
  }
  type Loaded = Awaited<ReturnType<typeof load>>;

  async function render(
    c: Context,
    { actor, entity }: Loaded,
    form: { ticked?: string[]; errors?: FieldErrors } = {},
  ) {
    const contacts = await entityContacts(db, entity.id);
    const body = (
      <div class="narrow">
        <PortalShareForm
          entity={entity}
          contacts={contacts}
          groupLinks={mayOpenContactGroups(actor)}
          {...form}
        />
      </div>
    );
    const status = form.errors ? 422 : 200;
    return entityWorkspace(c, {
      actor,
      entity,
      tab: 'access',
      title: 'Share in Client Portal',
      body,
      status,
    });
  }

  app.get('/entities/:id/client-portal', async (c) => {
    return render(c, await load(c));
  });

  app.post('/entities/:id/client-portal', async (c) => {
    const loaded = await load(c);
    const { actor, entity } = loaded;
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
        .execute((trx) =>
          shareInPortal(
            trx,
            serviceCtx(c, actor),
            site,
            wordsFor(c),
            { id: entity.id, name: entity.name },
            input,
          ),
        );
      setFlash(c, 'success', shareMessage(config, entity.name, outcome));
    } catch (error) {
      const { contacts, ...rest } = ruleErrors(error);
      // A refusal from the permission module is about the whole form, whatever field it names.
      const errors: FieldErrors = contacts ? { contacts } : { _form: Object.values(rest)[0] ?? '' };
      return render(c, loaded, { ticked: input.ticked, errors });
    }
    return c.redirect(`/entities/${entity.id}/access`, 303);
  });

  return app;
}
