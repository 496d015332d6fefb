/** The contact directory, the new-contact form and a contact's page (Summary, Details, delete). */
import type { FC } from 'hono/jsx';
import { type ActionLink, ActionLinks } from '../../views/action-links.js';
import { ConfirmDelete } from '../../views/confirm-delete.js';
import { EmailAddress } from '../../views/email-address.js';
import { Field, type FieldErrors, Form, FormError, TextArea } from '../../views/forms.js';
import { Pager } from '../../views/pager.js';
import { SearchBox } from '../../views/search-box.js';
import type { entityWords } from '../http/entity-words.js';
import { PAGE_SIZE } from '../http/search.js';
import { ClientPicker, type ClientPickerProps, DefaultSubmit } from './client-picker.js';
import type { Contact, ContactRow } from './queries.js';

type Words = ReturnType<typeof entityWords>;

export const ContactResults: FC<{
  rows: ContactRow[];
  q: string;
  page: number;
  total: number;
  words: Words;
}> = (p) => (
  <div id="contact-results">
    <div class="table-wrap">
      <table>
        <caption>{p.q ? `Contacts matching “${p.q}”` : 'All contacts'}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Email</th>
            <th scope="col">{p.words.one}</th>
          </tr>
        </thead>
        <tbody>
          {p.rows.length === 0 ? (
            <tr>
              <td colspan={3}>No contacts match.</td>
            </tr>
          ) : (
            p.rows.map((r) => (
              <tr>
                <td>
                  <a href={`/contacts/${r.id}`}>
                    {r.firstName} {r.lastName}
                  </a>
                </td>
                <td>
                  <EmailAddress address={r.email} />
                </td>
                <td>{r.clientName ?? '—'}</td>
              </tr>
            ))
          )}
        </tbody>
      </table>
    </div>
    <Pager basePath="/contacts" params={{ q: p.q }} page={p.page} pageSize={PAGE_SIZE} total={p.total} />
  </div>
);

export const ContactListPage: FC<{ q: string; canCreate: boolean; children?: unknown }> = (p) => (
  <section>
    <div class="page-head">
      <h1>Contacts</h1>
      {p.canCreate ? (
        <div class="page-actions">
          <a class="button" href="/contacts/new">
            Add contact
          </a>
          <a class="button secondary" href="/contacts/import">
            Import contacts
          </a>
        </div>
      ) : null}
    </div>
    <SearchBox
      action="/contacts"
      id="contact-q"
      label="Search contacts by name or email"
      q={p.q}
      results="contact-results"
    />
    {p.children}
  </section>
);

export interface SummaryValues {
  firstName?: string;
  lastName?: string;
  email?: string;
  /** The client entity's id as chosen in the picker (or NO_CLIENT). */
  client?: string;
  /** The picker's search, as typed. */
  clientQ?: string;
}

export interface DetailsValues {
  phone?: string;
  address?: string;
  notes?: string;
}

const SummaryFields: FC<{ values: SummaryValues; errors: FieldErrors; picker: ClientPickerProps }> = (p) => (
  <>
    <Field
      name="firstName"
      label="First name"
      value={p.values.firstName}
      error={p.errors.firstName}
      autocomplete="off"
      required
    />
    <Field
      name="lastName"
      label="Last name"
      value={p.values.lastName}
      error={p.errors.lastName}
      autocomplete="off"
      required
    />
    <Field
      name="email"
      label="Email (their username)"
      type="email"
      value={p.values.email}
      error={p.errors.email}
      autocomplete="off"
      required
    />
    <ClientPicker {...p.picker} />
  </>
);

const DetailsFields: FC<{ values: DetailsValues; errors: FieldErrors }> = ({ values, errors }) => (
  <>
    <Field name="phone" label="Phone (optional)" value={values.phone} error={errors.phone} />
    <TextArea name="address" label="Address (optional)" value={values.address} error={errors.address} />
    <TextArea name="notes" label="Notes (optional)" value={values.notes} error={errors.notes} />
  </>
);

export const NewContactForm: FC<{
  values: SummaryValues & DetailsValues;
  errors: FieldErrors;
  withDetails: boolean;
  picker: ClientPickerProps;
}> = (p) => (
  <section class="narrow">
    <h1>Add contact</h1>
    <Form action="/contacts">
      <DefaultSubmit text="Add contact" />
      <FormError error={p.errors._form} />
      <SummaryFields values={p.values} errors={p.errors} picker={p.picker} />
      {p.withDetails ? (
        <fieldset class="field">
          <legend>Details</legend>
          <DetailsFields values={p.values} errors={p.errors} />
        </fieldset>
      ) : null}
      <button type="submit">Add contact</button>
    </Form>
  </section>
);

export interface ContactPageProps {
  words: Words;
  contact: Contact;
  /** The client entity's link, when the viewer may open it. */
  clientHref: string | null;
  groups: { id: string; name: string }[];
  showDetails: boolean;
  may: { editSummary: boolean; editDetails: boolean; delete: boolean };
  form?: {
    which: 'summary' | 'details' | 'delete';
    values: SummaryValues & DetailsValues;
    errors: FieldErrors;
  };
  links?: readonly ActionLink[];
  /** The Summary form's client picker, for those who may edit the Summary. */
  picker?: ClientPickerProps;
  children?: unknown;
}

export const ContactPage: FC<ContactPageProps> = (p) => {
  const base = `/contacts/${p.contact.id}`;
  const failed = (which: 'summary' | 'details' | 'delete') =>
    p.form?.which === which ? p.form : { values: {}, errors: {} as FieldErrors };
  const summary = failed('summary');
  const details = failed('details');
  const del = failed('delete');
  const name = `${p.contact.firstName} ${p.contact.lastName}`;
  return (
    <section class="narrow">
      <p>
        <a href="/contacts">All contacts</a>
      </p>
      <h1>{name}</h1>
      <ActionLinks links={p.links ?? []} />

      <h2>Summary</h2>
      {p.may.editSummary && p.picker ? (
        <Form action={`${base}/summary`}>
          <DefaultSubmit text="Save summary" />
          <FormError error={summary.errors._form} />
          <SummaryFields
            values={{ ...p.contact, ...summary.values }}
            errors={summary.errors}
            picker={p.picker}
          />
          <button type="submit">Save summary</button>
        </Form>
      ) : (
        <dl>
          <dt>Name</dt>
          <dd>{name}</dd>
          <dt>Email</dt>
          <dd>
            <EmailAddress address={p.contact.email} />
          </dd>
          <dt>{p.words.one}</dt>
          <dd>
            {p.clientHref ? <a href={p.clientHref}>{p.contact.clientName}</a> : (p.contact.clientName ?? '—')}
          </dd>
        </dl>
      )}
      {p.may.editSummary && p.clientHref ? (
        <p>
          Open <a href={p.clientHref}>{p.contact.clientName}</a>
        </p>
      ) : null}

      {p.showDetails ? (
        <>
          <h2>Details</h2>
          {p.may.editDetails ? (
            <Form action={`${base}/details`}>
              <FormError error={details.errors._form} />
              <DetailsFields values={{ ...p.contact, ...details.values }} errors={details.errors} />
              <button type="submit">Save details</button>
            </Form>
          ) : (
            <dl>
              <dt>Phone</dt>
              <dd>{p.contact.phone || '—'}</dd>
              <dt>Address</dt>
              <dd class="preserve-lines">{p.contact.address || '—'}</dd>
              <dt>Notes</dt>
              <dd class="preserve-lines">{p.contact.notes || '—'}</dd>
            </dl>
          )}
          <h3>Contact groups</h3>
          {p.groups.length === 0 ? (
            <p>Not in any contact group.</p>
          ) : (
            <ul>
              {p.groups.map((g) => (
                <li>
                  <a href={`/contact-groups/${g.id}`}>{g.name}</a>
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}

      {p.children}

      {p.may.delete ? (
        <>
          <h2>Delete</h2>
          <ConfirmDelete
            action={`${base}/delete`}
            confirmLabel={`Yes, delete ${name}, their access and their group memberships`}
            button="Delete contact"
            error={del.errors.confirm}
          />
        </>
      ) : null}
    </section>
  );
};
