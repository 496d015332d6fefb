/**
 * /entities: the firm's clients, cases or matters, and two tabs of an entity's workspace: the
 * Overview (/entities/:id) and Settings (/entities/:id/settings), where its forms post and come
 * back with their errors. Each handler: parse → authorize against the entity's scope chain → act
 * in a transaction → render. An entity the caller may not see answers exactly like one that does
 * not exist, on every address.
 */
import { type Context, Hono } from 'hono';
import type { FieldErrors } from '../../views/forms.js';
import type { Entity } from '../db/schema.js';
import type { RouteDeps } from '../http/context.js';
import { wordsFor } from '../http/entity-words.js';
import { setFlash } from '../http/flash.js';
import { type FormValues, query, readForm, text, validate } from '../http/forms.js';
import { page, pageOrFragment } from '../http/render.js';
import { ruleErrors } from '../http/rule-error.js';
import { pageNumber } from '../http/search.js';
import { serviceCtx } from '../http/service-ctx.js';
import {
  type Actor,
  authorize,
  authorizeOrNotFound,
  can,
  canAnywhere,
  entityChain,
  Forbidden,
  policyFor,
  requireStaff,
  visibleEntities,
} from '../permissions/index.js';
import { listEntities } from './queries.js';
import { detailsOf, detailsSchema, summarySchema } from './schema.js';
import * as service from './service.js';
import { maySettings } from './tabs.js';
import {
  EntityListPage,
  EntityOverview,
  EntityResults,
  EntitySettings,
  type FailedForm,
  NewEntityForm,
} from './views.js';
import { entityWorkspace, visibleEntity } from './workspace.js';

const summaryValues = (form: FormValues) => ({
  name: text(form, 'name'),
  kind: text(form, 'kind'),
  reference: text(form, 'reference'),
});

const detailsValues = (form: FormValues) => ({
  email: text(form, 'email'),
  phone: text(form, 'phone'),
  taxNumber: text(form, 'taxNumber'),
  address: text(form, 'address'),
  notes: text(form, 'notes'),
});

export function entityRoutes({ db, host }: RouteDeps): Hono {
  const app = new Hono();
  const words = wordsFor;

  app.get('/entities', async (c) => {
    const actor = requireStaff(c);
    // Someone with a role on a single entity sees this list with just that entity in it.
    if (!canAnywhere(actor, 'entity.summary:R')) throw new Forbidden();
    const q = (query(c, 'q') ?? '').slice(0, 100);
    const pageNo = pageNumber(query(c, 'page'));
    const visible = visibleEntities(db, actor, 'entity.summary:R', 'e.id');
    const { rows, total } = await listEntities(db, { visible, q, page: pageNo });
    const w = words(c);
    const results = <EntityResults rows={rows} q={q} page={pageNo} total={total} words={w} />;
    return pageOrFragment(c, w.many, results, (r) => (
      <EntityListPage q={q} canCreate={can(actor, 'entity:C')} words={w}>
        {r}
      </EntityListPage>
    ));
  });

  app.get('/entities/new', (c) => {
    const actor = authorize(c, 'entity:C');
    const w = words(c);
    return page(
      c,
      `Add ${w.lower}`,
      <NewEntityForm words={w} values={{}} errors={{}} withDetails={can(actor, 'entity.details:E')} />,
    );
  });

  app.post('/entities', async (c) => {
    const actor = authorize(c, 'entity:C');
    const withDetails = can(actor, 'entity.details:E');
    const form = await readForm(c);
    const values = { ...summaryValues(form), ...(withDetails ? detailsValues(form) : {}) };
    const summary = validate(summarySchema, values);
    const details = withDetails ? validate(detailsSchema, values) : null;
    if (!summary.ok || (details && !details.ok)) {
      const errors = {
        ...(summary.ok ? {} : summary.errors),
        ...(details && !details.ok ? details.errors : {}),
      };
      const w = words(c);
      return page(
        c,
        `Add ${w.lower}`,
        <NewEntityForm words={w} values={values} errors={errors} withDetails={withDetails} />,
        422,
      );
    }
    const w = words(c);
    try {
      const id = await db
        .transaction()
        .execute((trx) =>
          service.createEntity(
            trx,
            serviceCtx(c, actor),
            w,
            summary.value,
            details?.ok ? details.value : undefined,
          ),
        );
      setFlash(c, 'success', `${summary.value.name} was added.`);
      return c.redirect(`/entities/${id}`, 303);
    } catch (error) {
      return page(
        c,
        `Add ${w.lower}`,
        <NewEntityForm words={w} values={values} errors={ruleErrors(error)} withDetails={withDetails} />,
        422,
      );
    }
  });

  const load = (c: Context) => visibleEntity(db, c, c.req.param('id') ?? '');

  app.get('/entities/:id', async (c) => {
    const { actor, entity } = await load(c);
    const may = policyFor(actor, { type: 'entity', id: entity.id });
    const about = { actor, entity };
    const body = (
      <EntityOverview
        words={words(c)}
        entity={entity}
        details={may.readDetails ? detailsOf(entity) : null}
        editDetails={may.readDetails && may.editDetails}
        links={await host.slots.list('entity.links', about)}
        panels={await host.slots.fill('entity.panels', about)}
      />
    );
    return entityWorkspace(c, { actor, entity, tab: 'overview', title: '', body });
  });

  /** The Settings tab, with a refused form's values and errors when there was one. */
  function settings(c: Context, actor: Actor, entity: Entity, form?: FailedForm) {
    const may = policyFor(actor, { type: 'entity', id: entity.id });
    if (!maySettings(may)) throw new Forbidden();
    const body = (
      <EntitySettings
        words={words(c)}
        entity={entity}
        details={may.readDetails && may.editDetails ? detailsOf(entity) : null}
        may={may}
        form={form}
      />
    );
    return entityWorkspace(c, {
      actor,
      entity,
      tab: 'settings',
      title: 'Settings',
      body,
      status: form ? 422 : 200,
    });
  }

  app.get('/entities/:id/settings', async (c) => {
    const { actor, entity } = await load(c);
    return settings(c, actor, entity);
  });

  app.post('/entities/:id/summary', async (c) => {
    const { actor, entity } = await load(c);
    authorize(c, 'entity.summary:E', entityChain(entity.id));
    const values = summaryValues(await readForm(c));
    const parsed = validate(summarySchema, values);
    if (!parsed.ok) return settings(c, actor, entity, { which: 'summary', values, errors: parsed.errors });
    try {
      await db
        .transaction()
        .execute((trx) => service.updateSummary(trx, serviceCtx(c, actor), words(c), entity, parsed.value));
    } catch (error) {
      return settings(c, actor, entity, { which: 'summary', values, errors: ruleErrors(error) });
    }
    setFlash(c, 'success', 'Summary saved.');
    return c.redirect(`/entities/${entity.id}/settings`, 303);
  });

  app.post('/entities/:id/details', async (c) => {
    const { actor, entity } = await load(c);
    // Details are hidden from someone who may not read them: refuse as if the page had no such form.
    authorizeOrNotFound(c, 'entity.details:R', entityChain(entity.id));
    authorize(c, 'entity.details:E', entityChain(entity.id));
    const values = detailsValues(await readForm(c));
    const parsed = validate(detailsSchema, values);
    if (!parsed.ok) return settings(c, actor, entity, { which: 'details', values, errors: parsed.errors });
    await db
      .transaction()
      .execute((trx) => service.updateDetails(trx, serviceCtx(c, actor), entity, parsed.value));
    setFlash(c, 'success', 'Details saved.');
    return c.redirect(`/entities/${entity.id}/settings`, 303);
  });

  app.post('/entities/:id/delete', async (c) => {
    const { actor, entity } = await load(c);
    authorize(c, 'entity:D', entityChain(entity.id));
    if (text(await readForm(c), 'confirm') !== 'yes') {
      const errors: FieldErrors = {
        confirm: `Tick the box to confirm that ${entity.name} should be deleted.`,
      };
      return settings(c, actor, entity, { which: 'delete', values: {}, errors });
    }
    await db.transaction().execute((trx) => service.deleteEntity(trx, serviceCtx(c, actor), entity));
    setFlash(c, 'success', `${entity.name} was deleted.`);
    return c.redirect('/entities', 303);
  });

  return app;
}
