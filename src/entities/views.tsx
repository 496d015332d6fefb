/** The entity directory, the new-entity form and an entity's page (Summary, Details, delete). */
import type { Child, FC } from 'hono/jsx';
import { type ActionLink, ActionLinks } from '../../views/action-links.js';
import { ConfirmDelete } from '../../views/confirm-delete.js';
import { Field, type FieldErrors, Form, FormError, Select, TextArea } from '../../views/forms.js';
import { Pager } from '../../views/pager.js';
import { SearchBox } from '../../views/search-box.js';
import { DataTable } from '../../views/table.js';
import type { EntityKind } from '../db/schema.js';
import type { entityWords } from '../http/entity-words.js';
import { PAGE_SIZE } from '../http/search.js';
import type { EntityRow } from './queries.js';
import { ENTITY_KINDS } from './schema.js';

type Words = ReturnType<typeof entityWords>;

const KIND_OPTIONS = Object.entries(ENTITY_KINDS).map(([value, label]) => ({ value, label }));

export const EntityResults: FC<{
  rows: EntityRow[];
  q: string;
  page: number;
  total: number;
  words: Words;
}> = (p) => (
  <div id="entity-results">
    <DataTable
      caption={p.q ? `${p.words.many} matching “${p.q}”` : `All ${p.words.many.toLowerCase()}`}
      columns={['Name', 'Kind', 'Reference']}
    >
      <tbody>
        {p.rows.length === 0 ? (
          <tr>
            <td colspan={3}>No {p.words.many.toLowerCase()} match.</td>
          </tr>
        ) : (
          p.rows.map((r) => (
            <tr>
              <td>
                <a href={`/entities/${r.id}`}>{r.name}</a>
              </td>
              <td>{ENTITY_KINDS[r.kind]}</td>
              <td>{r.reference}</td>
            </tr>
          ))
        )}
      </tbody>
    </DataTable>
    <Pager basePath="/entities" params={{ q: p.q }} page={p.page} pageSize={PAGE_SIZE} total={p.total} />
  </div>
);

export const EntityListPage: FC<{ q: string; canCreate: boolean; words: Words; children?: unknown }> = (
  p,
) => (
  <section>
    <div class="page-head">
      <h1>{p.words.many}</h1>
      {p.canCreate ? (
        <div class="page-actions">
          <a class="button" href="/entities/new">
            Add {p.words.lower}
          </a>
          <a class="button secondary" href="/entities/import">
            Import {p.words.many.toLowerCase()}
          </a>
        </div>
      ) : null}
    </div>
    <SearchBox
      action="/entities"
      id="entity-q"
      label={`Search ${p.words.many.toLowerCase()} by name, reference or email`}
      q={p.q}
      results="entity-results"
    />
    {p.children}
  </section>
);

export interface SummaryValues {
  name?: string;
  kind?: string;
  reference?: string;
}

export interface DetailsValues {
  email?: string;
  phone?: string;
  taxNumber?: string;
  address?: string;
  notes?: string;
}

const SummaryFields: FC<{ values: SummaryValues; errors: FieldErrors }> = ({ values, errors }) => (
  <>
    <Field name="name" label="Name" value={values.name} error={errors.name} required />
    <Select
      name="kind"
      label="Kind"
      options={KIND_OPTIONS}
      value={values.kind ?? 'individual'}
      error={errors.kind}
    />
    <Field
      name="reference"
      label="Reference (optional)"
      value={values.reference}
      error={errors.reference}
      hint="Your own code or number for it, up to 50 characters."
    />
  </>
);

const DetailsFields: FC<{ values: DetailsValues; errors: FieldErrors }> = ({ values, errors }) => (
  <>
    <Field name="email" label="Email (optional)" type="email" value={values.email} error={errors.email} />
    <Field name="phone" label="Phone (optional)" value={values.phone} error={errors.phone} />
    <Field name="taxNumber" label="Tax number (optional)" value={values.taxNumber} error={errors.taxNumber} />
    <TextArea name="address" label="Address (optional)" value={values.address} error={errors.address} />
    <TextArea name="notes" label="Notes (optional)" value={values.notes} error={errors.notes} />
  </>
);

export const NewEntityForm: FC<{
  words: Words;
  values: SummaryValues & DetailsValues;
  errors: FieldErrors;
  withDetails: boolean;
}> = (p) => (
  <section class="narrow">
    <h1>Add {p.words.lower}</h1>
    <Form action="/entities">
      <FormError error={p.errors._form} />
      <SummaryFields values={p.values} errors={p.errors} />
      {p.withDetails ? (
        <fieldset class="field">
          <legend>Details</legend>
          <DetailsFields values={p.values} errors={p.errors} />
        </fieldset>
      ) : null}
      <button type="submit">Add {p.words.lower}</button>
    </Form>
  </section>
);

export interface EntityPageProps {
  words: Words;
  entity: { id: string; name: string; kind: EntityKind; reference: string };
  details: Required<DetailsValues> | null;
  may: { editSummary: boolean; editDetails: boolean; delete: boolean };
  /** What was typed into the form that failed, and its errors. */
  form?: {
    which: 'summary' | 'details' | 'delete';
    values: SummaryValues & DetailsValues;
    errors: FieldErrors;
  };
  links?: readonly ActionLink[];
  /** What other features show here (the slot 'entity.panels': "Share in Client Portal"). */
  panels?: readonly Child[];
}

export const EntityPage: FC<EntityPageProps> = (p) => {
  const base = `/entities/${p.entity.id}`;
  const failed = (which: 'summary' | 'details' | 'delete') =>
    p.form?.which === which ? p.form : { values: {}, errors: {} as FieldErrors };
  const summary = failed('summary');
  const details = failed('details');
  const del = failed('delete');
  return (
    <section class="narrow">
      <p>
        <a href="/entities">All {p.words.many.toLowerCase()}</a>
      </p>
      <h1>{p.entity.name}</h1>
      <ActionLinks links={p.links ?? []} />
      {p.panels}

      <h2>Summary</h2>
      {p.may.editSummary ? (
        <Form action={`${base}/summary`}>
          <FormError error={summary.errors._form} />
          <SummaryFields values={{ ...p.entity, ...summary.values }} errors={summary.errors} />
          <button type="submit">Save summary</button>
        </Form>
      ) : (
        <dl>
          <dt>Name</dt>
          <dd>{p.entity.name}</dd>
          <dt>Kind</dt>
          <dd>{ENTITY_KINDS[p.entity.kind]}</dd>
          <dt>Reference</dt>
          <dd>{p.entity.reference || '—'}</dd>
        </dl>
      )}

      {p.details ? (
        <>
          <h2>Details</h2>
          {p.may.editDetails ? (
            <Form action={`${base}/details`}>
              <FormError error={details.errors._form} />
              <DetailsFields values={{ ...p.details, ...details.values }} errors={details.errors} />
              <button type="submit">Save details</button>
            </Form>
          ) : (
            <dl>
              <dt>Email</dt>
              <dd>{p.details.email || '—'}</dd>
              <dt>Phone</dt>
              <dd>{p.details.phone || '—'}</dd>
              <dt>Tax number</dt>
              <dd>{p.details.taxNumber || '—'}</dd>
              <dt>Address</dt>
              <dd class="preserve-lines">{p.details.address || '—'}</dd>
              <dt>Notes</dt>
              <dd class="preserve-lines">{p.details.notes || '—'}</dd>
            </dl>
          )}
        </>
      ) : null}

      {p.may.delete ? (
        <>
          <h2>Delete</h2>
          <ConfirmDelete
            action={`${base}/delete`}
            confirmLabel={`Yes, delete ${p.entity.name} and remove everyone’s access to it`}
            button={`Delete ${p.words.lower}`}
            error={del.errors.confirm}
          />
        </>
      ) : null}
    </section>
  );
};
