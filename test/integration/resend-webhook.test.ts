/**
 * Resend's delivery webhooks tell staff what became of an email after Resend accepted it: a
 * notification says "delivered" or "bounced" only once a webhook signed with RESEND_WEBHOOK_SECRET
 * says so, and says "accepted by Resend" until then. The furthest outcome wins whatever order the
 * webhooks come in; the same webhook twice, an email Portico did not send and an event it has no use
 * for change nothing and are answered 200 (Resend sends again whatever is not); a request not
 * signed by Resend is refused 401 and changes nothing; without the secret the route is not there.
 */
import type { Hono } from 'hono';
import { beforeEach, describe, expect, it } from 'vitest';
import { type Assembly, assemble, createApp } from '../../src/app.js';
import { type LogFields, type Logger, silentLogger } from '../../src/kernel/log.js';
import {
  forgetOldDeliveries,
  HOLD_UNMATCHED_MS,
  insertSent,
  KEEP_DELIVERIES_MS,
} from '../../src/mail/deliveries/queries.js';
import type { Transport } from '../../src/mail/mail.js';
import { outboxTransport } from '../../src/mail/outbox.js';
import { mailJobHandler, queueMail } from '../../src/mail/send.js';
import { emailState, notify } from '../../src/notifications/inbox.js';
import { emailWords } from '../../src/notifications/inbox-views.js';
import { BASE_URL, type Client, pageText, testConfig } from '../helpers/app.js';
import { DIALECTS, snapshot } from '../helpers/db.js';
import { signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { runDue, runSchedules } from '../helpers/jobs.js';
import {
  postWebhook,
  resendEvent,
  svixHeaders,
  WEBHOOK_SECRET,
  webhookMail,
} from '../helpers/resend-webhook.js';

/** Email through Resend (never called here: jobs run with a stand-in), its webhook set up. */
const MAIL = { ...webhookMail(), transport: { kind: 'resend' as const, apiKey: 're_test_key' } };
const RECIPIENT = 'grace@client.example';
const SUBJECT = 'Grace Hopper sent you files';
const NOTICE = 'Grace Hopper uploaded Bank statement.pdf to Clearwater Holdings';
const BOUNCE = {
  type: 'Permanent',
  subType: 'General',
  message: '550 5.1.1 <grace@client.example> no mailbox',
};

/** A transport answering as Resend does, with this id, without sending anything. */
const resendSaying = (id: string): Transport => ({
  kind: 'resend',
  send: async () => ({ id }),
  close: async () => {},
});

describe('what a notification says of its email, with Resend’s webhooks', () => {
  const now = Date.now();
  const done = { status: 'done' as const, attempts: 1 };

  it('says what Resend said when it said anything, else what the queue knows: never "delivered" unheard', () => {
    expect(emailState('j', done, now, now, null)).toBe('accepted');
    expect(emailState('j', { status: 'queued', attempts: 0 }, now, now, null)).toBe('queued');
    expect(emailState('j', done, now, now, 'delivered')).toBe('delivered');
    expect(emailState('j', done, now, now, 'bounced')).toBe('bounced');
    expect(emailState('j', done, now, now, 'failed')).toBe('failed');
    // The job tidied away after a week; what Resend said is still known.
    expect(emailState('j', null, now - 10 * 86_400_000, now, 'delivered')).toBe('delivered');
    expect(emailState(null, null, now, now, null)).toBe('none');
  });

  it('puts each outcome in words that claim no more than was heard', () => {
    expect(emailWords('delivered', 'Resend')).toBe("Email delivered to the recipient's mail server");
    expect(emailWords('bounced', 'Resend')).toBe("Email bounced: the recipient's mail server refused it");
    expect(emailWords('complained', 'Resend')).toBe('Email delivered, then marked as spam by the recipient');
    expect(emailWords('delayed', 'Resend')).toMatch(/^Email delayed: .* Resend keeps trying$/);
    expect(emailWords('suppressed', 'Resend')).toMatch(/^Email not sent: Resend holds back this address/);
    expect(emailWords('accepted', 'Resend')).toBe('Email accepted by Resend');
  });
});

describe.each(DIALECTS)('Resend’s delivery webhooks (%s)', (dialect) => {
  const firm = useFirm(dialect, { config: { mail: MAIL } });
  let app: Hono;
  let assembly: Assembly;
  let warnings: { msg: string; fields?: LogFields }[];
  let errors: string[];
  let staff: Client;

  beforeEach(async () => {
    warnings = [];
    errors = [];
    const log: Logger = {
      ...silentLogger,
      warn: (msg, fields) => warnings.push({ msg, fields }),
      error: (msg) => errors.push(msg),
    };
    const deps = { config: testConfig({ mail: MAIL }), db: firm.db, log };
    assembly = assemble(deps);
    app = createApp(deps, assembly);
    staff = await signedIn(app, firm.db, firm.admin);
  });

  /** A notification to the Admin with an email, queued and not yet sent; its job's id. */
  async function queuedNotice(): Promise<string> {
    const jobId = await queueMail(firm.db, {
      to: RECIPIENT,
      subject: SUBJECT,
      text: 'Open Portico',
      html: '<p>Open Portico</p>',
      kind: 'files.client-upload',
    });
    await notify(firm.db, {
      userId: firm.admin.id,
      kind: 'files.client_uploaded',
      text: NOTICE,
      href: '/',
      mailJobId: jobId,
    });
    return jobId;
  }

  /** A notification to the Admin whose email Resend accepted under `providerId`; its job's id. */
  async function notifiedThroughResend(providerId: string): Promise<string> {
    const jobId = await queuedNotice();
    expect(
      await runDue(firm.db, { 'mail.send': mailJobHandler(resendSaying(providerId), undefined, firm.db) }),
    ).toEqual(['mail.send:done']);
    return jobId;
  }

  /** What the notifications page says of the Admin's newest notification's email. */
  async function shown(): Promise<string> {
    const text = pageText(await (await staff.get('/notifications')).text());
    return (
      text.match(new RegExp(`${NOTICE}.*? · ([^\\n]*?)\\s*(?:Older|Mark all|$)`, 's'))?.[1]?.trim() ?? text
    );
  }

  const tell = async (type: string, providerId: string, data: Record<string, unknown> = {}) => {
    const res = await postWebhook(app, resendEvent(type, providerId, data));
    expect(res.status, `${type} for ${providerId}`).toBe(200);
    return res;
  };

  const deliveryOf = (jobId: string) =>
    firm.db.selectFrom('mail_deliveries').selectAll().where('job_id', '=', jobId).executeTakeFirst();

  it('keeps Resend’s id for each email it accepts, beside its job; the outbox and SMTP keep none', async () => {
    const jobId = await notifiedThroughResend('em_accepted');
    expect(await deliveryOf(jobId)).toMatchObject({ job_id: jobId, provider_id: 'em_accepted', state: null });
    const kept = await queueMail(firm.db, {
      to: RECIPIENT,
      subject: 'x',
      text: 'x',
      html: 'x',
      kind: 'test',
    });
    const outbox = outboxTransport(
      firm.db,
      { name: null, address: 'portico@portico.test' },
      { print: false },
    );
    await runDue(firm.db, { 'mail.send': mailJobHandler(outbox, undefined, firm.db) });
    expect(await deliveryOf(kept)).toBeUndefined();
  });

  it('shows "accepted by Resend" until a webhook says more, then "delayed", then "delivered"', async () => {
    await notifiedThroughResend('em_1');
    expect(await shown()).toBe('Email accepted by Resend');
    await tell('email.sent', 'em_1');
    expect(await shown()).toBe('Email accepted by Resend');
    await tell('email.delivery_delayed', 'em_1');
    expect(await shown()).toBe(
      "Email delayed: the recipient's mail server has not taken it yet, Resend keeps trying",
    );
    await tell('email.delivered', 'em_1');
    expect(await shown()).toBe("Email delivered to the recipient's mail server");
  });

  it('a bounce shows as bounced, is written in the audit log with its recipient and reason, and logged without the address', async () => {
    const jobId = await notifiedThroughResend('em_2');
    await tell('email.bounced', 'em_2', { bounce: BOUNCE });
    expect(await shown()).toBe("Email bounced: the recipient's mail server refused it");
    const audit = await firm.db
      .selectFrom('audit_events')
      .selectAll()
      .where('action', '=', 'email.undelivered')
      .execute();
    expect(audit.map((a) => [a.actor_id, a.actor_label, a.object_type, a.object_id, a.object_label])).toEqual(
      [[null, 'Resend', 'email', jobId, SUBJECT]],
    );
    expect(JSON.parse(audit[0]!.after_json!)).toEqual({
      recipient: RECIPIENT,
      outcome: "Bounced: the recipient's mail server refused it",
      reason: 'Permanent, General: 550 5.1.1 <grace@client.example> no mailbox',
    });
    const logged = warnings.filter((w) => w.msg === 'email not delivered');
    expect(logged.map((w) => w.fields)).toEqual([
      { job: jobId, kind: 'files.client-upload', outcome: 'bounced' },
    ]);
    expect(JSON.stringify(warnings)).not.toContain(RECIPIENT);
    // Admins read it in the audit log.
    expect(pageText(await (await staff.get('/audit')).text())).toContain('Email not delivered');
  });

  it.each([
    [['email.delivered', 'email.bounced'], 'bounced'],
    [['email.bounced', 'email.delivered'], 'bounced'],
    [['email.delivered', 'email.complained', 'email.delivery_delayed'], 'complained'],
    [['email.failed', 'email.delivery_delayed', 'email.delivered'], 'failed'],
  ])(
    '%o, in that order, end at %s: the furthest outcome, whatever order the webhooks come in',
    async (types, end) => {
      const jobId = await notifiedThroughResend('em_order');
      for (const type of types)
        await tell(type, 'em_order', type === 'email.bounced' ? { bounce: BOUNCE } : {});
      expect((await deliveryOf(jobId))?.state).toBe(end);
    },
  );

  it('of any two outcomes, in either order, the further stays: delayed, delivered, complained, suppressed, failed, bounced', async () => {
    const FURTHEST_LAST = ['delivery_delayed', 'delivered', 'complained', 'suppressed', 'failed', 'bounced'];
    const STATE = (type: string) => (type === 'delivery_delayed' ? 'delayed' : type);
    let n = 0;
    const wrong: string[] = [];
    for (const [i, first] of FURTHEST_LAST.entries())
      for (const [j, second] of FURTHEST_LAST.entries()) {
        if (i === j) continue;
        const id = `em_pair_${n++}`;
        const jobId = await notifiedThroughResend(id);
        await tell(`email.${first}`, id);
        await tell(`email.${second}`, id);
        const end = (await deliveryOf(jobId))?.state;
        const expected = STATE(FURTHEST_LAST[Math.max(i, j)]!);
        if (end !== expected) wrong.push(`${first} then ${second}: ${end}, expected ${expected}`);
      }
    expect(wrong).toEqual([]);
  });

  it('the same webhook twice changes nothing the second time, and a bounce is written once', async () => {
    const jobId = await notifiedThroughResend('em_3');
    const body = resendEvent('email.bounced', 'em_3', { bounce: BOUNCE });
    const headers = svixHeaders(body, { id: 'msg_same' });
    expect((await postWebhook(app, body, headers)).status).toBe(200);
    const after = await snapshot(firm.db);
    expect((await postWebhook(app, body, headers)).status).toBe(200);
    expect(await snapshot(firm.db)).toEqual(after);
    expect((await deliveryOf(jobId))?.state).toBe('bounced');
    expect(warnings.filter((w) => w.msg === 'email not delivered')).toHaveLength(1);
  });

  const held = () => firm.db.selectFrom('mail_outcomes_held').selectAll().orderBy('provider_id').execute();

  const undeliveredLines = () =>
    firm.db
      .selectFrom('audit_events')
      .select(['object_id', 'after_json'])
      .where('action', '=', 'email.undelivered')
      .execute();

  it('an email Portico did not send, and events it has no use for, are answered 200; what it did not send is only held, for a day', async () => {
    await notifiedThroughResend('em_4');
    const before = await snapshot(firm.db);
    await tell('email.bounced', 'em_someone_elses', { bounce: BOUNCE });
    await tell('email.delivered', 'em_5');
    for (const type of ['email.opened', 'email.clicked', 'email.sent', 'email.received', 'email.scheduled'])
      await tell(type, 'em_4');
    for (const body of [
      JSON.stringify({ type: 'contact.created', created_at: '2026-01-01', data: { id: 'c1' } }),
      JSON.stringify({ type: 'email.delivered', data: { email_id: 42 } }),
      JSON.stringify({ type: 'email.delivered', data: ['em_4'] }),
      JSON.stringify({ type: 'email.delivered' }),
      JSON.stringify({ type: 'constructor', data: { email_id: 'em_4' } }),
      JSON.stringify({ type: 'toString', data: { email_id: 'em_4' } }),
      JSON.stringify({ type: 'email.delivered', data: { email_id: 'x'.repeat(100_000) } }),
      '[]',
      'null',
      '"email.delivered"',
      '{}',
    ])
      expect((await postWebhook(app, body)).status, body.slice(0, 80)).toBe(200);
    // The two outcomes of emails Portico has no id for wait, in case their ids are being saved.
    expect((await held()).map((h) => [h.provider_id, h.state])).toEqual([
      ['em_5', 'delivered'],
      ['em_someone_elses', 'bounced'],
      ['x'.repeat(100_000), 'delivered'],
    ]);
    const { mail_outcomes_held: _, ...rest } = await snapshot(firm.db);
    const { mail_outcomes_held: __, ...restBefore } = before;
    expect(rest).toEqual(restBefore);
    expect(await shown()).toBe('Email accepted by Resend');
    // A day later, nobody claimed them.
    await forgetOldDeliveries(firm.db, Date.now() + HOLD_UNMATCHED_MS + 1000);
    expect(await held()).toEqual([]);
    expect(await undeliveredLines()).toEqual([]);
  });

  it('an outcome heard before the email’s id was saved is acted on when it is saved: shown, and a bounce written once', async () => {
    const jobId = await queuedNotice();
    // The worker died after Resend accepted it and before saving the id; Resend's webhooks come.
    await tell('email.delivery_delayed', 'em_early');
    await tell('email.bounced', 'em_early', { bounce: BOUNCE });
    await tell('email.delivered', 'em_early');
    expect((await held()).map((h) => [h.provider_id, h.state, h.reason])).toEqual([
      ['em_early', 'bounced', 'Permanent, General: 550 5.1.1 <grace@client.example> no mailbox'],
    ]);
    // The job runs again; Resend answers with the same id.
    expect(
      await runDue(firm.db, { 'mail.send': mailJobHandler(resendSaying('em_early'), undefined, firm.db) }),
    ).toEqual(['mail.send:done']);
    expect(await deliveryOf(jobId)).toMatchObject({ provider_id: 'em_early', state: 'bounced' });
    expect(await held()).toEqual([]);
    expect(await shown()).toBe("Email bounced: the recipient's mail server refused it");
    const lines = await undeliveredLines();
    expect(lines.map((l) => [l.object_id, JSON.parse(l.after_json!).recipient])).toEqual([
      [jobId, RECIPIENT],
    ]);
    // A later webhook goes on as usual: nothing further than a bounce.
    await tell('email.delivered', 'em_early');
    expect((await deliveryOf(jobId))?.state).toBe('bounced');
    expect(await undeliveredLines()).toHaveLength(1);
  });

  it('an outcome held while the id was being saved is settled by the hourly tidying', async () => {
    const jobId = await queuedNotice();
    await runDue(firm.db, { 'mail.send': mailJobHandler(resendSaying('em_race')) });
    await tell('email.delivered', 'em_race');
    // The id saved by another process in the same instant, past the held outcome.
    await insertSent(firm.db, jobId, 'em_race');
    expect(await shown()).toBe('Email accepted by Resend');
    await runSchedules(firm.db, assembly.host);
    expect((await deliveryOf(jobId))?.state).toBe('delivered');
    expect(await held()).toEqual([]);
    expect(await shown()).toBe("Email delivered to the recipient's mail server");
  });

  it('refuses with 401, changing nothing, what Resend did not sign: another secret, a changed body, an old timestamp, no signature', async () => {
    await notifiedThroughResend('em_6');
    const before = await snapshot(firm.db);
    const body = resendEvent('email.delivered', 'em_6');
    const other = `whsec_${Buffer.alloc(24, 3).toString('base64')}`;
    const signed = svixHeaders(body);
    const cases: [string, string, Record<string, string>][] = [
      ['another secret', body, svixHeaders(body, { secret: other })],
      ['a changed body', body.replace('delivered', 'bounced'), signed],
      [
        'a timestamp six minutes old',
        body,
        svixHeaders(body, { timestamp: Math.floor(Date.now() / 1000) - 360 }),
      ],
      [
        'a timestamp six minutes ahead',
        body,
        svixHeaders(body, { timestamp: Math.floor(Date.now() / 1000) + 360 }),
      ],
      ['no signature', body, { 'Content-Type': 'application/json' }],
      ['a signature without its id', body, { ...signed, 'svix-id': '' }],
      ['a malformed timestamp', body, { ...signed, 'svix-timestamp': 'now' }],
      ['a signature that is not base64', body, { ...signed, 'svix-signature': 'v1,####' }],
      [
        'the secret itself as the signature',
        body,
        { ...signed, 'svix-signature': `v1,${WEBHOOK_SECRET.slice(6)}` },
      ],
    ];
    for (const [name, sent, headers] of cases) {
      const res = await postWebhook(app, sent, headers);
      expect([name, res.status]).toEqual([name, 401]);
      expect(await res.text()).not.toContain(WEBHOOK_SECRET.slice(6));
    }
    expect(await snapshot(firm.db)).toEqual(before);
    expect(warnings.map((w) => w.msg)).toEqual(Array(cases.length).fill('resend webhook refused'));
    expect(JSON.stringify(warnings)).not.toContain(WEBHOOK_SECRET.slice(6));
  });

  it('is not there without RESEND_WEBHOOK_SECRET: 404 even to a well-signed webhook, changing nothing', async () => {
    const jobId = await notifiedThroughResend('em_7');
    const deps = { config: testConfig(), db: firm.db, log: silentLogger };
    const without = createApp(deps, assemble(deps));
    const before = await snapshot(firm.db);
    const res = await postWebhook(without, resendEvent('email.delivered', 'em_7'));
    expect(res.status).toBe(404);
    expect(await snapshot(firm.db)).toEqual(before);
    expect((await deliveryOf(jobId))?.state).toBeNull();
  });

  it('meets hostile requests with a calm 4xx, never a 500, changing nothing; reads a large event', async () => {
    await notifiedThroughResend('em_8');
    const before = await snapshot(firm.db);
    const signedAs = (body: string | Uint8Array, type: string) => ({
      ...svixHeaders(body),
      'Content-Type': type,
    });
    const delivered = resendEvent('email.delivered', 'em_8');
    // Read not as em_8 with a replacement character, but not at all.
    const [head, tail] = delivered.split('em_8');
    const notUtf8 = Buffer.concat([Buffer.from(`${head}em_8`), Buffer.from([0xff]), Buffer.from(tail!)]);
    const large = JSON.stringify({
      type: 'email.opened',
      data: { email_id: 'em_8', pad: 'x'.repeat(200 * 1024) },
    });
    const huge = JSON.stringify({
      type: 'email.delivered',
      data: { email_id: 'em_8', pad: 'x'.repeat(300 * 1024) },
    });
    const cases: [string, string | Uint8Array, Record<string, string>, number][] = [
      ['signed, but not JSON', 'type=email.delivered', svixHeaders('type=email.delivered'), 400],
      ['signed JSON cut short', delivered.slice(0, 40), svixHeaders(delivered.slice(0, 40)), 400],
      ['signed, with bytes that are not UTF-8 in its email id', notUtf8, svixHeaders(notUtf8), 400],
      ['signed, deeply nested', '['.repeat(100_000), svixHeaders('['.repeat(100_000)), 400],
      ['sent as a form', delivered, signedAs(delivered, 'application/x-www-form-urlencoded'), 415],
      ['sent as text', delivered, signedAs(delivered, 'text/plain'), 415],
      ['with no content type', delivered, { ...svixHeaders(delivered), 'Content-Type': '' }, 415],
      ['as JSONP', delivered, signedAs(delivered, 'application/jsonp'), 415],
      ['over 256 KB', huge, svixHeaders(huge), 413],
      // Larger than any form, still an event's size: read, and (an open) changes nothing.
      ['200 KB', large, svixHeaders(large), 200],
      ['JSON naming its charset', large, signedAs(large, 'application/json; charset=utf-8'), 200],
    ];
    for (const [name, body, headers, status] of cases) {
      const res = await postWebhook(app, body, headers);
      expect([name, res.status]).toEqual([name, status]);
    }
    for (const headers of [{ 'Content-Length': '1000' }, { 'Transfer-Encoding': 'chunked' }] as Record<
      string,
      string
    >[]) {
      const dropped = new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.enqueue(new TextEncoder().encode(delivered.slice(0, 30)));
          controller.error(new Error('aborted'));
        },
      });
      const res = await app.request(`${BASE_URL}/webhooks/resend`, {
        method: 'POST',
        body: dropped,
        duplex: 'half',
        headers: { ...svixHeaders(delivered), ...headers },
      } as RequestInit);
      expect(['a connection that drops', headers, res.status]).toEqual([
        'a connection that drops',
        headers,
        400,
      ]);
    }
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const res = await app.request(`${BASE_URL}/webhooks/resend`, { method, headers: svixHeaders('') });
      expect([method, res.status]).toEqual([method, 404]);
    }
    expect(errors).toEqual([]);
    expect(await snapshot(firm.db)).toEqual(before);
  });

  it('asks no session and no form origin of this path alone: another site still cannot post anything else', async () => {
    await notifiedThroughResend('em_9');
    const body = resendEvent('email.delivered', 'em_9');
    const foreign = { ...svixHeaders(body), Origin: 'https://evil.example' };
    expect((await postWebhook(app, body, foreign)).status).toBe(200);
    expect(await shown()).toBe("Email delivered to the recipient's mail server");
    for (const path of ['/webhooks/resend/', '/webhooks/resendx', '/webhooks', '/notifications/read']) {
      const res = await app.request(`${BASE_URL}${path}`, { method: 'POST', body, headers: foreign });
      expect([path, res.status]).toEqual([path, 403]);
    }
  });

  it('forgets what Resend said after 30 days, as the notification then no longer tells', async () => {
    const old = await notifiedThroughResend('em_old');
    const recent = await notifiedThroughResend('em_recent');
    await firm.db
      .updateTable('mail_deliveries')
      .set({ sent_at: Date.now() - KEEP_DELIVERIES_MS - 1 })
      .where('job_id', '=', old)
      .execute();
    await forgetOldDeliveries(firm.db);
    expect(await deliveryOf(old)).toBeUndefined();
    expect(await deliveryOf(recent)).toBeDefined();
  });
});
