/** GET /audit: Admins read, filter and page through the append-only audit log. */
import { Hono } from 'hono';
import type { FieldErrors } from '../../views/forms.js';
import type { AppDeps } from '../http/context.js';
import { entityWords } from '../http/entity-words.js';
import { query } from '../http/forms.js';
import { pageOrFragment } from '../http/render.js';
import { nextDay, startOfDay } from '../http/time.js';
import { authorize } from '../permissions/index.js';
import { listAuditEvents, namesOf, parseCursor } from './queries.js';
import { AUDIT_ACTIONS } from './record.js';
import { type AuditFilterValues, AuditPage, AuditResults } from './views.js';
import { idsIn } from './words.js';

export function auditRoutes({ db }: AppDeps): Hono {
  const app = new Hono();

  app.get('/audit', async (c) => {
    authorize(c, 'auditLog:R');
    const timeZone = c.get('organization')?.time_zone ?? 'UTC';
    const q = (name: string) => (query(c, name) ?? '').trim().slice(0, 100);
    const values: AuditFilterValues = {
      action: q('action'),
      actor: q('actor'),
      object: q('object'),
      from: q('from'),
      to: q('to'),
    };
    const errors: FieldErrors = {};
    const from = values.from ? startOfDay(values.from, timeZone) : undefined;
    const toStart = values.to ? startOfDay(values.to, timeZone) : undefined;
    // The end of the "to" day is the start of the next one (a day may be 23 or 25 hours long).
    const toEnd =
      values.to && typeof toStart === 'number' ? startOfDay(nextDay(values.to), timeZone) : undefined;
    if (from === null) errors.from = 'Enter a date like 2026-01-31.';
    if (toStart === null) errors.to = 'Enter a date like 2026-01-31.';
    if (typeof from === 'number' && typeof toStart === 'number' && toStart < from)
      errors.to = 'The end date is before the start date.';
    const action = values.action in AUDIT_ACTIONS ? values.action : '';
    const { events, next } = Object.keys(errors).length
      ? { events: [], next: null }
      : await listAuditEvents(db, {
          action: action || undefined,
          actor: values.actor || undefined,
          object: values.object || undefined,
          from: from ?? undefined,
          to: toEnd ?? undefined,
          before: parseCursor(query(c, 'before')),
        });
    const entity = entityWords(c.get('organization')?.entity_label);
    const words = {
      names: await namesOf(db, idsIn(events.flatMap((e) => [e.before_json, e.after_json]))),
      entitiesWord: entity.many,
      entityWord: entity.one,
    };
    const kept = new URLSearchParams(Object.entries(values).filter(([, v]) => v)).toString();
    const section = (
      <AuditPage values={values} errors={errors} entityWord={entity.one}>
        <AuditResults events={events} next={next} query={kept} timeZone={timeZone} words={words} />
      </AuditPage>
    );
    return pageOrFragment(c, 'Audit log', section, (s) => s, Object.keys(errors).length ? 422 : 200);
  });

  return app;
}
