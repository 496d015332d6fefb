/**
 * "Forgot your password?" for staff: one answer for every address (only an enabled staff member is
 * emailed), rate limited per address and per client, a link that works once and for an hour, and
 * choosing a password through it ends every session and voids every other link.
 */
import { describe, expect, it } from 'vitest';
import {
  PASSWORD_RESET_TTL,
  passwordResetRequestHandler,
  sendPasswordReset,
} from '../../src/auth/password-reset.js';
import { createPasswordToken } from '../../src/auth/password-tokens.js';
import type { User } from '../../src/db/schema.js';
import { claimJobs, type JobHandlers, retryDelay, runClaimed } from '../../src/jobs/worker.js';
import { silentLogger } from '../../src/kernel/log.js';
import { hashToken } from '../../src/kernel/tokens.js';
import { Client, comparable, fieldError, testConfig } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { buildContact, buildEntity, buildStaff, PASSWORD, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { queuedMails } from '../helpers/mail.js';

const LINK = /http:\/\/portico\.test\/set-password\/([a-z0-9]{32})/;
const SENT =
  'If that is the email of a staff account here, a link to choose a new password is on its way. Check your email: the link lasts 1 hour.';

describe.each(DIALECTS)('forgot password (%s)', (dialect) => {
  const firm = useFirm(dialect, {
    admin: { firstName: 'Ada', lastName: 'Admin', email: 'ada@clearwater.example' },
  });

  const ask = (email: string, ip = '203.0.113.7') =>
    new Client(firm.app).post('/forgot-password', { email }, { 'X-Forwarded-For': ip });

  /** Answers the reset requests waiting in the queue, as the worker would. */
  async function answerRequests() {
    const handlers: JobHandlers = {
      'password.reset_request': passwordResetRequestHandler(firm.db, testConfig().baseUrl),
    };
    const now = Date.now();
    const ctx = {
      db: firm.db,
      log: silentLogger,
      handlers,
      workerId: 'test',
      backoff: retryDelay,
      now: () => now,
    };
    for (const job of await claimJobs(firm.db, 'test', ['password.reset_request'], 100, now, 60_000))
      await runClaimed(ctx, job);
  }
  const mails = async () => {
    await answerRequests();
    return queuedMails(firm.db);
  };
  const lastToken = async () => {
    const token = (await mails()).at(-1)?.text.match(LINK)?.[1];
    if (!token) throw new Error('no reset link was emailed');
    return token;
  };
  const choose = (token: string, password = 'a brand new password', client = new Client(firm.app)) =>
    client.post(`/set-password/${token}`, { password, passwordConfirm: password });
  const sessionsOf = (user: User) =>
    firm.db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();

  it('the sign-in page links to “Forgot your password?”, a page that works without JavaScript', async () => {
    const signIn = await (await new Client(firm.app).get('/sign-in')).text();
    expect(signIn).toContain('<a href="/forgot-password">Forgot your password?</a>');
    const res = await new Client(firm.app).get('/forgot-password');
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<h1>Forgot your password?</h1>');
    expect(html).toMatch(/<form method="post" action="\/forgot-password"/);
    expect(html).toContain('<label for="f-email">Email</label>');
  });

  it('a staff member asks for a reset and is emailed a link from BASE_URL that lasts an hour; only its hash is kept', async () => {
    const res = await ask('ADA@clearwater.example', '203.0.113.7');
    expect(res.status).toBe(200);
    expect(await res.text()).toContain(SENT);
    const [mail, ...more] = await mails();
    expect(more).toEqual([]);
    expect(mail?.to).toBe('ada@clearwater.example');
    expect(mail?.kind).toBe('password-reset');
    expect(mail?.subject).toBe('Clearwater Accounting: reset your Portico password');
    expect(mail?.text).toMatch(/Choose a new password: http:\/\/portico\.test\/set-password\/[a-z0-9]{32}\n/);
    expect(mail?.text).toContain('The link works once and lasts 1 hour.');
    expect(mail?.html).toContain('>Choose a new password</a>');
    const token = mail?.text.match(LINK)?.[1] ?? '';
    expect(mail?.subject).not.toContain(token);
    const row = await firm.db.selectFrom('password_tokens').selectAll().executeTakeFirstOrThrow();
    expect([row.id, row.user_id, row.created_by, row.expires_at - row.created_at]).toEqual([
      hashToken(token),
      firm.admin.id,
      null,
      PASSWORD_RESET_TTL,
    ]);
    expect(PASSWORD_RESET_TTL).toBe(3_600_000);
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'user.password_reset_sent')
      .executeTakeFirstOrThrow();
    expect([audit.actor_id, audit.object_id]).toEqual([null, firm.admin.id]);
  });

  it('the same words and status for a staff member, a contact, a disabled account and an unknown address; only the staff member is emailed', async () => {
    const entity = await buildEntity(firm.db, 'Clearwater Holdings');
    const contact = await buildContact(firm.db, entity, { email: 'grace@example.com' });
    const disabled = await buildStaff(firm.db, [], { email: 'gone@clearwater.example', disabled: true });
    const answers: [number, string][] = [];
    for (const [i, email] of [
      firm.admin.email,
      contact.email,
      disabled.email,
      'nobody@example.com',
    ].entries()) {
      const res = await ask(email, `198.51.100.${i}`);
      answers.push([res.status, comparable(await res.text())]);
    }
    expect(new Set(answers.map(([status]) => status))).toEqual(new Set([200]));
    expect(new Set(answers.map(([, html]) => html)).size).toBe(1);
    expect(answers[0]?.[1]).toContain(SENT);
    // Each request is one queued job, whoever the address belongs to: the request's time tells nothing.
    const jobs = await firm.db.selectFrom('jobs').select('kind').execute();
    expect(jobs.map((j) => j.kind)).toEqual(Array(4).fill('password.reset_request'));
    expect((await mails()).map((m) => m.to)).toEqual([firm.admin.email]);
    expect(await firm.db.selectFrom('password_tokens').select('user_id').execute()).toEqual([
      { user_id: firm.admin.id },
    ]);
  });

  it('an address that is not one is refused beside the field, keeping what was typed, and nothing is queued', async () => {
    const res = await ask('not an address');
    expect(res.status).toBe(422);
    const html = await res.text();
    expect(fieldError(html, 'f-email')).toBe('Enter an email address like name@example.com.');
    expect(html).toContain('value="not an address"');
    expect(html).not.toContain(SENT);
    expect(await firm.db.selectFrom('jobs').selectAll().execute()).toEqual([]);
  });

  it('asking is rate limited per address (known or not) and per client', async () => {
    for (let i = 0; i < 5; i++) expect((await ask(firm.admin.email, `192.0.2.${i}`)).status).toBe(200);
    const limited = await ask(firm.admin.email, '192.0.2.99');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    const html = await limited.text();
    expect(html).toMatch(/Too many requests\. Wait \d+ seconds?, then try again\./);
    expect(html).toContain(`value="${firm.admin.email}"`);
    // An unknown address is limited the same way, so the limit tells nothing about who exists.
    for (let i = 0; i < 5; i++) expect((await ask('nobody@example.com', `198.51.100.${i}`)).status).toBe(200);
    expect((await ask('nobody@example.com', '198.51.100.99')).status).toBe(429);
    // One client asking about many addresses is limited too.
    for (let i = 0; i < 5; i++)
      expect((await ask(`someone${i}@example.com`, '203.0.113.50')).status).toBe(200);
    expect((await ask('fresh@example.com', '203.0.113.50')).status).toBe(429);
    // A refused request queues nothing.
    expect(await firm.db.selectFrom('jobs').selectAll().execute()).toHaveLength(15);
  });

  it('choosing a new password through the link signs them in, ends every other session and voids every other link', async () => {
    const worker = await buildStaff(firm.db, [], { email: 'wendy@clearwater.example' });
    const elsewhere = await signedIn(firm.app, firm.db, worker);
    const another = await signedIn(firm.app, firm.db, worker);
    expect((await elsewhere.get('/')).status).toBe(200);
    // An Admin's set-password link still out…
    const adminLink = (await createPasswordToken(firm.db, worker.id, firm.admin.id)).token;
    await ask(worker.email);
    const token = await lastToken();

    const browser = new Client(firm.app);
    expect(await (await browser.get(`/set-password/${token}`)).text()).toContain(worker.email);
    const res = await choose(token, 'a brand new password', browser);
    expect([res.status, res.headers.get('Location')]).toEqual([303, '/']);
    expect((await browser.get('/')).status).toBe(200);
    // …and the old sessions are gone: only the one just started is left.
    expect((await elsewhere.get('/')).status).toBe(302);
    expect((await another.get('/')).status).toBe(302);
    expect(await sessionsOf(worker)).toHaveLength(1);
    expect((await choose(adminLink)).status).toBe(404);
    // The old password no longer works; the new one does.
    expect(
      (await new Client(firm.app).post('/sign-in', { email: worker.email, password: PASSWORD })).status,
    ).toBe(422);
    expect(
      (await new Client(firm.app).post('/sign-in', { email: worker.email, password: 'a brand new password' }))
        .status,
    ).toBe(303);
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'user.password_set')
      .executeTakeFirstOrThrow();
    expect(audit.actor_id).toBe(worker.id);
  });

  it('the link works once', async () => {
    await ask(firm.admin.email);
    const token = await lastToken();
    expect((await choose(token)).status).toBe(303);
    const again = await choose(token, 'yet another password');
    expect(again.status).toBe(404);
    expect(await again.text()).toContain('This link has expired or was already used');
    expect((await new Client(firm.app).get(`/set-password/${token}`)).status).toBe(404);
  });

  it('of two uses of one link at the same moment, exactly one sets the password', async () => {
    await ask(firm.admin.email);
    const token = await lastToken();
    const statuses = (
      await Promise.all([choose(token, 'first of the two!'), choose(token, 'second of the two')])
    )
      .map((r) => r.status)
      .sort();
    expect(statuses).toEqual([303, 404]);
  });

  it('the link stops working after an hour', async () => {
    const at = Date.now() - PASSWORD_RESET_TTL - 1000;
    await sendPasswordReset(
      firm.db,
      { firmName: 'Clearwater', baseUrl: testConfig().baseUrl },
      { ...firm.admin, kind: 'staff' },
      at,
    );
    const token = (await queuedMails(firm.db)).at(-1)?.text.match(LINK)?.[1] ?? '';
    expect((await new Client(firm.app).get(`/set-password/${token}`)).status).toBe(404);
    expect((await choose(token)).status).toBe(404);
    // Just inside the hour it still works.
    await sendPasswordReset(
      firm.db,
      { firmName: 'Clearwater', baseUrl: testConfig().baseUrl },
      { ...firm.admin, kind: 'staff' },
      Date.now() - PASSWORD_RESET_TTL + 60_000,
    );
    const fresh = (await queuedMails(firm.db)).at(-1)?.text.match(LINK)?.[1] ?? '';
    expect((await choose(fresh)).status).toBe(303);
  });

  it('a newer reset link voids the older one', async () => {
    await ask(firm.admin.email, '192.0.2.1');
    const older = await lastToken();
    await ask(firm.admin.email, '192.0.2.2');
    const newer = await lastToken();
    expect(newer).not.toBe(older);
    expect((await choose(older)).status).toBe(404);
    expect((await choose(newer)).status).toBe(303);
  });

  it('a contact is never sent a reset link, and a set-password link for a contact never works', async () => {
    const entity = await buildEntity(firm.db, 'Clearwater Holdings');
    const contact = await buildContact(firm.db, entity, { email: 'grace@example.com' });
    await ask(contact.email);
    expect(await mails()).toEqual([]);
    const forged = (await createPasswordToken(firm.db, contact.id, null)).token;
    expect((await new Client(firm.app).get(`/set-password/${forged}`)).status).toBe(404);
    expect((await choose(forged)).status).toBe(404);
    const row = await firm.db
      .selectFrom('users')
      .select('password_hash')
      .where('id', '=', contact.id)
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toBe(contact.password_hash);
  });

  it('an invited staff member who lost the invitation can ask for a link, and is then Active', async () => {
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    await admin.post('/staff', {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@clearwater.example',
      signIn: 'link',
    });
    await ask('grace@clearwater.example');
    const token = await lastToken();
    expect((await choose(token)).status).toBe(303);
    expect(await (await admin.get('/staff?q=grace')).text()).toContain('<td>Active</td>');
  });
});
