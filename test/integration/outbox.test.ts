/**
 * The Outbox page: Admins read every email queued and where it stands, the development outbox's
 * copy of a message (its HTML only inside a sandboxed frame), page through older ones and send
 * themselves a test email; nobody else finds it.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { sendLink } from '../../src/auth/sign-in-links.js';
import { enqueue } from '../../src/jobs/queue.js';
import { claimJobs, type JobHandlers, retryDelay, runClaimed } from '../../src/jobs/worker.js';
import { silentLogger } from '../../src/kernel/log.js';
import { outboxTransport } from '../../src/mail/outbox.js';
import { mailJobHandler, queueMail } from '../../src/mail/send.js';
import { buildApp, pageText } from '../helpers/app.js';
import { DIALECTS } from '../helpers/db.js';
import { buildContact, buildStaff, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';

const hostile = {
  to: 'grace@example.com',
  subject: 'Your <b>portal</b>',
  text: 'Hello Grace\nOpen: http://portico.test/portal/abc',
  html: '<p>Hello</p><script>alert(1)</script><a href="http://portico.test/portal/abc">Open</a>',
  kind: 'test',
};

describe.each(DIALECTS)('the Outbox (%s)', (dialect) => {
  const firm = useFirm(dialect);
  let printed: string[];
  let handlers: JobHandlers;

  beforeEach(() => {
    printed = [];
    handlers = {
      'mail.send': mailJobHandler(
        outboxTransport(
          firm.db,
          { name: 'Portico', address: 'portico@portico.test' },
          {
            print: true,
            write: (s) => printed.push(s),
          },
        ),
      ),
    };
  });

  /** Runs every due email job once, as the worker would. */
  const runDue = async (h: JobHandlers = handlers, now = Date.now() + 1000) => {
    const jobs = await claimJobs(firm.db, 'w', ['mail.send'], 100, now, 60_000);
    const ctx = {
      db: firm.db,
      log: silentLogger,
      handlers: h,
      workerId: 'w',
      backoff: retryDelay,
      now: () => now,
    };
    for (const job of jobs) await runClaimed(ctx, job);
  };

  it('an Admin sees each email with its recipient, subject and status, and reads a kept message safely', async () => {
    const id = await queueMail(firm.db, hostile);
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    let list = await (await admin.get('/outbox')).text();
    expect(pageText(list)).toContain('grace@example.com');
    expect(list).toContain(`<a href="/outbox/${id}">Your &lt;b&gt;portal&lt;/b&gt;</a>`);
    expect(list).toContain('Waiting to be sent');
    expect(list).toContain('emails are kept here in the development outbox');

    await runDue();
    list = await (await admin.get('/outbox')).text();
    expect(list).toContain('Kept, not sent');
    expect(printed.join('')).toContain('Open: http://portico.test/portal/abc');

    const res = await admin.get(`/outbox/${id}`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain('<pre class="email-text">Hello Grace\nOpen: http://portico.test/portal/abc</pre>');
    // The HTML part is only ever shown in a sandboxed frame of its own address, or as escaped text.
    expect(html).toMatch(/<iframe class="email-html" title="The HTML part of the email" sandbox="" /);
    expect(html).toContain(`src="/outbox/${id}/html"`);
    expect(html).toContain('&lt;p&gt;Hello&lt;/p&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&quot;Portico&quot; &lt;portico@portico.test&gt;');

    // That address: the part as it is, under a policy that runs nothing, loads nothing, and lets only
    // our pages frame it; its inline styles (the email's button) show.
    const frame = await admin.get(`/outbox/${id}/html`);
    expect(frame.status).toBe(200);
    expect(await frame.text()).toBe(hostile.html);
    const csp = frame.headers.get('Content-Security-Policy') ?? '';
    expect(csp.split('; ').sort()).toEqual(
      [
        "default-src 'none'",
        "frame-ancestors 'self'",
        'img-src data:',
        'sandbox',
        "style-src 'unsafe-inline'",
      ].sort(),
    );
    expect(frame.headers.get('X-Frame-Options')).toBe('SAMEORIGIN');
    expect(frame.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('for a real transport, shows where each email stands and why it failed, but never its content', async () => {
    const app = buildApp(firm.db, {
      mail: {
        transport: { kind: 'smtp', url: 'smtp://u:hunter2@mail.example.com:587' },
        from: { name: 'Clearwater', address: 'portal@clearwater.example' },
      },
    });
    const failing: JobHandlers = {
      'mail.send': {
        run: async () => {
          throw Object.assign(new Error('550 mailbox unavailable'), { retryable: false });
        },
        keep: (m) => ({ to: m.to, subject: m.subject, kind: m.kind }),
      },
    };
    const retrying: JobHandlers = {
      'mail.send': {
        run: async () => {
          throw new Error('connect ECONNREFUSED');
        },
      },
    };
    const failed = await queueMail(firm.db, { ...hostile, to: 'gone@example.com' });
    await runDue(failing);
    const later = await queueMail(firm.db, { ...hostile, to: 'later@example.com' });
    await runDue(retrying);
    const admin = await signedIn(app, firm.db, firm.admin);
    const list = await (await admin.get('/outbox')).text();
    expect(list).toContain('Emails are sent through SMTP server mail.example.com:587, STARTTLS.');
    expect(list).not.toContain('hunter2');
    expect(list).toContain('Failed after 1 attempt');
    expect(list).toMatch(/Will retry .* \(attempt 2 of 10\)/);
    const page = await (await admin.get(`/outbox/${failed}`)).text();
    expect(page).toContain('550 mailbox unavailable');
    expect(page).not.toContain('portal/abc');
    expect(page).toContain('Portico keeps the content of an email only in the development outbox');
    expect(await (await admin.get(`/outbox/${later}`)).text()).toContain('connect ECONNREFUSED');
  });

  it('pages through older emails fifty at a time', async () => {
    const base = Date.now() - 100_000;
    for (let i = 0; i < 51; i++) {
      await enqueue(firm.db, 'mail.send', { ...hostile, subject: `Message ${i}` });
      await firm.db
        .updateTable('jobs')
        .set({ created_at: base + i })
        .where('payload', 'like', `%"Message ${i}"%`)
        .execute();
    }
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const first = await (await admin.get('/outbox')).text();
    expect(first).toContain('Message 50');
    expect(first).toContain('Message 1<');
    expect(first).not.toContain('Message 0<');
    const older = first.match(/href="(\/outbox\?before=[^"]+)">Older emails/)?.[1];
    expect(older).toBeDefined();
    const second = await (await admin.get(older!)).text();
    expect(second).toContain('Message 0<');
    expect(second).not.toContain('Message 1<');
    expect(second).not.toContain('Older emails');
  });

  it('an Admin sends themselves a test email naming the firm, queued for the worker', async () => {
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const res = await admin.post('/outbox/test');
    expect([res.status, res.headers.get('Location')]).toEqual([303, '/outbox']);
    expect(await (await admin.get('/outbox')).text()).toContain(`Test email queued to ${firm.admin.email}.`);
    await runDue();
    const message = await firm.db.selectFrom('outbox_messages').selectAll().executeTakeFirstOrThrow();
    expect([message.to_address, message.subject]).toEqual([
      firm.admin.email,
      'Test email from Clearwater Accounting',
    ]);
    expect(message.text_body).toContain('Open the Outbox: http://portico.test/outbox');
    expect(message.html_body).toContain('Clearwater Accounting');
  });

  it('only Admins see the Outbox in the navigation or can open it', async () => {
    const settingsAdmin = await buildStaff(firm.db, ['settings_admin']);
    const id = await queueMail(firm.db, hostile);
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    const other = await signedIn(firm.app, firm.db, settingsAdmin);
    expect(await (await admin.get('/')).text()).toContain('href="/outbox"');
    expect(await (await other.get('/')).text()).not.toContain('href="/outbox"');
    expect((await other.get('/outbox')).status).toBe(403);
    expect((await other.get(`/outbox/${id}`)).status).toBe(404);
    expect((await admin.get('/outbox/no-such-email')).status).toBe(404);
  });

  it('in production the kept copy hides sign-in links, so reading the Outbox signs nobody in', async () => {
    const grace = await buildContact(firm.db, null, { email: 'grace@example.com' });
    const site = { firmName: 'Clearwater Accounting', baseUrl: 'http://portico.test' };
    await firm.db.transaction().execute((trx) => sendLink(trx, site, grace, 'invitation', 60_000));
    const [queued] = await claimJobs(firm.db, 'peek', ['mail.send'], 1, Date.now(), 1);
    const token = String(queued?.payload).match(/sign-in\/link\/([a-z0-9]{26})/)?.[1];
    expect(token).toHaveLength(26);
    const production = outboxTransport(
      firm.db,
      { name: 'Portico', address: 'portico@portico.test' },
      { print: false },
    );
    await runDue({ 'mail.send': mailJobHandler(production) }, Date.now() + 120_000);

    const kept = await firm.db.selectFrom('outbox_messages').selectAll().executeTakeFirstOrThrow();
    for (const body of [kept.text_body, kept.html_body]) {
      expect(body).toContain('http://portico.test/sign-in/link/hidden');
      expect(body).not.toContain(token);
    }
  });
});
