/** /settings: the firm's name, the label used for entities, and its time zone (Settings Admin). */

import { Hono } from 'hono';
import type { FC } from 'hono/jsx';
import { Field, type FieldErrors, Form, Select } from '../../views/forms.js';
import { recordAudit } from '../audit/record.js';
import type { RouteDeps } from '../http/context.js';
import { setFlash } from '../http/flash.js';
import { readForm, text, validate } from '../http/forms.js';
import { page } from '../http/render.js';
import { auditActor } from '../http/service-ctx.js';
import { type Actor, authorize, can } from '../permissions/index.js';
import { updateOrganization } from './queries.js';
import { ENTITY_LABELS, settingsSchema, timeZones } from './schema.js';
import type { SettingsLink } from './slots.js';

interface Values {
  firmName: string;
  entityLabel: string;
  timeZone: string;
}

const SettingsForm: FC<{
  values: Values;
  errors: FieldErrors;
  canEdit: boolean;
  links: readonly SettingsLink[];
}> = ({ values, errors, canEdit, links }) => (
  <section class="narrow">
    <h1>Settings</h1>
    {canEdit ? (
      <Form action="/settings">
        <Field name="firmName" label="Firm name" value={values.firmName} error={errors.firmName} required />
        <Select
          name="entityLabel"
          label="Label for client workspaces"
          options={ENTITY_LABELS.map((l) => ({ value: l, label: `${l} / ${l}s` }))}
          value={values.entityLabel}
          error={errors.entityLabel}
        />
        <Select
          name="timeZone"
          label="Time zone"
          options={[...timeZones()].sort().map((z) => ({ value: z, label: z }))}
          value={values.timeZone}
          error={errors.timeZone}
        />
        <button type="submit">Save settings</button>
      </Form>
    ) : (
      <dl>
        <dt>Firm name</dt>
        <dd>{values.firmName}</dd>
        <dt>Label for client workspaces</dt>
        <dd>{values.entityLabel}</dd>
        <dt>Time zone</dt>
        <dd>{values.timeZone}</dd>
      </dl>
    )}
    {links.length ? (
      <>
        <h2>More settings</h2>
        <ul>
          {links.map((l) => (
            <li>
              <a href={l.href}>{l.label}</a>: {l.about}
            </li>
          ))}
        </ul>
      </>
    ) : null}
  </section>
);

export function settingsRoutes({ db, organization, host }: RouteDeps): Hono {
  const app = new Hono();
  const linksFor = (actor: Actor) => host.slots.fill('settings.links', { actor });

  app.get('/settings', async (c) => {
    const actor = authorize(c, 'organization:R');
    const org = c.get('organization')!;
    return page(
      c,
      'Settings',
      <SettingsForm
        values={{ firmName: org.name, entityLabel: org.entity_label, timeZone: org.time_zone }}
        errors={{}}
        canEdit={can(actor, 'organization:E')}
        links={await linksFor(actor)}
      />,
    );
  });

  app.post('/settings', async (c) => {
    const actor = authorize(c, 'organization:E');
    const form = await readForm(c);
    const values = {
      firmName: text(form, 'firmName'),
      entityLabel: text(form, 'entityLabel'),
      timeZone: text(form, 'timeZone'),
    };
    const parsed = validate(settingsSchema, values);
    if (!parsed.ok)
      return page(
        c,
        'Settings',
        <SettingsForm values={values} errors={parsed.errors} canEdit links={await linksFor(actor)} />,
        422,
      );
    const next = parsed.value;
    await db.transaction().execute(async (trx) => {
      // The row as it is now, not as this process last cached it, for the audit's "before".
      const org = await updateOrganization(trx, next);
      await recordAudit(trx, {
        actor: auditActor(c),
        action: 'organization.updated',
        object: { type: 'organization', id: '1', label: next.firmName },
        before: { firmName: org.name, entityLabel: org.entity_label, timeZone: org.time_zone },
        after: next,
        requestId: c.get('requestId'),
      });
    });
    organization.forget();
    setFlash(c, 'success', 'Settings saved.');
    return c.redirect('/settings', 303);
  });

  return app;
}
