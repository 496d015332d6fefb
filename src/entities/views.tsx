/** The entity directory, the new-entity form, and the workspace's Overview and Settings tabs. */
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

/** What was typed into a Settings form that failed, and its errors. */
export interface FailedForm {
  which: 'summary' | 'details' | 'delete';
  values: SummaryValues & DetailsValues;
  errors: FieldErrors;
}

export interface OverviewProps {
  words: Words;
  entity: { id: string; name: string };
  /** Null for someone who may not read them. */
  details: Required<DetailsValues> | null;
  /** May they change the details (on the Settings tab)? */
  editDetails: boolean;
  links: readonly ActionLink[];
  /** What other features show here (the slot 'entity.panels'). */
  panels: readonly Child[];
}

const orDash = (value: string) => value || '—';

/** The Overview tab: the links other features give, their sections, and the details, read only. */
export const EntityOverview: FC<OverviewProps> = (p) => (
  <>
    <ActionLinks links={p.links} />
    {p.panels}
    {p.details ? (
      <section class="panel narrow">
        <h2>Details</h2>
        <dl class="details-list">
          <dt>Email</dt>
          <dd>{orDash(p.details.email)}</dd>
          <dt>Phone</dt>
          <dd>{orDash(p.details.phone)}</dd>
          <dt>Tax number</dt>
          <dd>{orDash(p.details.taxNumber)}</dd>
          <dt>Address</dt>
          <dd class="preserve-lines">{orDash(p.details.address)}</dd>
          <dt>Notes</dt>
          <dd class="preserve-lines">{orDash(p.details.notes)}</dd>
        </dl>
        {p.editDetails ? (
          <p class="panel-foot">
            <a href={`/entities/${p.entity.id}/settings`}>Edit the details</a>
          </p>
        ) : null}
      </section>
    ) : (
      <p>
        You can see that {p.entity.name} is one of the firm’s {p.words.many.toLowerCase()}, and its name, kind
        and reference. Its details are not shared with you.
      </p>
    )}
  </>
);

export interface SettingsProps {
  words: Words;
  entity: { id: string; name: string; kind: EntityKind; reference: string };
  /** Shown for editing when they may read and edit them; otherwise null. */
  details: Required<DetailsValues> | null;
  may: { editSummary: boolean; delete: boolean };
  form?: FailedForm | undefined;
}

/** The Settings tab: the Summary and Details forms and deleting, each only for those who may. */
export const EntitySettings: FC<SettingsProps> = (p) => {
  const base = `/entities/${p.entity.id}`;
  const failed = (which: FailedForm['which']) =>
    p.form?.which === which ? p.form : { values: {}, errors: {} as FieldErrors };
  const summary = failed('summary');
  const details = failed('details');
  const del = failed('delete');
  return (
    <div class="narrow">
      {p.may.editSummary ? (
        <section>
          <h2>Summary</h2>
          <Form action={`${base}/summary`}>
            <FormError error={summary.errors._form} />
            <SummaryFields values={{ ...p.entity, ...summary.values }} errors={summary.errors} />
            <button type="submit">Save summary</button>
          </Form>
        </section>
      ) : null}
      {p.details ? (
        <section>
          <h2>Details</h2>
          <Form action={`${base}/details`}>
            <FormError error={details.errors._form} />
            <DetailsFields values={{ ...p.details, ...details.values }} errors={details.errors} />
            <button type="submit">Save details</button>
          </Form>
        </section>
      ) : null}
      {p.may.delete ? (
        <section class="danger-zone">
          <h2>Delete</h2>
          <ConfirmDelete
            action={`${base}/delete`}
            confirmLabel={`Yes, delete ${p.entity.name} and remove everyone’s access to it`}
            button={`Delete ${p.words.lower}`}
            error={del.errors.confirm}
          />
        </section>
      ) : null}
    </div>
  );
};
