/**
 * Contact access: the Client portal switch on a contact's page, the "Go to Client Portal" link it
 * emails (single use, bound to the user and the address it went to, only its SHA-256 stored), the
 * confirm page a mail scanner can fetch without using the link, asking for a link at the sign-in
 * page (one answer for every address, rate limited), and the contact home it lands on.
 */
import { describe, expect, it } from 'vitest';
import { contactWhoMaySignIn, issueLink, signInRequestHandler } from '../../src/auth/sign-in-links.js';
import type { User } from '../../src/db/schema.js';
import { claimJobs, type JobHandlers, retryDelay, runClaimed } from '../../src/jobs/worker.js';
import { DEFAULT_LINKS } from '../../src/kernel/config.js';
import { silentLogger } from '../../src/kernel/log.js';
import { hashToken } from '../../src/kernel/tokens.js';
import { mailJobHandler } from '../../src/mail/send.js';
import { smtpTransport } from '../../src/mail/smtp.js';
import { Client, comparable, pageText, testConfig } from '../helpers/app.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import { bindAtEntity, buildContact, buildEntity, PASSWORD, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { header, part, startSmtp } from '../helpers/mail.js';

const HOUR = 3_600_000;
const LINK = /http:\/\/portico\.test\/sign-in\/link\/([a-z0-9]+)/;

describe.each(DIALECTS)('contact access by emailed link (%s)', (dialect) => {
  const firm = useFirm(dialect);

  /** Grace, a contact of Clearwater with Contact - Entity Access there (or `role`). */
  async function grace(role = 'contact_entity_access') {
    const entity = await buildEntity(firm.db, 'Clearwater Holdings');
    const user = await buildContact(firm.db, entity, {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@example.com',
    });
    await bindAtEntity(firm.db, { userId: user.id }, role, entity);
    return { user, entity };
  }

  const admin = () => signedIn(firm.app, firm.db, firm.admin);
  const switchPortal = async (user: User, portal: 'on' | 'off') =>
    (await admin()).post(`/contacts/${user.id}/portal`, { portal });

  /** Answers the sign-in link requests waiting in the queue, as the worker would. */
  const answerRequests = async () => {
    const handlers: JobHandlers = {
      'signin.request': signInRequestHandler(firm.db, testConfig().baseUrl, DEFAULT_LINKS.signInMs),
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
    for (const job of await claimJobs(firm.db, 'test', ['signin.request'], 100, now, 60_000))
      await runClaimed(ctx, job);
  };
  /** The emails queued, oldest first, as the worker would read them (link requests answered first). */
  const queued = async () => {
    await answerRequests();
    const jobs = await firm.db
      .selectFrom('jobs')
      .select(['payload', 'created_at'])
      .where('kind', '=', 'mail.send')
      .orderBy('created_at')
      .execute();
    return jobs.map(
      (j) =>
        JSON.parse(j.payload) as { to: string; subject: string; text: string; html: string; kind: string },
    );
  };
  const lastToken = async () => {
    const mails = await queued();
    const token = mails.at(-1)?.text.match(LINK)?.[1];
    if (!token) throw new Error('no link was emailed');
    return token;
  };
  const sessionsOf = (user: User) =>
    firm.db.selectFrom('sessions').selectAll().where('user_id', '=', user.id).execute();
  const ask = (email: string, ip = '203.0.113.7') =>
    new Client(firm.app).post('/sign-in/link', { email }, { 'X-Forwarded-For': ip });

  it('turning the Client portal switch on emails an invitation lasting 72 hours, storing only the hash', async () => {
    const { user } = await grace();
    const res = await switchPortal(user, 'on');
    expect([res.status, res.headers.get('Location')]).toEqual([303, `/contacts/${user.id}`]);
    const [mail] = await queued();
    expect(mail?.to).toBe('grace@example.com');
    expect(mail?.kind).toBe('portal-invitation');
    expect(mail?.subject).toBe('Your client portal at Clearwater Accounting');
    expect(mail?.text).toMatch(/Go to Client Portal: http:\/\/portico\.test\/sign-in\/link\/[a-z0-9]{26}\n/);
    expect(mail?.html).toContain('>Go to Client Portal</a>');
    const token = await lastToken();
    const row = await firm.db.selectFrom('sign_in_links').selectAll().executeTakeFirstOrThrow();
    expect(row.id).toBe(hashToken(token));
    expect([row.purpose, row.email_normalized, row.expires_at - row.created_at]).toEqual([
      'invitation',
      'grace@example.com',
      72 * HOUR,
    ]);
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'contact.portal_access_changed')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json ?? '')).toEqual({ portalAccess: true });
    const page = await (await (await admin()).get(`/contacts/${user.id}`)).text();
    expect(page).toContain('Turn off Client portal');
  });

  it('the link opens a confirm page naming the account; GETs never use it; the POST signs in once, to the portal', async () => {
    const { user } = await grace();
    await switchPortal(user, 'on');
    const token = await lastToken();
    const browser = new Client(firm.app);
    for (let i = 0; i < 2; i++) {
      const res = await browser.get(`/sign-in/link/${token}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('Referrer-Policy')).toBe('same-origin');
      expect(pageText(await res.text())).toContain('Sign in as Grace Hopper (grace@example.com)');
    }
    const row = await firm.db.selectFrom('sign_in_links').select('used_at').executeTakeFirstOrThrow();
    expect(row.used_at).toBeNull();
    expect(await sessionsOf(user)).toEqual([]);

    const res = await browser.post(`/sign-in/link/${token}`);
    expect([res.status, res.headers.get('Location')]).toEqual([303, '/portal']);
    const home = await (await browser.get('/portal')).text();
    expect(home).toContain('Welcome, Grace Hopper');
    expect(home).toContain('Clearwater Holdings');
    for (const section of ['Files', 'Requests', 'Messages']) expect(home).toContain(`<h3>${section}</h3>`);
    expect(home).not.toContain('href="/contacts"');
    expect((await browser.get('/contacts')).status).toBe(403);
    // Their home is the portal: "/" sends them there.
    const root = await browser.get('/');
    expect([root.status, root.headers.get('Location')]).toEqual([302, '/portal']);

    const again = await new Client(firm.app).post(`/sign-in/link/${token}`);
    expect(again.status).toBe(404);
    expect(await again.text()).toContain('This link has expired or was already used');
    expect(await sessionsOf(user)).toHaveLength(1);
  });

  it('of two clicks at once, exactly one gets a session', async () => {
    const { user } = await grace();
    await switchPortal(user, 'on');
    const token = await lastToken();
    const answers = await Promise.all([
      new Client(firm.app).post(`/sign-in/link/${token}`),
      new Client(firm.app).post(`/sign-in/link/${token}`),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([303, 404]);
    expect(await sessionsOf(user)).toHaveLength(1);
  });

  it('an expired link shows the page offering a new one, which goes to the same address and lasts 10 minutes', async () => {
    const { user } = await grace();
    await switchPortal(user, 'on');
    const token = await lastToken();
    await firm.db
      .updateTable('sign_in_links')
      .set({ expires_at: Date.now() - 1 })
      .execute();
    const page = await new Client(firm.app).get(`/sign-in/link/${token}`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain(`action="/sign-in/link/${token}/resend"`);
    expect((await new Client(firm.app).post(`/sign-in/link/${token}`)).status).toBe(404);

    const resent = await new Client(firm.app).post(`/sign-in/link/${token}/resend`);
    expect(await resent.text()).toContain('If that address can sign in, a link is on its way.');
    const mails = await queued();
    expect(mails.map((m) => [m.to, m.kind])).toEqual([
      ['grace@example.com', 'portal-invitation'],
      ['grace@example.com', 'sign-in-link'],
    ]);
    const fresh = await firm.db
      .selectFrom('sign_in_links')
      .selectAll()
      .where('id', '=', hashToken(await lastToken()))
      .executeTakeFirstOrThrow();
    expect(fresh.expires_at - fresh.created_at).toBe(10 * 60_000);
    // An unknown token gets the same answer and sends nothing.
    const unknown = await new Client(firm.app).post('/sign-in/link/no-such-token/resend');
    expect(comparable(await unknown.text()).replaceAll('no-such-token', token)).toBe(
      comparable(await (await new Client(firm.app).post(`/sign-in/link/${token}/resend`)).text()),
    );
  });

  it("changing the contact's email voids the link sent to the old address, even if it changes back", async () => {
    const { user } = await grace();
    await switchPortal(user, 'on');
    const token = await lastToken();
    const emailTo = (email: string) =>
      admin().then((a) =>
        a.post(`/contacts/${user.id}/summary`, {
          firstName: 'Grace',
          lastName: 'Hopper',
          email,
          clientQ: 'Clearwater Holdings',
        }),
      );
    expect((await emailTo('grace.hopper@example.com')).status).toBe(303);
    expect((await new Client(firm.app).get(`/sign-in/link/${token}`)).status).toBe(404);
    expect((await new Client(firm.app).post(`/sign-in/link/${token}`)).status).toBe(404);
    expect((await emailTo('grace@example.com')).status).toBe(303);
    expect((await new Client(firm.app).get(`/sign-in/link/${token}`)).status).toBe(404);
    expect((await new Client(firm.app).post(`/sign-in/link/${token}`)).status).toBe(404);
  });

  it('a newer link voids older ones', async () => {
    const { user } = await grace();
    await switchPortal(user, 'on');
    const first = await lastToken();
    await ask('grace@example.com');
    const second = await lastToken();
    expect(second).not.toBe(first);
    expect((await new Client(firm.app).get(`/sign-in/link/${first}`)).status).toBe(404);
    expect((await new Client(firm.app).get(`/sign-in/link/${second}`)).status).toBe(200);
  });

  it('two links issued at the same moment leave exactly one live', async () => {
    const { user } = await grace();
    await switchPortal(user, 'on');
    const person = await contactWhoMaySignIn(firm.db, user.id);
    if (!person) throw new Error('Grace may sign in');
    // The first issue holds its transaction open while the second starts; then the first commits.
    const first = await firm.db.startTransaction().execute();
    await issueLink(first, person, 'sign_in', 600_000);
    const second = (async () => {
      const trx = await firm.db.startTransaction().execute();
      await issueLink(trx, person, 'sign_in', 600_000);
      await trx.commit().execute();
    })();
    await new Promise((resolve) => setTimeout(resolve, 200));
    await first.commit().execute();
    await second;
    const live = await firm.db
      .selectFrom('sign_in_links')
      .select('id')
      .where('user_id', '=', user.id)
      .where('used_at', 'is', null)
      .where('voided_at', 'is', null)
      .execute();
    expect(live).toHaveLength(1);
  });

  it('turning the switch off ends the contact’s sessions and voids their links at once', async () => {
    const { user } = await grace();
    await switchPortal(user, 'on');
    const token = await lastToken();
    const signedInGrace = await signedIn(firm.app, firm.db, user);
    expect((await signedInGrace.get('/portal')).status).toBe(200);
    await switchPortal(user, 'off');
    const res = await signedInGrace.get('/portal');
    expect([res.status, res.headers.get('Location')]).toEqual([302, '/sign-in?next=%2Fportal']);
    expect((await new Client(firm.app).post(`/sign-in/link/${token}`)).status).toBe(404);
    expect((await ask('grace@example.com')).status).toBe(200);
    expect(await queued()).toHaveLength(1);
  });

  it('disabled and Associated-only contacts cannot sign in by any path', async () => {
    const { user } = await grace();
    await switchPortal(user, 'on');
    const token = await lastToken();
    await firm.db.updateTable('users').set({ disabled_at: Date.now() }).where('id', '=', user.id).execute();
    expect((await new Client(firm.app).get(`/sign-in/link/${token}`)).status).toBe(404);
    expect((await new Client(firm.app).post(`/sign-in/link/${token}`)).status).toBe(404);
    await ask('grace@example.com');
    expect(await queued()).toHaveLength(1);

    const entity = await buildEntity(firm.db, 'Harbour Trust');
    const ada = await buildContact(firm.db, entity, { email: 'ada@example.com' });
    await bindAtEntity(firm.db, { userId: ada.id }, 'associated', entity);
    const res = await switchPortal(ada, 'on');
    expect(res.status).toBe(303);
    expect(await queued()).toHaveLength(1);
    await ask('ada@example.com');
    expect(await queued()).toHaveLength(1);
    // A session made for her anyway (by hand, or left from a role since taken away) is ended by
    // her next request, which is then anonymous.
    const leftover = await (await signedIn(firm.app, firm.db, ada)).get('/portal');
    expect([leftover.status, leftover.headers.get('Location')]).toEqual([302, '/sign-in?next=%2Fportal']);
    expect(leftover.headers.get('Set-Cookie') ?? '').toMatch(/portico_session=;/);
    expect(await firm.db.selectFrom('sessions').select('id').where('user_id', '=', ada.id).execute()).toEqual(
      [],
    );
    // Given a real role, the same switch now invites them.
    await bindAtEntity(firm.db, { userId: ada.id }, 'contact_entity_access', entity);
    await switchPortal(ada, 'on');
    expect((await queued()).map((m) => m.to)).toEqual(['grace@example.com', 'ada@example.com']);
  });

  it('a contact never signs in with a password, nor sets one, even one stored for them', async () => {
    const { user } = await grace();
    await switchPortal(user, 'on');
    // buildContact stores PASSWORD's hash, as a row written by hand or an old import might.
    const res = await new Client(firm.app).post('/sign-in', {
      email: 'grace@example.com',
      password: PASSWORD,
    });
    expect(res.status).toBe(422);
    expect(res.headers.get('Set-Cookie') ?? '').not.toContain('portico_session=');
    const client = await signedIn(firm.app, firm.db, user);
    const account = await (await client.get('/account')).text();
    expect(account).toContain('Sign out of every other session');
    expect(account).not.toContain('Change password');
    const before = await snapshot(firm.db);
    const change = await client.post('/account/password', {
      currentPassword: PASSWORD,
      password: 'a brand new passphrase',
      passwordConfirm: 'a brand new passphrase',
    });
    expect(change.status).toBe(403);
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('asking for a link answers the same whether or not the address may sign in', async () => {
    const { user } = await grace();
    await firm.db
      .updateTable('contact_profiles')
      .set({ portal_access: 1 })
      .where('user_id', '=', user.id)
      .execute();
    const known = await ask('grace@example.com', '198.51.100.1');
    const unknown = await ask('nobody@example.com', '198.51.100.2');
    const staff = await ask(firm.admin.email, '198.51.100.3');
    const pages = await Promise.all(
      [known, unknown, staff].map(async (r) => [r.status, comparable(await r.text())]),
    );
    expect(pages[1]).toEqual(pages[0]);
    expect(pages[2]).toEqual(pages[0]);
    expect(pages[0]?.[1]).toContain('If that address can sign in, a link is on its way.');
    // The request itself does the same work for every address: it queues one job and looks nothing up,
    // so its timing tells nothing either. The worker answers in the background.
    const requests = await firm.db
      .selectFrom('jobs')
      .select(['kind', 'payload'])
      .orderBy('created_at')
      .execute();
    expect(requests.map((j) => [j.kind, (JSON.parse(j.payload) as { email: string }).email]).sort()).toEqual(
      [
        ['signin.request', 'grace@example.com'],
        ['signin.request', 'nobody@example.com'],
        ['signin.request', firm.admin.email],
      ].sort(),
    );
    expect((await queued()).map((m) => [m.to, m.kind, m.subject])).toEqual([
      ['grace@example.com', 'sign-in-link', 'Sign in to Clearwater Accounting'],
    ]);
  });

  it('asking for links is rate limited per address and per client', async () => {
    for (let i = 0; i < 5; i++) expect((await ask('grace@example.com', `192.0.2.${i}`)).status).toBe(200);
    const limited = await ask('grace@example.com', '192.0.2.99');
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    for (let i = 0; i < 5; i++)
      expect((await ask(`someone${i}@example.com`, '203.0.113.50')).status).toBe(200);
    expect((await ask('fresh@example.com', '203.0.113.50')).status).toBe(429);
  });

  it('sending a fresh link from a dead link’s page is rate limited per address, known or not', async () => {
    const { user } = await grace();
    await switchPortal(user, 'on');
    const token = await lastToken();
    const resend = (t: string, ip: string) =>
      new Client(firm.app).post(`/sign-in/link/${t}/resend`, {}, { 'X-Forwarded-For': ip });
    for (let i = 0; i < 5; i++) expect((await resend(token, `192.0.2.${i}`)).status).not.toBe(429);
    expect((await resend(token, '192.0.2.99')).status).toBe(429);
    // An unknown token is limited the same way, so the limit tells nothing about who exists.
    for (let i = 0; i < 5; i++)
      expect((await resend('no-such-token', `198.51.100.${i}`)).status).not.toBe(429);
    expect((await resend('no-such-token', '198.51.100.99')).status).toBe(429);
  });

  it('staff are refused the portal, and a contact with several entities switches between them', async () => {
    expect((await (await admin()).get('/portal')).status).toBe(403);
    const { user, entity } = await grace();
    const other = await buildEntity(firm.db, 'Blue Harbour Trust');
    const elsewhere = await buildEntity(firm.db, 'Not Theirs Ltd');
    await bindAtEntity(firm.db, { userId: user.id }, 'contact_entity_collaborator', other);
    const client = await signedIn(firm.app, firm.db, user);
    const home = await (await client.get('/portal')).text();
    expect(home).toContain('<select id="portal-entity" name="entity">');
    expect(home).toContain('<h2>Blue Harbour Trust</h2>');
    expect(home).not.toContain('Not Theirs Ltd');
    expect(await (await client.get(`/portal?entity=${entity}`)).text()).toContain(
      '<h2>Clearwater Holdings</h2>',
    );
    expect(await (await client.get(`/portal?entity=${elsewhere}`)).text()).not.toContain('Not Theirs Ltd');
  });

  it('the invitation really arrives over SMTP, with a text and an HTML part and no secret in the subject', async () => {
    const { user } = await grace();
    await switchPortal(user, 'on');
    const token = await lastToken();
    const smtp = await startSmtp();
    const transport = smtpTransport(`smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`, {
      name: 'Clearwater Accounting',
      address: 'portal@clearwater.example',
    });
    try {
      const handlers: JobHandlers = { 'mail.send': mailJobHandler(transport) };
      const now = Date.now() + 1000;
      const ctx = {
        db: firm.db,
        log: silentLogger,
        handlers,
        workerId: 'w',
        backoff: retryDelay,
        now: () => now,
      };
      for (const job of await claimJobs(firm.db, 'w', ['mail.send'], 10, now, 60_000))
        await runClaimed(ctx, job);
      expect(smtp.received).toHaveLength(1);
      const raw = smtp.received[0]!.raw;
      expect(smtp.received[0]!.to).toEqual(['grace@example.com']);
      expect(header(raw, 'Subject')).toBe('Your client portal at Clearwater Accounting');
      expect(header(raw, 'Subject')).not.toContain(token);
      const text = part(raw, 'text/plain') ?? '';
      const html = part(raw, 'text/html') ?? '';
      expect(text).toContain(`Go to Client Portal: http://portico.test/sign-in/link/${token}`);
      expect(text).toContain('Clearwater Accounting');
      expect(html).toContain(
        `<a href="http://portico.test/sign-in/link/${token}" style="display:inline-block;`,
      );
      expect(html).toContain('>Go to Client Portal</a>');
      expect(html).toContain('Clearwater Accounting');
      // What the queue keeps once sent holds no link.
      const job = await firm.db.selectFrom('jobs').select('payload').executeTakeFirstOrThrow();
      expect(job.payload).not.toContain(token);
    } finally {
      await transport.close();
      await smtp.close();
    }
  });
});
