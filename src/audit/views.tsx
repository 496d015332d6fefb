/** The audit log page: filters, a table of events with what changed, and paging. */
import type { FC } from 'hono/jsx';
import { Field, type FieldErrors, Select } from '../../views/forms.js';
import { SHOW_REFUSALS_IN_MAIN } from '../../views/htmx.js';
import { DataTable } from '../../views/table.js';
import type { AuditEventTable } from '../db/schema.js';
import { formatDateTime } from '../http/time.js';
import { AUDIT_ACTIONS, type AuditAction } from './record.js';

export interface AuditFilterValues {
  action: string;
  actor: string;
  object: string;
  from: string;
  to: string;
}

function changes(before: string | null, after: string | null): string[] {
  const b = before ? (JSON.parse(before) as Record<string, unknown>) : {};
  const a = after ? (JSON.parse(after) as Record<string, unknown>) : {};
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  const show = (x: unknown) =>
    x === undefined ? '—' : Array.isArray(x) ? x.join(', ') || '(none)' : String(x);
  return keys
    .filter((k) => JSON.stringify(b[k]) !== JSON.stringify(a[k]))
    .map((k) => (before ? `${k}: ${show(b[k])} → ${show(a[k])}` : `${k}: ${show(a[k])}`));
}

export const AuditResults: FC<{
  events: AuditEventTable[];
  next: string | null;
  query: string;
  timeZone: string;
}> = (p) => (
  <div id="audit-results">
    <DataTable
      caption={`Audit events, newest first (times in ${p.timeZone})`}
      columns={['When', 'Who', 'What', 'Object', 'Changes']}
    >
      <tbody>
        {p.events.length === 0 ? (
          <tr>
            <td colspan={5}>No events match.</td>
          </tr>
        ) : (
          p.events.map((e) => (
            <tr>
              <td>
                <time datetime={new Date(e.at).toISOString()}>{formatDateTime(e.at, p.timeZone)}</time>
              </td>
              <td>{e.actor_label}</td>
              <td>{AUDIT_ACTIONS[e.action as AuditAction] ?? e.action}</td>
              <td>{e.object_label}</td>
              <td>
                <ul class="changes">
                  {changes(e.before_json, e.after_json).map((line) => (
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

export const AuditPage: FC<{ values: AuditFilterValues; errors: FieldErrors; children?: unknown }> = (p) => (
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
          ...Object.entries(AUDIT_ACTIONS).map(([value, label]) => ({ value, label })),
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
