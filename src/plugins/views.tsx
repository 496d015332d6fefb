/** The Admin's Plugins page and each plugin's settings page. */
import type { FC } from 'hono/jsx';
import { Field, type FieldErrors, Form, FormError } from '../../views/forms.js';

export interface PluginRow {
  id: string;
  version: string;
  source: string;
  configured: boolean;
  hasSettings: boolean;
  registered: { what: string; items: string[] }[];
  problems: { at: string; where: string; message: string }[];
}

export const PluginsPage: FC<{ plugins: PluginRow[] }> = ({ plugins }) => (
  <section>
    <h1>Plugins</h1>
    {plugins.length === 0 ? (
      <p>No plugins are enabled. The PLUGINS setting of the server lists the ones that run.</p>
    ) : (
      plugins.map((p) => (
        <article class="plugin" aria-labelledby={`plugin-${p.id}`}>
          <h2 id={`plugin-${p.id}`}>
            {p.id} <span class="muted">version {p.version}</span>
          </h2>
          <p>
            {p.configured
              ? 'Working.'
              : 'Not configured: its features stay off until its settings are saved.'}{' '}
            {p.hasSettings ? <a href={`/plugins/${p.id}/settings`}>Settings of {p.id}</a> : null}
          </p>
          <dl>
            <dt>From</dt>
            <dd>{p.source}</dd>
            {p.registered.map((r) => (
              <>
                <dt>{r.what}</dt>
                <dd>{r.items.length ? r.items.join(', ') : 'none'}</dd>
              </>
            ))}
          </dl>
          <h3>Last errors</h3>
          {p.problems.length === 0 ? (
            <p>None.</p>
          ) : (
            <ul>
              {p.problems.map((e) => (
                <li>
                  <time>{e.at}</time> {e.where}: {e.message}
                </li>
              ))}
            </ul>
          )}
        </article>
      ))
    )}
  </section>
);

export const PluginSettingsPage: FC<{
  id: string;
  fields: { name: string; label: string; value: string }[];
  errors: FieldErrors;
  configured: boolean;
}> = (p) => (
  <section class="narrow">
    <p>
      <a href="/plugins">All plugins</a>
    </p>
    <h1>Settings of {p.id}</h1>
    {p.configured ? null : <p>Not configured yet: its features are off until these settings are saved.</p>}
    <Form action={`/plugins/${p.id}/settings`}>
      <FormError error={p.errors._form} />
      {p.fields.map((f) => (
        <Field name={f.name} label={f.label} value={f.value} error={p.errors[f.name]} />
      ))}
      <button type="submit">Save settings</button>
    </Form>
  </section>
);
