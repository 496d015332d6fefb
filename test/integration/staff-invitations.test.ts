/**
 * Staff invitations by email: adding a staff member without a password emails them a link to
 * choose one (the same link shown once on screen, with a Copy button), they show as Invited until
 * they have chosen it, and an Admin can resend the invitation, which voids the older link.
 */
import { describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import type { Config } from '../../src/kernel/config.js';
import { hashToken } from '../../src/kernel/tokens.js';
import { outboxTransport } from '../../src/mail/outbox.js';
import { buildApp, Client } from '../helpers/app.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import { buildContact, buildEntity, buildStaff, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { queuedMails } from '../helpers/mail.js';

const HOUR = 3_600_000;
const GRACE = { firstName: 'Grace', lastName: 'Hopper', email: 'grace@clearwater.example' };
const LINK = /http:\/\/portico\.test\/set-password\/([a-z0-9]{32})/;
const SMTP: Config['mail'] = {
  transport: { kind: 'smtp', url: 'smtp://127.0.0.1:2525' },
  from: { name: 'Clearwater', address: 'portal@clearwater.example' },
};

describe.each(DIALECTS)('staff invitations by email (%s)', (dialect) => {
  const firm = useFirm(dialect, { admin: { firstName: 'Ada', lastName: 'Admin' } });

  const admin = () => signedIn(firm.app, firm.db, firm.admin);
  /** Adds Grace without a password, as the add-staff form's default does; returns the page and her. */
  async function invite(client?: Client) {
    const res = await (client ?? (await admin())).post('/staff', { ...GRACE, signIn: 'link', password: '' });
    const html = await res.text();
    const user = await firm.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', GRACE.email)
      .executeTakeFirstOrThrow();
    return { res, html, user };
  }
  const shownToken = (html: string) =>
    html.match(/value="http:\/\/portico\.test\/set-password\/([a-z0-9]+)"/)?.[1];
  const setPassword = (token: string, password = 'graces own password') =>
    new Client(firm.app).post(`/set-password/${token}`, { password, passwordConfirm: password });

  it('adding a staff member without a password emails them an invitation with a link from BASE_URL, the same link the page shows once', async () => {
    const { res, html } = await invite();
    expect(res.status).toBe(200);
    const mails = await queuedMails(firm.db);
    expect(mails).toHaveLength(1);
    const [mail] = mails;
    expect(mail?.to).toBe(GRACE.email);
    expect(mail?.kind).toBe('staff-invitation');
    expect(mail?.subject).toBe('Clearwater Accounting: you are invited to Portico');
    expect(mail?.text).toContain('Hello Grace,');
    expect(mail?.text).toContain('Ada Admin has added you as a member of staff');
    expect(mail?.text).toMatch(/Set your password: http:\/\/portico\.test\/set-password\/[a-z0-9]{32}\n/);
    expect(mail?.text).toContain('The link works once and lasts 3 days.');
    expect(mail?.html).toMatch(
      /<a href="http:\/\/portico\.test\/set-password\/[a-z0-9]{32}" style="[^"]+">Set your password<\/a>/,
    );
    const token = mail?.text.match(LINK)?.[1];
    expect(token).toBeDefined();
    expect(mail?.subject).not.toContain(token);
    expect(shownToken(html)).toBe(token);
    // Only the hash is kept, and the link lasts INVITATION_LINK_HOURS (72 by default).
    const row = await firm.db.selectFrom('password_tokens').selectAll().executeTakeFirstOrThrow();
    expect(row.id).toBe(hashToken(token!));
    expect(row.expires_at - row.created_at).toBe(72 * HOUR);
    // The page says where the invitation went, in development's words, and offers a Copy button.
    expect(html).toContain(
      'Grace Hopper was added, and an invitation was kept in the Outbox for grace@clearwater.example.',
    );
    expect(html).toContain('<label for="password-link">Set-password link</label>');
    expect(html).toContain('data-copy="Copy link"');
    expect(html).toMatch(/<script nonce="[^"]+">for \(const input of document\.querySelectorAll/);
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'user.invitation_sent')
      .executeTakeFirstOrThrow();
    expect([audit.actor_id, JSON.parse(audit.after_json ?? '')]).toEqual([
      firm.admin.id,
      { emailedTo: GRACE.email, resent: false },
    ]);
  });

  it('with an email transport set up, the page says the invitation was emailed', async () => {
    const app = buildApp(firm.db, { mail: SMTP });
    const { html } = await invite(await signedIn(app, firm.db, firm.admin));
    expect(html).toContain(
      'Grace Hopper was added, and an invitation was emailed to grace@clearwater.example.',
    );
  });

  it('the invitation link lasts as long as INVITATION_LINK_HOURS says', async () => {
    const app = buildApp(firm.db, { links: { signInMs: 600_000, invitationMs: 24 * HOUR } });
    const { html } = await invite(await signedIn(app, firm.db, firm.admin));
    const row = await firm.db.selectFrom('password_tokens').selectAll().executeTakeFirstOrThrow();
    expect(row.expires_at - row.created_at).toBe(24 * HOUR);
    expect((await queuedMails(firm.db))[0]?.text).toContain('lasts 24 hours');
    expect(html).toContain('It works once, for 24 hours');
  });

  it('adding a staff member with an initial password emails nothing and shows no link', async () => {
    const res = await (await admin()).post('/staff', {
      ...GRACE,
      signIn: 'password',
      password: 'an initial password',
    });
    expect(res.status).toBe(303);
    expect(await queuedMails(firm.db)).toEqual([]);
    expect(await firm.db.selectFrom('password_tokens').selectAll().execute()).toEqual([]);
  });

  it('an invited staff member shows as Invited in the list and on their page until they choose a password, then Active', async () => {
    const { user } = await invite();
    const client = await admin();
    const statusInList = async () =>
      // The last cell of Grace's row.
      (await (await client.get('/staff?q=grace')).text()).match(
        /<tr><td><a href="\/staff\/[a-z0-9]+">Grace Hopper<\/a>(?:(?!<\/tr>).)*<td>([^<]*)<\/td><\/tr>/,
      )?.[1];
    expect(await statusInList()).toBe('Invited');
    const page = await (await client.get(`/staff/${user.id}`)).text();
    expect(page).toContain('Invited: they have not chosen a password yet.');
    expect(page).toContain('>Resend invitation</button>');

    const token = (await queuedMails(firm.db))[0]?.text.match(LINK)?.[1];
    expect((await setPassword(token!)).status).toBe(303);
    expect(await statusInList()).toBe('Active');
    const after = await (await client.get(`/staff/${user.id}`)).text();
    expect(after).not.toContain('Invited');
    expect(after).not.toContain('Resend invitation');
    // The unfiltered list (the precompiled query) says the same.
    expect(await (await client.get('/staff')).text()).not.toContain('>Invited<');
  });

  it('a disabled account shows as Disabled, not Invited, and offers no resend', async () => {
    const { user } = await invite();
    const client = await admin();
    expect((await client.post(`/staff/${user.id}/disable`)).status).toBe(303);
    const page = await (await client.get(`/staff/${user.id}`)).text();
    expect(page).toContain('This account is disabled');
    expect(page).not.toContain('Resend invitation');
    expect(await (await client.get('/staff?q=grace')).text()).toContain('<td>Disabled</td>');
  });

  it('an Admin resends the invitation: a new email and link, the older link stops working, and it is audited', async () => {
    const { user, html } = await invite();
    const first = shownToken(html)!;
    const res = await (await admin()).post(`/staff/${user.id}/invitation`);
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain(
      'A new invitation was kept in the Outbox for grace@clearwater.example; the link in the earlier one no longer works.',
    );
    const mails = await queuedMails(firm.db);
    expect(mails.map((m) => [m.to, m.kind])).toEqual([
      [GRACE.email, 'staff-invitation'],
      [GRACE.email, 'staff-invitation'],
    ]);
    const second = mails[1]?.text.match(LINK)?.[1];
    expect(second).toBeDefined();
    expect(second).not.toBe(first);
    expect(shownToken(page)).toBe(second);

    expect((await new Client(firm.app).get(`/set-password/${first}`)).status).toBe(404);
    expect((await setPassword(first)).status).toBe(404);
    expect((await setPassword(second!)).status).toBe(303);
    const audits = await firm.db
      .selectFrom('audit_events')
      .select('after_json')
      .where('action', '=', 'user.invitation_sent')
      .orderBy('id')
      .execute();
    expect(audits.map((a) => JSON.parse(a.after_json ?? ''))).toEqual([
      { emailedTo: GRACE.email, resent: false },
      { emailedTo: GRACE.email, resent: true },
    ]);
  });

  it('there is no invitation to resend to someone who has chosen a password, or to a disabled account; nothing changes', async () => {
    const worker = await buildStaff(firm.db, [], { firstName: 'Wendy', lastName: 'Worker' });
    const client = await admin();
    const before = await snapshot(firm.db);
    const res = await client.post(`/staff/${worker.id}/invitation`);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain(
      'Wendy Worker has already chosen a password, so there is no invitation to resend.',
    );
    expect(await snapshot(firm.db)).toEqual(before);

    const { user } = await invite();
    await client.post(`/staff/${user.id}/disable`);
    const mailsBefore = (await queuedMails(firm.db)).length;
    const disabled = await client.post(`/staff/${user.id}/invitation`);
    expect(disabled.status).toBe(422);
    expect(await disabled.text()).toContain('Enable this account before resending the invitation.');
    expect(await queuedMails(firm.db)).toHaveLength(mailsBefore);
  });

  it('a Staff Admin cannot resend an invitation to an invited Admin', async () => {
    const { user } = await invite();
    await (await admin()).post(`/staff/${user.id}/roles`, { roles: ['admin'] });
    const staffAdmin = await buildStaff(firm.db, ['staff_admin']);
    const client = await signedIn(firm.app, firm.db, staffAdmin);
    const before = await snapshot(firm.db);
    const res = await client.post(`/staff/${user.id}/invitation`);
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('You cannot invite Grace Hopper: they hold roles you do not.');
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('someone without Staff - Details edit cannot resend an invitation, and a contact is never invited', async () => {
    const { user } = await invite();
    const viewer = await buildStaff(firm.db, []);
    const before = (await queuedMails(firm.db)).length;
    expect([403, 404]).toContain(
      (await (await signedIn(firm.app, firm.db, viewer)).post(`/staff/${user.id}/invitation`)).status,
    );
    const entity = await buildEntity(firm.db, 'Clearwater Holdings');
    const contact: User = await buildContact(firm.db, entity);
    await firm.db.updateTable('users').set({ password_hash: null }).where('id', '=', contact.id).execute();
    expect((await (await admin()).post(`/staff/${contact.id}/invitation`)).status).toBe(404);
    expect(await queuedMails(firm.db)).toHaveLength(before);
  });

  it('resending is rate limited per staff member, not per Admin', async () => {
    const { user } = await invite();
    const other = await invite2();
    const client = await admin();
    for (let i = 0; i < 5; i++) expect((await client.post(`/staff/${user.id}/invitation`)).status).toBe(200);
    const limited = await client.post(`/staff/${user.id}/invitation`);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(await limited.text()).toMatch(
      /Too many invitations to Grace Hopper just now\. Wait \d+ seconds?, then try again\./,
    );
    expect((await queuedMails(firm.db)).filter((m) => m.to === GRACE.email)).toHaveLength(6);
    // Another invited person is not held up by Grace's count.
    expect((await client.post(`/staff/${other.id}/invitation`)).status).toBe(200);
  });

  async function invite2() {
    await (await admin()).post('/staff', {
      firstName: 'Linus',
      lastName: 'Pauling',
      email: 'linus@clearwater.example',
      signIn: 'link',
    });
    return firm.db
      .selectFrom('users')
      .selectAll()
      .where('email', '=', 'linus@clearwater.example')
      .executeTakeFirstOrThrow();
  }

  it('in production, the Outbox keeps its copy of an invitation with the link’s token hidden', async () => {
    await invite();
    const [mail] = await queuedMails(firm.db);
    const token = mail?.text.match(LINK)?.[1] ?? '';
    await outboxTransport(firm.db, { name: 'Portico', address: 'p@portico.test' }, { print: false }).send({
      ...mail!,
      key: 'kept',
    });
    const kept = await firm.db.selectFrom('outbox_messages').selectAll().executeTakeFirstOrThrow();
    expect(kept.text_body).toContain('http://portico.test/set-password/hidden');
    expect(kept.text_body).not.toContain(token);
    expect(kept.html_body).not.toContain(token);
  });
});
