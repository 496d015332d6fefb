/**
 * The example plugin, loaded by name as PLUGINS loads it, through the same harness as the core's
 * tests: off until its setting is saved; then its listener logs each client created (once), its
 * tab shows a client's rows inside the client's workspace, its home-page panel and its page list
 * only clients the reader may see, its footer line ends every email, its colour themes the client
 * portal, and marking the log reviewed writes an audit line.
 */
import { describe, expect, it } from 'vitest';
import { beforeSending, mailJobHandler } from '../../src/mail/send.js';
import { renderEmail } from '../../src/mail/template.js';
import type { Mail, Transport } from '../../src/mail/mail.js';
import { comparable, fieldError } from '../../test/helpers/app.js';
import { DIALECTS } from '../../test/helpers/db.js';
import { bindAtEntity, buildContact, buildEntity, buildStaff, signedIn } from '../../test/helpers/factories.js';
import { useFirm } from '../../test/helpers/firm.js';
import { runUntilIdle } from '../../test/helpers/jobs.js';

describe.each(DIALECTS)('the example plugin (%s)', (dialect) => {
  const firm = useFirm(dialect, { plugins: ['example'] });

  const configure = async () => {
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const saved = await admin.post('/plugins/example/settings', { footer: 'Clearwater Accounting, 1 Quay St' });
    expect(saved.status).toBe(303);
    return admin;
  };

  it('stays off until its setting is saved: no page, no nav item, and the Plugins page says so', async () => {
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    expect((await admin.get('/p/example')).status).toBe(404);
    const home = await (await admin.get('/')).text();
    expect(home).not.toContain('Example log');
    // Nor a tab in a client's workspace, whose address answers 404 too.
    const entity = await buildEntity(firm.db, 'Harbour Bakery');
    expect(await (await admin.get(`/entities/${entity}`)).text()).not.toContain('entity-tab-example-log');
    expect((await admin.get(`/p/example/entities/${entity}`)).status).toBe(404);
    const plugins = await (await admin.get('/plugins')).text();
    expect(plugins).toContain('Not configured');
    expect(plugins).toContain('entity.created');
  });

  it('refuses a blank footer beside its field, keeping nothing, then saves a good one', async () => {
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const bad = await admin.post('/plugins/example/settings', { footer: '   ' });
    expect(bad.status).toBe(422);
    const html = await bad.text();
    expect(fieldError(html, 'f-footer')).toBe('Enter the line to add at the foot of every email.');
    expect(await firm.db.selectFrom('plugin_settings').selectAll().execute()).toEqual([]);
    await configure();
    expect((await admin.get('/p/example')).status).toBe(200);
    expect(await (await admin.get('/plugins')).text()).toContain('Working.');
  });

  it('logs each client created, once, shows it on the client’s Example log tab, and lists it to those who may see it', async () => {
    const admin = await configure();
    const made = await admin.post('/entities', { name: 'Harbour Bakery', kind: 'company', reference: '' });
    expect(made.status).toBe(303);
    const entityPath = made.headers.get('location') ?? '';
    // Not delivered yet: no panel on the home page, and what it kept must not outlive the log.
    expect(await (await admin.get('/')).text()).not.toContain('example-log-title');
    await runUntilIdle(firm.db, firm.assembly.host.jobs);
    expect(await (await admin.get('/')).text()).toContain('example-log-title');
    // A second worker pass over the same event changes nothing.
    await runUntilIdle(firm.db, firm.assembly.host.jobs, Date.now() + 3_600_000);
    const log = await firm.db.selectFrom('example_activity' as never).selectAll().execute();
    expect(log).toHaveLength(1);

    const tab = `<a id="entity-tab-example-log" class="workspace-tab" href="/p/example${entityPath}"`;
    expect(await (await admin.get(entityPath)).text()).toContain(tab);
    const logged = await (await admin.get(`/p/example${entityPath}`)).text();
    expect(logged).toContain('<h1>Harbour Bakery</h1>');
    expect(logged).toMatch(/id="entity-tab-example-log"[^>]*aria-current="page"/);
    expect(logged).toContain('Harbour Bakery was created (logged');
    // The tab is inside Clients, whichever feature drew it: the navigation says so.
    expect(logged).toMatch(/<a href="\/entities" aria-current="page">Clients<\/a>/);
    expect(logged).not.toMatch(/<a href="\/p\/example" aria-current/);
    expect(await (await admin.get('/p/example')).text()).toContain('Harbour Bakery');

    // A staff member who holds nothing at that client does not see it in the log.
    const other = await buildEntity(firm.db, 'Other Client');
    const owner = await buildStaff(firm.db);
    await bindAtEntity(firm.db, { userId: owner.id }, 'owner', other);
    const asOwner = await signedIn(firm.app, firm.db, owner);
    const page = await (await asOwner.get('/p/example')).text();
    expect(page).not.toContain('Harbour Bakery');
    // Nor its tab: the client answers exactly like one that does not exist.
    const hidden = await asOwner.get(`/p/example${entityPath}`);
    const missing = await asOwner.get('/p/example/entities/no-such-client');
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect(comparable(await hidden.text())).toBe(comparable(await missing.text()));
    // Their own client has the tab, with nothing logged (it was made before the plugin heard of it).
    const own = await (await asOwner.get(`/p/example/entities/${other}`)).text();
    expect(own).toContain('Nothing is logged for this client yet');

    // Its home-page panel: the Admin sees the client there; the other staff member has no panel.
    const home = await (await admin.get('/')).text();
    expect(home).toMatch(
      /<h2 id="example-log-title">Example log<\/h2><ul class="panel-list"><li><a href="\/entities\/[^"]+">Harbour Bakery<\/a>/,
    );
    expect(await (await asOwner.get('/')).text()).not.toContain('example-log-title');
  });

  it('adds the footer line to every email it sends, as text in both parts', async () => {
    const admin = await configure();
    await admin.post('/plugins/example/settings', { footer: 'Clearwater <Accounting> & Co, 1 Quay St' });
    const sent: Mail[] = [];
    const transport: Transport = { kind: 'outbox', send: async (m) => {
        sent.push(m);
        return {};
      }, close: async () => {} };
    const email = await renderEmail({ firmName: 'Clearwater', baseUrl: 'http://portico.test', subject: 'Hello', paragraphs: ['Hi.'] });
    await mailJobHandler(transport, beforeSending(firm.assembly.host)).run(
      { to: 'grace@example.com', kind: 'test', ...email },
      { id: 'j1', kind: 'mail.send', attempt: 1, maxAttempts: 1 },
    );
    expect(sent[0]?.text).toMatch(/Sent by Clearwater\.\n\nClearwater <Accounting> & Co, 1 Quay St\n$/);
    expect(sent[0]?.html).toContain(
      '<small>Sent by Clearwater.</small></p><p><small>Clearwater &lt;Accounting&gt; &amp; Co, 1 Quay St</small></p></body>',
    );
  });

  it('gives the client portal the colour an Admin chose, refusing one too light to read', async () => {
    const admin = await configure();
    const light = await admin.post('/plugins/example/settings', { footer: 'Clearwater', portalColour: '#FFD700' });
    expect(light.status).toBe(422);
    expect(fieldError(await light.text(), 'f-portalColour')).toMatch(/^This colour is too light for links on a white page \(contrast 1\.4:1/);
    const entity = await buildEntity(firm.db, 'Harbour Trust');
    const grace = await buildContact(firm.db, entity, { firstName: 'Grace' });
    await firm.db.updateTable('contact_profiles').set({ portal_access: 1 }).where('user_id', '=', grace.id).execute();
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', entity);
    const contact = await signedIn(firm.app, firm.db, grace);
    expect(await (await contact.get('/portal')).text()).not.toContain('/theme.css');

    expect((await admin.post('/plugins/example/settings', { footer: 'Clearwater', portalColour: ' #0B5D1E ' })).status).toBe(303);
    const portal = await (await contact.get('/portal')).text();
    const href = /<link rel="stylesheet" href="(\/theme\.css\?v=[0-9a-f]{12})">/.exec(portal)?.[1];
    expect(href).toBeDefined();
    const sheet = await contact.get(href!);
    expect(sheet.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(sheet.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await sheet.text()).toBe(':root{--color-primary:#0b5d1e}\n');
    // Staff pages keep Portico's own colours.
    expect(await (await admin.get('/')).text()).not.toContain('/theme.css');
  });

  it('an Admin marking the log reviewed writes an audit line naming the plugin', async () => {
    const admin = await configure();
    expect((await admin.post('/p/example/reviewed', {})).status).toBe(303);
    const line = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'plugin.recorded')
      .executeTakeFirstOrThrow();
    expect(line.actor_label).toBe('Plugin example');
    expect(JSON.parse(line.after_json ?? '{}')).toEqual({ plugin: 'example', what: 'Example log reviewed', details: { entries: 0 } });
  });
});
