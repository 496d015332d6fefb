/** The audit log page: filters, a table of events with what changed, and paging. */
import type { FC } from 'hono/jsx';
import { Field, type FieldErrors, Select } from '../../views/forms.js';
import { SHOW_REFUSALS_IN_MAIN } from '../../views/htmx.js';
import { DataTable, STACKED_CELL, STACKED_ROW, STACKED_ROWGROUP } from '../../views/table.js';
import type { AuditEventTable } from '../db/schema.js';
import { formatDateTime } from '../http/time.js';
import { AUDIT_ACTIONS, type AuditAction } from './record.js';
import { type AuditWords, changeLines } from './words.js';

export interface AuditFilterValues {
  action: string;
  actor: string;
  object: string;
  from: string;
  to: string;
}

/** The action's label in the firm's word: "Client created" where clients are called clients. */
const actionLabel = (action: string, entityWord: string) =>
  (AUDIT_ACTIONS[action as AuditAction] ?? action).replace(/\bEntity\b/, entityWord);

export const AuditResults: FC<{
  events: AuditEventTable[];
  next: string | null;
  query: string;
  timeZone: string;
  words: AuditWords & { entityWord: string };
}> = (p) => (
  <div id="audit-results">
    <DataTable
      caption={`Audit events, newest first (times in ${p.timeZone})`}
      columns={['When', 'Who', 'What', 'Object', 'Changes']}
      stacked
    >
      <tbody {...STACKED_ROWGROUP}>
        {p.events.length === 0 ? (
          <tr {...STACKED_ROW}>
            <td {...STACKED_CELL} colspan={5}>
              No events match.
            </td>
          </tr>
        ) : (
          p.events.map((e) => (
            <tr {...STACKED_ROW}>
              <td {...STACKED_CELL} data-label="When">
                <time datetime={new Date(e.at).toISOString()}>{formatDateTime(e.at, p.timeZone)}</time>
              </td>
              <td {...STACKED_CELL} data-label="Who">
                {e.actor_label}
              </td>
              <td {...STACKED_CELL} data-label="What">
                {actionLabel(e.action, p.words.entityWord)}
              </td>
              <td {...STACKED_CELL} data-label="Object">
                {e.object_label}
              </td>
              <td {...STACKED_CELL} data-label="Changes">
                <ul class="changes">
                  {changeLines(e.before_json, e.after_json, p.words).map((line) => (
                    <li>{line}</li>
                  ))}
                </ul>
              </td>
            </tr>
          ))
        )}
      </tbody>
    </DataTable>
    <nav class="pager" aria-label="Pages">
      {p.query ? <a href={`/audit?${p.query}`}>Newest events</a> : <a href="/audit">Newest events</a>}
      {p.next ? <a href={`/audit?${p.query ? `${p.query}&` : ''}before=${p.next}`}>Older events</a> : null}
    </nav>
  </div>
);

export const AuditPage: FC<{
  values: AuditFilterValues;
  errors: FieldErrors;
  entityWord: string;
  children?: unknown;
}> = (p) => (
  <section id="audit">
    <h1>Audit log</h1>
    {/* htmx swaps the whole section, so errors beside the date fields show as they do without it. */}
    <form
      method="get"
      action="/audit"
      class="filters"
      hx-get="/audit"
      hx-target="#audit"
      hx-swap="outerHTML"
      {...SHOW_REFUSALS_IN_MAIN}
      hx-push-url="true"
    >
      <Select
        name="action"
        label="Action"
        value={p.values.action}
        options={[
          { value: '', label: 'Any action' },
          ...Object.keys(AUDIT_ACTIONS).map((value) => ({ value, label: actionLabel(value, p.entityWord) })),
        ]}
      />
      <Field name="actor" label="Who (name or email)" type="search" value={p.values.actor} />
      <Field name="object" label="Object (name or email)" type="search" value={p.values.object} />
      <Field name="from" label="From date" type="date" value={p.values.from} error={p.errors.from} />
      <Field name="to" label="To date" type="date" value={p.values.to} error={p.errors.to} />
      <button type="submit">Filter</button>
    </form>
    {p.children}
  </section>
);
