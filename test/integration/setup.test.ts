/** First-run setup: only with the console's token, creates the firm and first Admin, then refuses. */
import type { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issueSetupToken } from '../../src/setup/service.js';
import { buildApp, Client, fieldError } from '../helpers/app.js';
import { DIALECTS, freshDatabase, snapshot, type TestDb } from '../helpers/db.js';

const GOOD = {
  firmName: 'Clearwater Accounting',
  entityLabel: 'Matter',
  timeZone: 'Australia/Sydney',
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@clearwater.example',
  password: 'a long setup password',
  passwordConfirm: 'a long setup password',
};

describe.each(DIALECTS)('first-run setup (%s)', (dialect) => {
  let t: TestDb;
  let app: Hono;
  let token: string;

  beforeEach(async () => {
    t = await freshDatabase(dialect);
    token = (await issueSetupToken(t.db))!;
    app = buildApp(t.db);
  });
  afterEach(() => t.close());

  it('sends every page to /setup until the firm exists', async () => {
    for (const path of ['/', '/sign-in', '/staff', '/audit']) {
      const res = await new Client(app).get(path);
      expect([path, res.status, res.headers.get('Location')]).toEqual([path, 302, '/setup']);
    }
  });

  it('stores only a hash of the setup token', async () => {
    const rows = await t.db.selectFrom('setup_tokens').selectAll().execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id).not.toContain(token);
  });

  it('refuses a wrong token beside the token field, keeps what was typed and writes nothing', async () => {
    const before = await snapshot(t.db);
    const res = await new Client(app).post('/setup', { ...GOOD, token: 'guessed' });
    const html = await res.text();
    expect(res.status).toBe(422);
    expect(fieldError(html, 'f-token')).toBe(
      'This setup token is not valid. Use the link printed in the server console.',
    );
    expect(html).toContain('value="Clearwater Accounting"');
    expect(html).toContain('value="ada@clearwater.example"');
    expect(html).not.toContain('a long setup password');
    expect(await snapshot(t.db)).toEqual(before);
  });

  it("shows every field's problem at once: a too-short password does not hide the mismatched repeat", async () => {
    const res = await new Client(app).post('/setup', {
      ...GOOD,
      token,
      firmName: ' ',
      email: 'not-an-email',
      password: 'short',
      passwordConfirm: 'shorter',
    });
    const html = await res.text();
    expect(res.status).toBe(422);
    expect({
      firmName: fieldError(html, 'f-firmName'),
      email: fieldError(html, 'f-email'),
      password: fieldError(html, 'f-password'),
      passwordConfirm: fieldError(html, 'f-passwordConfirm'),
    }).toEqual({
      firmName: 'Enter the firm name.',
      email: 'Enter an email address like name@example.com.',
      password: 'Use at least 12 characters.',
      passwordConfirm: 'The two passwords do not match.',
    });
  });

  it.each([
    [{ firmName: '  ' }, 'f-firmName', 'Enter the firm name.'],
    [{ email: 'not-an-email' }, 'f-email', 'Enter an email address like name@example.com.'],
    [{ password: 'short', passwordConfirm: 'short' }, 'f-password', 'Use at least 12 characters.'],
    [{ passwordConfirm: 'something else entirely' }, 'f-passwordConfirm', 'The two passwords do not match.'],
    [{ timeZone: 'Mars/Olympus' }, 'f-timeZone', 'Choose a time zone from the list.'],
    [{ entityLabel: 'Widget' }, 'f-entityLabel', 'Choose Client, Case or Matter.'],
  ])('refuses %o with a message beside the field', async (change, id, message) => {
    const res = await new Client(app).post('/setup', { ...GOOD, token, ...change });
    expect(res.status).toBe(422);
    expect(fieldError(await res.text(), id)).toBe(message);
    expect(await t.db.selectFrom('organization').selectAll().execute()).toEqual([]);
  });

  it('creates the firm and its first Admin, signs them in, and records it', async () => {
    const client = new Client(app);
    const res = await client.post('/setup', { ...GOOD, token });
    expect(res.status).toBe(303);
    const home = await client.get('/');
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain('Clearwater Accounting');
    expect(html).toContain('Welcome, Ada');
    const org = await t.db.selectFrom('organization').selectAll().executeTakeFirstOrThrow();
    expect(org).toMatchObject({
      name: 'Clearwater Accounting',
      entity_label: 'Matter',
      time_zone: 'Australia/Sydney',
    });
    const bindings = await t.db.selectFrom('role_bindings').selectAll().execute();
    expect(bindings.map((b) => [b.role_id, b.scope_type])).toEqual([['admin', 'system']]);
    expect(await t.db.selectFrom('setup_tokens').selectAll().execute()).toEqual([]);
    const audit = await t.db.selectFrom('audit_events').selectAll().execute();
    expect(audit.map((a) => a.action)).toEqual(['setup.completed']);
  });

  it('refuses forever once done, even with the old token', async () => {
    await new Client(app).post('/setup', { ...GOOD, token });
    const before = await snapshot(t.db);
    const again = await new Client(app).post('/setup', {
      ...GOOD,
      token,
      firmName: 'Takeover Ltd',
      email: 'eve@evil.example',
    });
    expect(again.status).toBe(403);
    expect(await again.text()).toContain('already set up');
    expect((await new Client(app).get('/setup')).status).toBe(403);
    expect(await snapshot(t.db)).toEqual(before);
    expect(await issueSetupToken(t.db)).toBeNull();
  });
});
