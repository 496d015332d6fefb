/** The Settings page (Settings Admin) and the append-only audit log (Admins read, filter, page). */
import { sql } from 'kysely';
import { beforeEach, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/audit/record.js';
import type { User } from '../../src/db/schema.js';
import { fieldError } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { buildStaff, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';

describe.each(DIALECTS)('settings (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let settingsAdmin: User;

  beforeEach(async () => {
    await buildStaff(firm.db, ['admin']);
    settingsAdmin = await buildStaff(firm.db, ['settings_admin']);
  });

  it('a Settings Admin renames the firm, picks the entity label and time zone, and it shows everywhere', async () => {
    const client = await signedIn(firm.app, firm.db, settingsAdmin);
    const res = await client.post('/settings', {
      firmName: 'Harbour Legal',
      entityLabel: 'Matter',
      timeZone: 'Pacific/Auckland',
    });
    expect(res.status).toBe(303);
    const home = await (await client.get('/')).text();
    expect(home).toContain('Harbour Legal');
    const org = await firm.db.selectFrom('organization').selectAll().executeTakeFirstOrThrow();
    expect([org.entity_label, org.time_zone]).toEqual(['Matter', 'Pacific/Auckland']);
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'organization.updated')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.before_json!).firmName).toBe('Clearwater Accounting');
    expect(JSON.parse(audit.after_json!).firmName).toBe('Harbour Legal');
  });

  it('refuses a blank name and an unknown time zone beside each field, keeping the rest', async () => {
    const client = await signedIn(firm.app, firm.db, settingsAdmin);
    const res = await client.post('/settings', {
      firmName: ' ',
      entityLabel: 'Case',
      timeZone: 'Nowhere/Land',
    });
    const html = await res.text();
    expect(res.status).toBe(422);
    expect(fieldError(html, 'f-firmName')).toBe('Enter the firm name.');
    expect(html).toMatch(/<option value="Case" selected/);
    expect((await firm.db.selectFrom('organization').select('name').executeTakeFirstOrThrow()).name).toBe(
      'Clearwater Accounting',
    );
  });

  it('shows Settings in the navigation only to those who may use it', async () => {
    const worker = await buildStaff(firm.db, []);
    expect(await (await (await signedIn(firm.app, firm.db, settingsAdmin)).get('/')).text()).toContain(
      'href="/settings"',
    );
    expect(await (await (await signedIn(firm.app, firm.db, worker)).get('/')).text()).not.toContain(
      'href="/settings"',
    );
  });
});

describe.each(DIALECTS)('audit log (%s)', (dialect) => {
  const firm = useFirm(dialect);

  const event = (i: number, action: 'user.created' | 'group.created', at: number) =>
    recordAudit(firm.db, {
      actor: {
        id: firm.admin.id,
        label: i % 2 ? 'Ada Admin <ada@example.com>' : 'Sam Staff <sam@example.com>',
      },
      action,
      object: { type: 'user', id: `u${i}`, label: `Object ${i}` },
      after: { n: i },
      at,
    });

  it('refuses updates and deletes at the database itself', async () => {
    await event(1, 'user.created', Date.now());
    await expect(firm.db.updateTable('audit_events').set({ action: 'forged' }).execute()).rejects.toThrow(
      /append-only/,
    );
    await expect(firm.db.deleteFrom('audit_events').execute()).rejects.toThrow(/append-only/);
    if (dialect === 'postgres') {
      await expect(sql`truncate audit_events`.execute(firm.db)).rejects.toThrow(/append-only/);
    }
    expect(await firm.db.selectFrom('audit_events').selectAll().execute()).toHaveLength(1);
  });

  it('pages newest first, 50 at a time, without repeating or skipping', async () => {
    const base = Date.UTC(2026, 0, 10);
    for (let i = 0; i < 120; i++) await event(i, 'user.created', base + Math.floor(i / 3) * 1000);
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const seen: string[] = [];
    let url: string | null = '/audit';
    while (url) {
      const html: string = await (await client.get(url)).text();
      seen.push(...[...html.matchAll(/<td[^>]*>(Object \d+)<\/td>/g)].map((m) => m[1]!));
      url =
        html.match(/href="(\/audit\?[^"]*before=[^"]+)">Older events/)?.[1]?.replaceAll('&amp;', '&') ?? null;
    }
    expect(seen).toHaveLength(120);
    expect(new Set(seen).size).toBe(120);
    expect(seen[0]).toBe('Object 119');
  });

  it('filters by action, by who, and by date in the firm time zone', async () => {
    await event(1, 'user.created', Date.UTC(2026, 2, 1, 12));
    await event(2, 'group.created', Date.UTC(2026, 2, 2, 12));
    await event(3, 'user.created', Date.UTC(2026, 2, 3, 12));
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const objects = async (q: string) =>
      [...(await (await client.get(`/audit?${q}`)).text()).matchAll(/<td[^>]*>(Object \d+)<\/td>/g)].map(
        (m) => m[1],
      );
    expect(await objects('action=group.created')).toEqual(['Object 2']);
    expect(await objects('actor=ada')).toEqual(['Object 3', 'Object 1']);
    expect(await objects('from=2026-03-02&to=2026-03-02')).toEqual(['Object 2']);
    expect(await objects('object=object%203')).toEqual(['Object 3']);
  });

  it('says clearly when a date is not a date', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const res = await client.get('/audit?from=yesterday');
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), 'f-from')).toBe('Enter a date like 2026-01-31.');
  });

  it('shows a bad date beside its field when the filter is sent by htmx too', async () => {
    const client = await signedIn(firm.app, firm.db, firm.admin);
    const res = await client.get('/audit?from=nope', { 'HX-Request': 'true' });
    const html = await res.text();
    expect(res.status).toBe(422);
    expect(html.startsWith('<section id="audit">')).toBe(true);
    expect(fieldError(html, 'f-from')).toBe('Enter a date like 2026-01-31.');
  });

  it('only Admins can read it', async () => {
    for (const role of ['staff_admin', 'settings_admin', 'entities_admin']) {
      const client = await signedIn(firm.app, firm.db, await buildStaff(firm.db, [role]));
      expect([role, (await client.get('/audit')).status]).toEqual([role, 403]);
    }
    const admin = await signedIn(firm.app, firm.db, await buildStaff(firm.db, ['admin']));
    const res = await admin.get('/audit');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('<h1>Audit log</h1>');
  });
});
