/**
 * /contacts: the firm's clients' people. A contact is seen through their client entity (see
 * contactChain), so a contact the caller may not see answers exactly like one that does not exist,
 * and moving a contact to another entity is authorized against both entities.
 */

import { type Context, Hono } from 'hono';
import type { FieldErrors } from '../../views/forms.js';
import { findEntity } from '../entities/index.js';
import type { RouteDeps } from '../http/context.js';
import { wordsFor } from '../http/entity-words.js';
import { setFlash } from '../http/flash.js';
import { type FormValues, query, readForm, text, validate } from '../http/forms.js';
import { page, pageOrFragment } from '../http/render.js';
import { ruleErrors } from '../http/rule-error.js';
import { pageNumber } from '../http/search.js';
import { serviceCtx } from '../http/service-ctx.js';
import { groupsOf } from '../people/index.js';
import {
  type Actor,
  authorize,
  can,
  canAnywhere,
  contactChain,
  entityChain,
  Forbidden,
  NotFound,
  policyFor,
  requireStaff,
  visibleContacts,
} from '../permissions/index.js';
import { clientChoices, mayAddWithoutClient, NO_CLIENT, pickedClient } from './client.js';
import { ClientChoices, type ClientPickerProps } from './client-picker.js';
import { type Contact, findContact, listContacts } from './queries.js';
import { detailsSchema, summarySchema } from './schema.js';
import * as service from './service.js';
import {
  ContactListPage,
  ContactPage,
  type ContactPageProps,
  ContactResults,
  NewContactForm,
} from './views.js';

const summaryValues = (form: FormValues) => ({
  firstName: text(form, 'firstName'),
  lastName: text(form, 'lastName'),
  email: text(form, 'email'),
  client: text(form, 'client'),
  clientQ: text(form, 'clientQ'),
});

/** The picker's "Find" button was pressed: show what was found, save nothing. */
const finding = (form: FormValues) => text(form, 'find') === '1';

const detailsValues = (form: FormValues) => ({
  phone: text(form, 'phone'),
  address: text(form, 'address'),
  notes: text(form, 'notes'),
});

export function contactRoutes({ db, host }: RouteDeps): Hono {
  const app = new Hono();
  const words = wordsFor;

  app.get('/contacts', async (c) => {
    const actor = requireStaff(c);
    // Someone with a role on a single entity sees this list with just that entity's contacts.
    if (!canAnywhere(actor, 'contact.summary:R')) throw new Forbidden();
    const q = (query(c, 'q') ?? '').slice(0, 100);
    const pageNo = pageNumber(query(c, 'page'));
    const visible = visibleContacts(db, actor, 'contact.summary:R', 'cp.client_entity_id');
    const { rows, total } = await listContacts(db, { visible, q, page: pageNo });
    const results = <ContactResults rows={rows} q={q} page={pageNo} total={total} words={words(c)} />;
    return pageOrFragment(c, 'Contacts', results, (r) => (
      <ContactListPage q={q} canCreate={canAnywhere(actor, 'contact:C')}>
        {r}
      </ContactListPage>
    ));
  });

  /**
   * The client picker's props: the chosen client and those the search found, among the clients the
   * actor may add a contact to; an edited contact's `current` client stays offered as it is.
   */
  async function pickerFor(
    c: Context,
    actor: Actor,
    values: { client?: string; clientQ?: string },
    error: string | undefined,
    current?: { id: string; name: string } | null,
    contactId?: string,
  ): Promise<ClientPickerProps> {
    const q = (values.clientQ ?? '').slice(0, 100);
    const chosen = values.client ?? '';
    const choices = await clientChoices(db, actor, q, chosen);
    if (current && !choices.some((e) => e.id === current.id) && (chosen === current.id || !q.trim()))
      choices.unshift({ ...current, reference: '' });
    return {
      contactId,
      words: words(c),
      chosen,
      q,
      choices,
      allowNone: current === null || mayAddWithoutClient(actor),
      error,
      mayFind: canAnywhere(actor, 'contact:C'),
    };
  }

  const newForm = async (
    c: Context,
    actor: Actor,
    values: { client?: string; clientQ?: string } & FormValues,
    errors: FieldErrors,
    status: 200 | 422,
  ) =>
    page(
      c,
      'Add contact',
      <NewContactForm
        values={values}
        errors={errors}
        withDetails={canAnywhere(actor, 'contact.details:E')}
        picker={await pickerFor(c, actor, values, errors.client)}
      />,
      status,
    );

  // The picker's suggestions as one types (htmx); without JavaScript its Find button does this.
  app.get('/contacts/client-choices', async (c) => {
    const actor = requireStaff(c);
    if (!canAnywhere(actor, 'contact:C')) throw new Forbidden();
    const values = {
      client: (query(c, 'client') ?? '').slice(0, 64),
      clientQ: query(c, 'clientQ') ?? '',
    };
    // On a contact's Summary form, their present client stays offered (when the caller may edit
    // that contact's Summary; any other id is as if none were named).
    const contact = await findContact(db, (query(c, 'contact') ?? '').slice(0, 64));
    const current =
      contact && can(actor, 'contact.summary:E', contactChain(contact.clientId))
        ? contact.clientId
          ? { id: contact.clientId, name: contact.clientName ?? '' }
          : null
        : undefined;
    const { mayFind: _, contactId: __, ...picker } = await pickerFor(c, actor, values, undefined, current);
    return pageOrFragment(c, `Find a ${words(c).lower}`, <ClientChoices {...picker} />, (fragment) => (
      <section class="narrow">
        <h1>Find a {words(c).lower}</h1>
        {fragment}
      </section>
    ));
  });

  app.get('/contacts/new', async (c) => {
    const actor = requireStaff(c);
    if (!canAnywhere(actor, 'contact:C')) throw new Forbidden();
    // "Add contact" on an entity's page names it; an entity the caller cannot see is left out.
    const entityId = query(c, 'entity') ?? '';
    const entity =
      entityId && can(actor, 'entity.summary:R', entityChain(entityId))
        ? await findEntity(db, entityId)
        : undefined;
    const client = entity ? entityId : mayAddWithoutClient(actor) ? NO_CLIENT : '';
    return newForm(c, actor, { client }, {}, 200);
  });

  app.post('/contacts', async (c) => {
    const actor = requireStaff(c);
    if (!canAnywhere(actor, 'contact:C')) throw new Forbidden();
    const form = await readForm(c);
    const values = { ...summaryValues(form), ...detailsValues(form) };
    if (finding(form)) return newForm(c, actor, values, {}, 200);
    const summary = validate(summarySchema, values);
    const client = summary.ok ? await pickedClient(db, actor, values, words(c)) : null;
    const withDetails =
      client?.ok === true && can(actor, 'contact.details:E', contactChain(client.client?.id ?? null));
    const details = withDetails ? validate(detailsSchema, values) : null;
    // Details typed where the actor may not set them are refused, never dropped without a word.
    const typedDetails = [values.phone, values.address, values.notes].some((v) => v.trim() !== '');
    const detailsRefused =
      client?.ok === true && !withDetails && typedDetails
        ? `You cannot fill in details for contacts in ${client.client?.name ?? 'no client'}: leave them empty.`
        : null;
    const errors: FieldErrors = {
      ...(summary.ok ? {} : summary.errors),
      ...(client && !client.ok ? { client: client.error } : {}),
      ...(details && !details.ok ? details.errors : {}),
      ...(detailsRefused ? { phone: detailsRefused } : {}),
    };
    if (!summary.ok || !client?.ok || (details && !details.ok) || detailsRefused)
      return newForm(c, actor, values, errors, 422);
    try {
      const id = await db
        .transaction()
        .execute((trx) =>
          service.createContact(
            trx,
            serviceCtx(c, actor),
            { ...summary.value, client: client.client },
            details?.ok ? details.value : undefined,
          ),
        );
      setFlash(c, 'success', `${summary.value.firstName} ${summary.value.lastName} was added.`);
      return c.redirect(`/contacts/${id}`, 303);
    } catch (error) {
      return newForm(c, actor, values, ruleErrors(error), 422);
    }
  });

  /** The contact, when the caller may read its summary; otherwise exactly what a missing id gets. */
  async function load(c: Context): Promise<{ actor: Actor; contact: Contact }> {
    const actor = requireStaff(c);
    const contact = await findContact(db, c.req.param('id') ?? '');
    if (!contact || !can(actor, 'contact.summary:R', contactChain(contact.clientId))) throw new NotFound();
    return { actor, contact };
  }

  async function render(
    c: Context,
    actor: Actor,
    contact: Contact,
    form?: ContactPageProps['form'],
    status: 200 | 422 = form ? 422 : 200,
  ) {
    const may = policyFor(actor, { type: 'contact', clientId: contact.clientId });
    const current = contact.clientId ? { id: contact.clientId, name: contact.clientName ?? '' } : null;
    const summaryForm = form?.which === 'summary' ? form : undefined;
    const showDetails = may.readDetails;
    const props: ContactPageProps = {
      words: words(c),
      contact,
      clientHref:
        contact.clientId && can(actor, 'entity.summary:R', entityChain(contact.clientId))
          ? `/entities/${contact.clientId}`
          : null,
      groups: showDetails ? await groupsOf(db, contact.id) : [],
      showDetails,
      links: await host.slots.list('contact.links', {
        actor,
        href: `/contacts/${contact.id}`,
        words: words(c),
      }),
      may,
      ...(form ? { form } : {}),
      ...(may.editSummary
        ? {
            picker: await pickerFor(
              c,
              actor,
              summaryForm?.values ?? { client: contact.clientId ?? NO_CLIENT },
              summaryForm?.errors.client,
              current,
              contact.id,
            ),
          }
        : {}),
    };
    const panels = showDetails
      ? await host.slots.fill('contact.panels', { c, actor, contact, mayEdit: props.may.editDetails })
      : [];
    return page(
      c,
      `${contact.firstName} ${contact.lastName}`,
      <ContactPage {...props}>{panels}</ContactPage>,
      status,
    );
  }

  app.get('/contacts/:id', async (c) => {
    const { actor, contact } = await load(c);
    return render(c, actor, contact);
  });

  app.post('/contacts/:id/summary', async (c) => {
    const { actor, contact } = await load(c);
    authorize(c, 'contact.summary:E', contactChain(contact.clientId));
    const form = await readForm(c);
    const values = summaryValues(form);
    if (finding(form)) return render(c, actor, contact, { which: 'summary', values, errors: {} }, 200);
    const parsed = validate(summarySchema, values);
    if (!parsed.ok) return render(c, actor, contact, { which: 'summary', values, errors: parsed.errors });
    // Moving the contact needs the right at the new entity as well as at the old one: moving a
    // contact into an entity is adding a contact there (the picker offers only those).
    const current = contact.clientId ? { id: contact.clientId, name: contact.clientName ?? '' } : null;
    const client = await pickedClient(db, actor, values, words(c), current);
    if (!client.ok)
      return render(c, actor, contact, { which: 'summary', values, errors: { client: client.error } });
    try {
      await db.transaction().execute((trx) =>
        service.updateSummary(trx, serviceCtx(c, actor), contact, {
          ...parsed.value,
          client: client.client,
        }),
      );
    } catch (error) {
      return render(c, actor, contact, { which: 'summary', values, errors: ruleErrors(error) });
    }
    setFlash(c, 'success', 'Summary saved.');
    return c.redirect(`/contacts/${contact.id}`, 303);
  });

  app.post('/contacts/:id/details', async (c) => {
    const { actor, contact } = await load(c);
    const chain = contactChain(contact.clientId);
    // Details are hidden from someone who may not read them: refuse as if the page had no such form.
    if (!can(actor, 'contact.details:R', chain)) throw new NotFound();
    authorize(c, 'contact.details:E', chain);
    const values = detailsValues(await readForm(c));
    const parsed = validate(detailsSchema, values);
    if (!parsed.ok) return render(c, actor, contact, { which: 'details', values, errors: parsed.errors });
    await db
      .transaction()
      .execute((trx) => service.updateDetails(trx, serviceCtx(c, actor), contact, parsed.value));
    setFlash(c, 'success', 'Details saved.');
    return c.redirect(`/contacts/${contact.id}`, 303);
  });

  app.post('/contacts/:id/delete', async (c) => {
    const { actor, contact } = await load(c);
    authorize(c, 'contact:D', contactChain(contact.clientId));
    if (text(await readForm(c), 'confirm') !== 'yes') {
      const errors: FieldErrors = {
        confirm: `Tick the box to confirm that ${contact.firstName} ${contact.lastName} should be deleted.`,
      };
      return render(c, actor, contact, { which: 'delete', values: {}, errors });
    }
    await db.transaction().execute((trx) => service.deleteContact(trx, serviceCtx(c, actor), contact));
    setFlash(c, 'success', `${contact.firstName} ${contact.lastName} was deleted.`);
    return c.redirect('/contacts', 303);
  });

  return app;
}
