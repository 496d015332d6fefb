/**
 * Every kind of audit event reads as words a firm's Admin understands. A firm's day is played
 * through the real routes (setup, every form as an Admin, an import, sharing, signing out), so each
 * action kind the app knows is written as the app writes it; then the audit log is read page by
 * page. No change may show "[object Object]", a raw id, a programmer's key ("contactId",
 * "bulkAssignees") or a bare true/false. A new action kind fails this test until the day includes it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Hono } from 'hono';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { assemble, createApp } from '../../src/app.js';
import { AUDIT_ACTIONS } from '../../src/audit/record.js';
import { passwordResetRequestHandler } from '../../src/auth/password-reset.js';
import type { User } from '../../src/db/schema.js';
import { rescanPending } from '../../src/files/rescan.js';
import type { ClamdAddress } from '../../src/kernel/config.js';
import { silentLogger } from '../../src/kernel/log.js';
import { recordSent } from '../../src/mail/deliveries/index.js';
import { loadPlugins, migratePlugin, pluginsFrom } from '../../src/plugins/index.js';
import { issueSetupToken } from '../../src/setup/service.js';
import { DiskBlobStore } from '../../src/storage/disk.js';
import { Client, fileForm, testConfig } from '../helpers/app.js';
import { clamdMissing, EICAR, startClamd, type TestClamd } from '../helpers/clamd.js';
import { DIALECTS, freshDatabase, type TestDb } from '../helpers/db.js';
import { buildContact, buildStaff, PASSWORD, signedIn } from '../helpers/factories.js';
import { postWebhook, resendEvent, webhookMail } from '../helpers/resend-webhook.js';
import { buildWorld, deletesLast, routesOf, send } from '../helpers/route-walk.js';

const ADMIN = {
  firmName: 'Clearwater Accounting',
  entityLabel: 'Client',
  timeZone: 'UTC',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@clearwater.example',
  password: PASSWORD,
  passwordConfirm: PASSWORD,
};

/** Routes the day plays on its own terms, or not at all (they end the session or need a token). */
const NOT_WALKED = new Set([
  'POST /setup',
  'POST /sign-in',
  'POST /sign-out',
  'POST /account/sign-out-others',
  'POST /account/password',
  'POST /entities/import/confirm',
  'POST /contacts/import/confirm',
]);

interface Row {
  what: string;
  changes: string[];
}

const decode = (s: string) =>
  s
    .replace(/<[^>]+>/g, '')
    .replaceAll('&amp;', '&')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .trim();

function rowsOf(html: string): Row[] {
  const body = html.slice(html.search(/<tbody[ >]/), html.indexOf('</tbody>'));
  return [...body.matchAll(/<tr[^>]*>([\s\S]*?)<\/tr>/g)].map(([, tr]) => {
    const cells = [...tr!.matchAll(/<td[^>]*>([\s\S]*?)<\/td>/g)].map((m) => m[1]!);
    const changes = [...(cells[4] ?? '').matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => decode(m[1]!));
    return { what: decode(cells[2] ?? ''), changes };
  });
}

async function importPreviewAndConfirm(client: Client, base: string, csv: string): Promise<void> {
  const preview = await client.post(base, fileForm(csv));
  const html = await preview.clone().text();
  const id = html.match(/name="id" value="([^"]+)"/)?.[1];
  if (!id) throw new Error(`no preview from ${base}: ${preview.status} ${html.slice(0, 3000)}`);
  const done = await client.post(`${base}/confirm`, { id, rows: 'all' });
  expect(done.status).toBe(303);
}

/** The virus check's two audit lines need a real clamd; without one (never in CI) the day skips them, saying so. */
const noClamd = clamdMissing();
const SCAN_ACTIONS = new Set(['file.infected_refused', 'file.infected_removed']);

describe.each(DIALECTS)('the audit log in words (%s)', (dialect) => {
  let t: TestDb;
  let app: Hono;
  let clamd: TestClamd | null = null;
  // The app reaches clamd through this link; removing it is clamd going down.
  let linkDir: string;
  let link: ClamdAddress & { kind: 'unix' };
  let dataDir: string;

  beforeAll(async () => {
    if (!noClamd) clamd = await startClamd();
  });
  afterAll(() => clamd?.stop());

  beforeEach(async () => {
    t = await freshDatabase(dialect);
    // With the example plugin, whose settings and audit line are part of the day.
    const loaded = await loadPlugins(['example'], {});
    for (const { definition } of loaded) await migratePlugin(t.db, definition);
    linkDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-words-'));
    dataDir = path.join(linkDir, 'data');
    link = { kind: 'unix', path: path.join(linkDir, 'clamd.ctl') };
    if (clamd) fs.symlinkSync(clamd.unix.path, link.path);
    const config = testConfig({ dataDir, mail: webhookMail(), ...(clamd ? { clamd: link } : {}) });
    const deps = { config, db: t.db, log: silentLogger };
    app = createApp(deps, assemble(deps, pluginsFrom(loaded, t.db)));
  });
  afterEach(async () => {
    await t.close();
    fs.rmSync(linkDir, { recursive: true, force: true });
  });

  /** An infected upload refused; one that came while clamd was down, removed by the rescan. */
  async function playTheVirusCheck(client: Client, entity: string): Promise<void> {
    if (!clamd) return;
    await client.post(`/entities/${entity}/files`, fileForm(EICAR, 'eicar.txt', 'files'));
    fs.rmSync(link.path);
    await client.post(`/entities/${entity}/files`, fileForm(`late ${EICAR}`, 'late.txt', 'files'));
    fs.symlinkSync(clamd.unix.path, link.path);
    await rescanPending(t.db, new DiskBlobStore(dataDir), link, silentLogger);
  }

  async function playTheDay(): Promise<void> {
    const token = (await issueSetupToken(t.db))!;
    const client = new Client(app);
    expect((await client.post('/setup', { ...ADMIN, token })).status).toBe(303);
    await client.post('/sign-out', {});
    expect((await client.post('/sign-in', { email: ADMIN.email, password: PASSWORD })).status).toBe(303);
    const admin = (await t.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', ADMIN.email)
      .executeTakeFirstOrThrow()) as User;
    const world = await buildWorld(t.db, admin);

    // First what the walk's bodies leave out (the walk may take the Admin's own roles away):
    // someone other than oneself disabled and enabled again, a client shared, imports.
    await client.post(`/staff/${world.staff}/disable`, {});
    // The right password for a disabled account: refused, and the refusal audited.
    const disabled = await t.db
      .selectFrom('users')
      .select('email')
      .where('id', '=', world.staff)
      .executeTakeFirstOrThrow();
    expect(
      (await new Client(app).post('/sign-in', { email: disabled.email, password: PASSWORD })).status,
    ).toBe(422);
    await client.post(`/staff/${world.staff}/enable`, {});
    const contact = await buildContact(t.db, world.entity);
    await client.post(`/entities/${world.entity}/client-portal`, {
      contacts: [contact.id],
      contactsShown: [contact.id],
    });
    await client.post(`/entities/${world.entity}/client-portal`, {
      contacts: [],
      contactsShown: [contact.id],
    });
    await importPreviewAndConfirm(
      client,
      '/entities/import',
      'name,kind,reference\nHarbour Trust,trust,H1\n',
    );
    await importPreviewAndConfirm(
      client,
      '/contacts/import',
      'first_name,last_name,email,client\nMary,Jackson,mary@harbour.example,H1\n',
    );
    await client.post(`/staff/${world.staff}/password-link`, {});
    // A staff member invited by email, the invitation resent, and a forgotten password asked for
    // (answered by the job the request queues, as the worker would).
    await client.post('/staff', {
      firstName: 'Linus',
      lastName: 'Pauling',
      email: 'linus@clearwater.example',
      signIn: 'link',
    });
    const linus = await t.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'linus@clearwater.example')
      .executeTakeFirstOrThrow();
    expect((await client.post(`/staff/${linus.id}/invitation`, {})).status).toBe(200);
    expect(
      (await new Client(app).post('/forgot-password', { email: 'linus@clearwater.example' })).status,
    ).toBe(200);
    await passwordResetRequestHandler(t.db, testConfig().baseUrl).run(
      { email: 'linus@clearwater.example', firmName: ADMIN.firmName },
      { id: 'reset', kind: 'password.reset_request', attempt: 1, maxAttempts: 1 },
    );
    const harbour = await t.db
      .selectFrom('entities')
      .select('id')
      .where('name', '=', 'Harbour Trust')
      .executeTakeFirstOrThrow();
    const mary = await t.db
      .selectFrom('users')
      .select('id')
      .where('email', '=', 'mary@harbour.example')
      .executeTakeFirstOrThrow();
    expect(
      (
        await client.post('/portals', {
          name: 'Harbour',
          entities: [harbour.id],
          [`access-${mary.id}`]: 'contributor',
        })
      ).status,
    ).toBe(303);
    await client.post(`/settings/roles/${world.role}`, {
      name: 'Senior bookkeepers',
      kind: 'staff',
      permissions: ['tag:C', 'file:R', 'file:E'],
    });
    await client.post(`/settings/roles/${world.role}/delete`, { confirm: 'yes' });
    await client.post(`/contacts/${mary.id}/delete`, { confirm: 'yes' });
    await client.post('/entities', { name: 'Short Lived Pty Ltd', kind: 'company', reference: 'SL1' });
    const shortLived = await t.db
      .selectFrom('entities')
      .select('id')
      .where('name', '=', 'Short Lived Pty Ltd')
      .executeTakeFirstOrThrow();
    await client.post(`/entities/${shortLived.id}/delete`, { confirm: 'yes' });
    await client.post('/account/password', {
      currentPassword: PASSWORD,
      password: 'another long password',
      passwordConfirm: 'another long password',
    });
    await client.post('/account/sign-out-others', {});
    expect((await client.post('/plugins/example/settings', { footer: 'Clearwater Accounting' })).status).toBe(
      303,
    );
    expect((await client.post('/p/example/reviewed', {})).status).toBe(303);
    // A second upload of the walked file's name is its new version; reading it is a download.
    const again = fileForm('second', 'walked.txt', 'files');
    expect((await client.post(`/entities/${world.entity}/files?folder=${world.folder}`, again)).status).toBe(
      303,
    );
    expect((await client.get(`/files/${world.file}/download`)).status).toBe(200);
    expect((await client.get(`/folders/${world.folder}/zip`)).status).toBe(200);
    // A folder made, moved into the walked folder and out again (which the walk deletes once empty).
    await client.post(`/entities/${world.entity}/files/folders`, { folderName: 'Moved along' });
    const moving = await t.db
      .selectFrom('folders')
      .select('id')
      .where('name', '=', 'Moved along')
      .executeTakeFirstOrThrow();
    for (const to of [world.folder, ''])
      expect((await client.post(`/folders/${moving.id}/move`, { to })).status).toBe(303);
    await playTheVirusCheck(client, world.entity);
    // The world's email, as if Resend had accepted it; then it bounced (Resend's webhook).
    await recordSent(t.db, world.mail, 'resend-bounced-on-the-day');
    const bounce = resendEvent('email.bounced', 'resend-bounced-on-the-day', {
      bounce: { type: 'Permanent', subType: 'General', message: '550 5.1.1 No such mailbox' },
    });
    expect((await postWebhook(app, bounce)).status).toBe(200);
    for (const route of deletesLast(routesOf(app))) {
      if (route.method === 'GET' || NOT_WALKED.has(route.key)) continue;
      await send(client, route, world);
    }
    await client.post('/sign-out', {});
  }

  it('every action kind is written by the day, and each reads as words', async () => {
    await playTheDay();
    const client = await signedIn(app, t.db, await buildStaff(t.db, ['admin']));
    const rows: Row[] = [];
    let next: string | null = '/audit';
    while (next) {
      const html = await (await client.get(next)).text();
      rows.push(...rowsOf(html));
      next =
        html
          .match(/<a href="(\/audit\?[^"]*before=[^"]+)">Older events<\/a>/)?.[1]
          ?.replaceAll('&amp;', '&') ?? null;
    }

    // Actions read in the firm's word: "Matter created" once the walk has renamed clients matters.
    const org = await t.db.selectFrom('organization').select('entity_label').executeTakeFirstOrThrow();
    console.log(rows.map((r) => `${r.what}: ${r.changes.join(' | ')}`).join('\n'));
    const seen = new Set(rows.map((r) => r.what));
    const missing = Object.entries(AUDIT_ACTIONS)
      .filter(([action]) => clamd || !SCAN_ACTIONS.has(action))
      .map(([, label]) => label.replace('Entity', org.entity_label))
      .filter((label) => !seen.has(label));
    expect(missing).toEqual([]);

    const ids = new Set<string>();
    for (const table of ['users', 'groups', 'entities', 'roles', 'portals', 'role_bindings'] as const) {
      for (const r of await t.db.selectFrom(table).select('id').execute()) ids.add(r.id);
    }
    const unreadable = rows.flatMap((r) =>
      r.changes
        .filter(
          (line) =>
            line.includes('[object') ||
            /\b(true|false|null|undefined)\b/.test(line) ||
            !/^[A-Z][a-z]*( ([a-z]+|[A-Z][a-z]*))*: /.test(line) ||
            [...ids].some((id) => line.includes(id)),
        )
        .map((line) => `${r.what}: ${line}`),
    );
    expect(unreadable).toEqual([]);
  });
});
