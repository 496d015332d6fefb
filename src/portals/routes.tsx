/**
 * /portals: the portal list, Create portal (MYOB's "To create a portal", every step), a portal's
 * page, editing and deleting it. A portal is seen through its entities (src/permissions/portals.ts),
 * so another portal's id answers exactly like a missing one; creating or changing one needs Share,
 * and what its member roles carry, at every entity in it.
 */
import { type Context, Hono } from 'hono';
import type { FieldErrors } from '../../views/forms.js';
import type { Portal } from '../db/schema.js';
import { contactChoices } from '../groups/index.js';
import type { AppDeps } from '../http/context.js';
import { wordsFor } from '../http/entity-words.js';
import { setFlash } from '../http/flash.js';
import { type FormValues, list, query, readForm, text, validate } from '../http/forms.js';
import { page } from '../http/render.js';
import { RuleError, ruleErrors } from '../http/rule-error.js';
import { serviceCtx } from '../http/service-ctx.js';
import { DEFAULT_LINKS } from '../kernel/config.js';
import { listOf } from '../kernel/names.js';
import { sentTo } from '../mail/transport.js';
import {
  type Actor,
  Forbidden,
  mayCreatePortals,
  mayListPortals,
  mayManagePortal,
  NotFound,
  policyFor,
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
  portalMembers,
  portalPeople,
} from './queries.js';
import { isAccess, newUserSchema, type PortalValues, portalSchema } from './schema.js';
import { createPortal, deletePortal, type PortalInput, updatePortal } from './service.js';
import { PortalForm, PortalList, PortalPage } from './views.js';

/** What the form holds, read the same from a POST body and from a search's query string. */
function valuesOf(form: FormValues): PortalValues {
  const members: Record<string, 'full' | 'contributor'> = {};
  for (const key of Object.keys(form)) {
    if (!key.startsWith('access-')) continue;
    const access = text(form, key);
    if (access && isAccess(access)) members[key.slice('access-'.length)] = access;
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
    const rows = await listPortals(
      db,
      visiblePortals(db, actor, 'p.id'),
      seenEntities(actor, 'e.id'),
      seenContacts(actor),
    );
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

  /** Creating, or editing one portal: where the form posts and searches, and what it says. */
  type Mode = { portal: Portal | null };
  const formOf = ({ portal }: Mode) =>
    portal
      ? {
          action: `/portals/${portal.id}`,
          searchAction: `/portals/${portal.id}/edit`,
          title: `Edit portal: ${portal.name}`,
          button: 'Save portal',
        }
      : { action: '/portals', searchAction: '/portals/new', title: 'Create portal', button: 'Create' };

  const renderForm = async (
    c: Context,
    actor: Actor,
    mode: Mode,
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
    const form = formOf(mode);
    return page(
      c,
      form.title,
      <PortalForm
        {...form}
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

  /** The form as a search button sent it (by GET), or `stored` for a plain visit. */
  const renderSearched = (c: Context, actor: Actor, mode: Mode, stored: PortalValues) => {
    if (query(c, 'search') !== '1') return renderForm(c, actor, mode, stored, {});
    const asked = c.req.queries();
    return renderForm(c, actor, mode, valuesOf(asked), {}, { eq: text(asked, 'eq'), cq: text(asked, 'cq') });
  };

  app.get('/portals/new', async (c) => renderSearched(c, creator(c), { portal: null }, {}));

  /**
   * Reads and checks the posted form, then creates or updates in one transaction; a broken rule
   * shows the form again with every value kept and the reason beside its field.
   */
  const save = async (c: Context, actor: Actor, mode: Mode) => {
    const form = await readForm(c);
    const values = valuesOf(form);
    const words = wordsFor(c);
    const parsed = validate(portalSchema, values);
    const newUser = newUserTyped(values) ? validate(newUserSchema, values) : null;
    if (!parsed.ok || (newUser && !newUser.ok))
      return renderForm(c, actor, mode, values, {
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
      membersShown: mode.portal ? list(form, 'membersShown') : null,
      sendAsId: values.sendAs || null,
      notifyIds: values.notify ?? [],
      bulkIds: values.bulk ?? [],
      seenEntities: seenEntities(actor, 'e.id'),
      seenContacts: seenContacts(actor),
      entityWord: words.lower,
    };
    const site = { firmName: c.get('organization')?.name ?? 'Portico', baseUrl: config.baseUrl };
    const portal = mode.portal;
    try {
      const { id, invited } = await db.transaction().execute(async (trx) => {
        const ctx = serviceCtx(c, actor);
        if (!portal) return createPortal(trx, ctx, input, site, invitationMs);
        return { id: portal.id, ...(await updatePortal(trx, ctx, portal, input, site, invitationMs)) };
      });
      const invitedText =
        invited.length === 1
          ? ` An invitation was ${sentTo(config, invited[0] ?? '')}.`
          : invited.length > 1
            ? ` Invitations were ${sentTo(config, listOf(invited))}.`
            : '';
      setFlash(c, 'success', `Portal “${input.name}” ${portal ? 'saved' : 'created'}.${invitedText}`);
      return c.redirect(`/portals/${id}`, 303);
    } catch (error) {
      return renderForm(c, actor, mode, values, ruleErrors(error));
    }
  };

  app.post('/portals', async (c) => save(c, creator(c), { portal: null }));

  /** The portal, when the caller may see it; otherwise exactly what a missing id gets. */
  async function load(c: Context) {
    const actor = requireStaff(c);
    const portal = mayListPortals(actor)
      ? await findPortal(db, c.req.param('id') ?? '', visiblePortals(db, actor, 'p.id'))
      : undefined;
    if (!portal) throw new NotFound();
    return { actor, portal };
  }

  /** The portal, when the caller may also change it (seen but not theirs to change: 403). */
  async function loadToManage(c: Context) {
    const { actor, portal } = await load(c);
    if (!mayManagePortal(actor, await portalEntityIds(db, portal.id))) throw new Forbidden();
    return { actor, portal };
  }

  /** What the edit form starts from: the portal as stored. */
  const stored = async (portal: Portal): Promise<PortalValues> => {
    const [entities, members, notify, bulk] = await Promise.all([
      portalEntityIds(db, portal.id),
      portalMembers(db, portal.id),
      portalPeople(db, 'portal_notify', portal.id),
      portalPeople(db, 'portal_bulk_assignees', portal.id),
    ]);
    return {
      name: portal.name,
      entities,
      administrator: portal.administrator_id,
      members: Object.fromEntries(members.map((m) => [m.id, m.access])),
      sendAs: portal.send_as_id ?? '',
      notify,
      bulk,
    };
  };

  const show = async (c: Context, actor: Actor, portal: Portal, errors: FieldErrors = {}) => {
    const details = await portalDetails(db, portal, seenEntities(actor, 'e.id'), seenContacts(actor));
    const may = policyFor(actor, { type: 'portal', entityIds: await portalEntityIds(db, portal.id) });
    return page(
      c,
      portal.name,
      <PortalPage
        name={portal.name}
        words={wordsFor(c)}
        {...details}
        editHref={may.edit ? `/portals/${portal.id}/edit` : null}
        deleteAction={may.delete ? `/portals/${portal.id}/delete` : null}
        errors={errors}
      />,
      Object.keys(errors).length ? 422 : 200,
    );
  };

  app.get('/portals/:id', async (c) => {
    const { actor, portal } = await load(c);
    return show(c, actor, portal);
  });

  app.get('/portals/:id/edit', async (c) => {
    const { actor, portal } = await loadToManage(c);
    return renderSearched(c, actor, { portal }, await stored(portal));
  });

  app.post('/portals/:id', async (c) => {
    const { actor, portal } = await loadToManage(c);
    return save(c, actor, { portal });
  });

  app.post('/portals/:id/delete', async (c) => {
    const { actor, portal } = await loadToManage(c);
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
