/**
 * /plugins: the Admin sees each enabled plugin, its version, what it registered and its last
 * errors; /plugins/:id/settings: the settings page the host renders from the plugin's fields,
 * validated on save (the plugin stays off until a save passes).
 */
import { Hono } from 'hono';
import type * as v from 'valibot';
import { recordAudit } from '../audit/record.js';
import type { FeatureDeps } from '../host/index.js';
import { setFlash } from '../http/flash.js';
import { readForm, text, validate } from '../http/forms.js';
import { page } from '../http/render.js';
import { auditActor } from '../http/service-ctx.js';
import { formatDateTime } from '../http/time.js';
import { authorize, authorizeOrNotFound } from '../permissions/index.js';
import type { LoadedPlugin } from './loader.js';
import type { PluginSettingsStore } from './settings.js';
import { type PluginRow, PluginSettingsPage, PluginsPage } from './views.js';

export function pluginRoutes(
  { db, host }: FeatureDeps,
  plugins: readonly LoadedPlugin[],
  store: PluginSettingsStore,
): Hono {
  const app = new Hono();
  const find = (id: string) => plugins.find((p) => p.definition.id === id);

  app.get('/plugins', async (c) => {
    authorize(c, 'organization:R');
    const zone = c.get('organization')?.time_zone ?? 'UTC';
    const rows: PluginRow[] = [];
    for (const { definition: d, source } of plugins) {
      const by = d.id;
      rows.push({
        id: by,
        version: d.version,
        source,
        configured: (await store.state(d)).configured,
        hasSettings: d.settings?.fields !== undefined,
        registered: [
          { what: 'Routes', items: host.routes.filter((r) => r.by === by).map((r) => r.prefix) },
          { what: 'Navigation', items: host.nav.addedBy(by) },
          { what: 'Slots', items: host.slots.filledBy(by) },
          { what: 'Events', items: host.events.heardBy(by) },
          { what: 'Filters', items: host.filters.appliedBy(by) },
          {
            what: 'Jobs',
            items: [...host.jobOwners].filter(([, owner]) => owner === by).map(([kind]) => kind),
          },
          { what: 'Schedules', items: host.schedules.ranBy(by) },
          { what: 'Migrations', items: Object.keys(d.migrations ?? {}) },
        ],
        problems: host.problems.of(by).map((p) => ({ ...p, at: formatDateTime(p.at, zone) })),
      });
    }
    return page(c, 'Plugins', <PluginsPage plugins={rows} />);
  });

  /** The plugin and its fields' schema, when it exists and has settings; otherwise a 404. */
  const settingsOf = (id: string) => {
    const plugin = find(id);
    const fields = plugin?.definition.settings?.fields;
    return plugin && fields ? { plugin, fields } : null;
  };

  const render = async (
    id: string,
    values: Record<string, unknown>,
    errors: Record<string, string | undefined>,
    configured: boolean,
  ) => {
    const { plugin, fields } = settingsOf(id)!;
    const labels = plugin.definition.settings?.labels ?? {};
    return (
      <PluginSettingsPage
        id={id}
        configured={configured}
        errors={errors}
        fields={Object.keys(fields.entries).map((name) => ({
          name,
          label: labels[name] ?? name,
          value: typeof values[name] === 'string' ? (values[name] as string) : '',
        }))}
      />
    );
  };

  app.get('/plugins/:id/settings', async (c) => {
    authorizeOrNotFound(c, 'organization:R');
    const found = settingsOf(c.req.param('id'));
    if (!found) return c.notFound();
    const id = found.plugin.definition.id;
    const state = await store.state(found.plugin.definition);
    return page(c, `Settings of ${id}`, await render(id, await store.saved(id), {}, state.configured));
  });

  app.post('/plugins/:id/settings', async (c) => {
    authorizeOrNotFound(c, 'organization:E');
    const found = settingsOf(c.req.param('id'));
    if (!found) return c.notFound();
    const id = found.plugin.definition.id;
    const form = await readForm(c);
    const values = Object.fromEntries(
      Object.keys(found.fields.entries).map((name) => [name, text(form, name)]),
    );
    const parsed = validate(found.fields as v.GenericSchema, values);
    if (!parsed.ok) {
      const state = await store.state(found.plugin.definition);
      return page(c, `Settings of ${id}`, await render(id, values, parsed.errors, state.configured), 422);
    }
    const saved = parsed.value as Record<string, unknown>;
    await db.transaction().execute(async (trx) => {
      await store.save(trx, id, saved);
      await recordAudit(trx, {
        actor: auditActor(c),
        action: 'plugin.settings_changed',
        object: { type: 'plugin', id, label: id },
        after: saved,
        requestId: c.get('requestId'),
      });
    });
    setFlash(c, 'success', `Settings of ${id} saved.`);
    return c.redirect('/plugins', 303);
  });

  return app;
}
