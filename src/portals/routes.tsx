/**
 * /portals: the portal list and Create portal (MYOB's "To create a portal", every step). A portal
 * is seen through its entities (src/permissions/portals.ts), so another portal's id answers
 * exactly like a missing one; creating one needs Share, and what its member roles carry, at every
 * entity in it.
 */
import { type Context, Hono } from 'hono';
import type { FieldErrors } from '../../views/forms.js';
import { DEFAULT_LINKS } from '../config.js';
import { wordsFor } from '../entities/schema.js';
import { contactChoices } from '../groups/queries.js';
import type { AppDeps } from '../http/context.js';
import { setFlash } from '../http/flash.js';
import { type FormValues, list, readForm, text, validate } from '../http/forms.js';
import { page } from '../http/render.js';
import { RuleError, ruleErrors } from '../http/rule-error.js';
import { serviceCtx } from '../http/service-ctx.js';
import {
  type Actor,
  Forbidden,
  mayCreatePortals,
  mayListPortals,
  mayManagePortal,
  NotFound,
  requireStaff,
  visibleContacts,
  visibleEntities,
  visiblePortals,
} from '../permissions/index.js';
import {
  enabledStaff,
  entityChoices,
  findPortal,
  listPortals,
  portalDetails,
  portalEntityIds,
} from './queries.js';
import { isAccess, newUserSchema, type PortalValues, portalSchema } from './schema.js';
import { createPortal, deletePortal, type PortalInput } from './service.js';
import { PortalForm, PortalList, PortalPage } from './views.js';

/** What the form holds, read the same from a POST body and from a search's query string. */
function valuesOf(form: FormValues): PortalValues {
  const members: Record<string, 'full' | 'contributor'> = {};
  for (const [key, value] of Object.entries(form)) {
    const access = typeof value === 'string' ? value : value[0];
    if (key.startsWith('access-') && access && isAccess(access))
      members[key.slice('access-'.length)] = access;
  }
  return {
    name: text(form, 'name'),
    entities: list(form, 'entities'),
    administrator: text(form, 'administrator'),
    members,
    newFirstName: text(form, 'newFirstName'),
    newLastName: text(form, 'newLastName'),
    newEmail: text(form, 'newEmail'),
    newClient: text(form, 'newClient'),
    newAccess: text(form, 'newAccess'),
    sendAs: text(form, 'sendAs'),
    notify: list(form, 'notify'),
    bulk: list(form, 'bulk'),
  };
}

const newUserTyped = (values: PortalValues) =>
  [values.newFirstName, values.newLastName, values.newEmail].some((x) => (x ?? '').trim() !== '');

export function portalsRoutes({ db, config }: AppDeps): Hono {
  const app = new Hono();
  const invitationMs = (config.links ?? DEFAULT_LINKS).invitationMs;
  const seenEntities = (actor: Actor, column: string) =>
    visibleEntities(db, actor, 'entity.summary:R', column);
  const seenContacts = (actor: Actor) =>
    visibleContacts(db, actor, 'contact.summary:R', 'cp.client_entity_id');

  app.get('/portals', async (c) => {
    const actor = requireStaff(c);
    if (!mayListPortals(actor)) throw new Forbidden();
    const rows = await listPortals(db, visiblePortals(db, actor, 'p.id'), seenEntities(actor, 'e.id'));
    return page(
      c,
      'Portal list',
      <PortalList rows={rows} canCreate={mayCreatePortals(actor)} words={wordsFor(c)} />,
    );
  });

  const creator = (c: Context) => {
    const actor = requireStaff(c);
    if (!mayCreatePortals(actor)) throw new Forbidden();
    return actor;
  };

  const renderForm = async (
    c: Context,
    actor: Actor,
    values: PortalValues,
    errors: FieldErrors,
    search: { eq: string; cq: string } = { eq: '', cq: '' },
  ) => {
    const eq = search.eq.slice(0, 100);
    const cq = search.cq.slice(0, 100);
    const [entities, contacts, staff] = await Promise.all([
      entityChoices(db, seenEntities(actor, 'e.id'), values.entities ?? [], eq),
      contactChoices(db, seenContacts(actor), Object.keys(values.members ?? {}), cq),
      enabledStaff(db),
    ]);
    return page(
      c,
      'Create portal',
      <PortalForm
        values={values}
        errors={errors}
        words={wordsFor(c)}
        eq={eq}
        cq={cq}
        entities={entities}
        contacts={contacts}
        staff={staff}
        me={actor.user}
      />,
      Object.keys(errors).length ? 422 : 200,
    );
  };

  app.get('/portals/new', async (c) => {
    const actor = creator(c);
    if (c.req.query('search') !== '1') return renderForm(c, actor, {}, {});
    const query = c.req.queries();
    return renderForm(c, actor, valuesOf(query), {}, { eq: text(query, 'eq'), cq: text(query, 'cq') });
  });

  app.post('/portals', async (c) => {
    const actor = creator(c);
    const values = valuesOf(await readForm(c));
    const words = wordsFor(c);
    const parsed = validate(portalSchema, values);
    const newUser = newUserTyped(values) ? validate(newUserSchema, values) : null;
    if (!parsed.ok || (newUser && !newUser.ok))
      return renderForm(c, actor, values, {
        ...(parsed.ok ? {} : parsed.errors),
        ...(newUser && !newUser.ok ? newUser.errors : {}),
      });
    const input: PortalInput = {
      name: parsed.value.name,
      entityIds: values.entities ?? [],
      administratorId: values.administrator || null,
      members: Object.entries(values.members ?? {}).map(([id, access]) => ({ id, access })),
      newUser: newUser?.ok
        ? {
            firstName: newUser.value.newFirstName,
            lastName: newUser.value.newLastName,
            email: newUser.value.newEmail,
            clientId: newUser.value.newClient,
            access: values.newAccess === 'contributor' ? 'contributor' : 'full',
          }
        : null,
      sendAsId: values.sendAs || null,
      notifyIds: values.notify ?? [],
      bulkIds: values.bulk ?? [],
      seenEntities: seenEntities(actor, 'e.id'),
      seenContacts: seenContacts(actor),
      entityWord: words.lower,
    };
    const site = { firmName: c.get('organization')?.name ?? 'Portico', baseUrl: config.baseUrl };
    try {
      const { id, invited } = await db
        .transaction()
        .execute((trx) => createPortal(trx, serviceCtx(c, actor), input, site, invitationMs));
      setFlash(
        c,
        'success',
        `Portal “${input.name}” created.${invited.length ? ` An invitation was emailed to ${invited.join(', ')}.` : ''}`,
      );
      return c.redirect(`/portals/${id}`, 303);
    } catch (error) {
      return renderForm(c, actor, values, ruleErrors(error));
    }
  });

  /** The portal, when the caller may see it; otherwise exactly what a missing id gets. */
  async function load(c: Context) {
    const actor = requireStaff(c);
    const portal = mayListPortals(actor)
      ? await findPortal(db, c.req.param('id') ?? '', visiblePortals(db, actor, 'p.id'))
      : undefined;
    if (!portal) throw new NotFound();
    return { actor, portal };
  }

  const show = async (
    c: Context,
    actor: Actor,
    portal: NonNullable<Awaited<ReturnType<typeof findPortal>>>,
    errors: FieldErrors = {},
  ) => {
    const details = await portalDetails(db, portal, seenEntities(actor, 'e.id'));
    const may = mayManagePortal(actor, await portalEntityIds(db, portal.id));
    return page(
      c,
      portal.name,
      <PortalPage
        name={portal.name}
        words={wordsFor(c)}
        {...details}
        deleteAction={may ? `/portals/${portal.id}/delete` : null}
        errors={errors}
      />,
      Object.keys(errors).length ? 422 : 200,
    );
  };

  app.get('/portals/:id', async (c) => {
    const { actor, portal } = await load(c);
    return show(c, actor, portal);
  });

  app.post('/portals/:id/delete', async (c) => {
    const { actor, portal } = await load(c);
    if (!mayManagePortal(actor, await portalEntityIds(db, portal.id))) throw new Forbidden();
    try {
      if (text(await readForm(c), 'confirm') !== 'yes')
        throw new RuleError('confirm', `Tick the box to confirm that “${portal.name}” should be deleted.`);
      await db.transaction().execute((trx) => deletePortal(trx, serviceCtx(c, actor), portal));
    } catch (error) {
      return show(c, actor, portal, ruleErrors(error));
    }
    setFlash(c, 'success', `Portal “${portal.name}” deleted.`);
    return c.redirect('/portals', 303);
  });

  return app;
}
