/**
 * The three transports, against what really receives mail: a real SMTP server on loopback (with
 * STARTTLS and a login, or plain when the URL says so), a local HTTP server standing in for
 * Resend's API through the SDK's baseUrl option, and the development outbox's table. A queued
 * email then goes all the way through the worker to the SMTP server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startWorker } from '../../src/jobs/worker.js';
import { silentLogger } from '../../src/kernel/log.js';
import { type Mail, SendError } from '../../src/mail/mail.js';
import { linkLines, outboxTransport } from '../../src/mail/outbox.js';
import { resendTransport } from '../../src/mail/resend.js';
import { mailJobHandler, queueMail } from '../../src/mail/send.js';
import { smtpTransport } from '../../src/mail/smtp.js';
import { renderEmail } from '../../src/mail/template.js';
import { DIALECTS, freshDatabase, type TestDb } from '../helpers/db.js';
import { header, part, selfSignedCert, startSmtp, type TestSmtp } from '../helpers/mail.js';

const FROM = { name: 'Clearwater Accounting', address: 'portal@clearwater.example' };

async function welcome(): Promise<Mail> {
  const rendered = await renderEmail({
    firmName: 'Clearwater Accounting',
    baseUrl: 'https://portal.clearwater.example',
    subject: 'Your client portal is ready',
    greeting: 'Hello Grace,',
    paragraphs: ['Your documents are waiting.'],
    action: { label: 'Go to Client Portal', path: '/portal/welcome' },
  });
  return { to: 'grace@client.example', kind: 'test', key: 'job123', ...rendered };
}

const failure = async (p: Promise<unknown>): Promise<SendError> => {
  try {
    await p;
  } catch (e) {
    if (e instanceof SendError) return e;
    throw e;
  }
  throw new Error('expected the send to fail');
};

describe('SMTP transport', () => {
  let smtp: TestSmtp;
  const transports: { close(): Promise<void> }[] = [];
  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close()));
    await smtp.close();
  });
  const open = (url: string, tls = true) => {
    const t = smtpTransport(url, FROM, tls ? { tls: { ca: selfSignedCert().cert } } : {});
    transports.push(t);
    return t;
  };

  it('delivers over STARTTLS with the login in SMTP_URL: both parts, subject, sender and recipient', async () => {
    smtp = await startSmtp({ tls: true, users: { portal: 'pa ss:word' } });
    const t = open(`smtp://portal:${encodeURIComponent('pa ss:word')}@127.0.0.1:${smtp.port}`);
    await t.send(await welcome());
    expect(smtp.received).toHaveLength(1);
    const [got] = smtp.received;
    expect([got!.secure, got!.user, got!.from, got!.to]).toEqual([
      true,
      'portal',
      'portal@clearwater.example',
      ['grace@client.example'],
    ]);
    expect(header(got!.raw, 'Subject')).toBe('Your client portal is ready');
    expect(header(got!.raw, 'From')).toBe('Clearwater Accounting <portal@clearwater.example>');
    expect(header(got!.raw, 'To')).toBe('grace@client.example');
    expect(header(got!.raw, 'Message-ID')).toBe('<job123@clearwater.example>');
    expect(header(got!.raw, 'Content-Type')).toMatch(/^multipart\/alternative/);
    const text = part(got!.raw, 'text/plain')!;
    const html = part(got!.raw, 'text/html')!;
    expect(text).toContain('Clearwater Accounting');
    expect(text).toContain('Go to Client Portal: https://portal.clearwater.example/portal/welcome');
    expect(html).toContain('<strong>Clearwater Accounting</strong>');
    expect(html).toContain(
      '<a href="https://portal.clearwater.example/portal/welcome" style="display:inline-block;',
    );
  });

  it('refuses to log in without TLS when the server offers no STARTTLS (the password never crosses in the clear)', async () => {
    smtp = await startSmtp({ users: { portal: 'secret-pw' } });
    const t = open(`smtp://portal:secret-pw@127.0.0.1:${smtp.port}`);
    const e = await failure(t.send(await welcome()));
    expect(e.retryable).toBe(true);
    expect(e.message).not.toContain('secret-pw');
    expect(smtp.received).toEqual([]);
  });

  it('sends in plain text only when the URL says ?ignoreTLS=true', async () => {
    smtp = await startSmtp();
    const t = open(`smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`, false);
    await t.send(await welcome());
    expect(smtp.received.map((r) => [r.secure, r.to])).toEqual([[false, ['grace@client.example']]]);
  });

  it('a wrong password is worth retrying (an operator can fix it) and is never in the error', async () => {
    smtp = await startSmtp({ tls: true, users: { portal: 'right' } });
    const t = open(`smtp://portal:wrong-password-123@127.0.0.1:${smtp.port}`);
    const e = await failure(t.send(await welcome()));
    expect(e.retryable).toBe(true);
    expect(e.message).not.toContain('wrong-password-123');
  });

  it('a recipient refused with 550 is permanent; with 451 it is retried', async () => {
    smtp = await startSmtp({
      tls: true,
      extra: {
        onRcptTo(address, _session, callback) {
          const code = address.address.startsWith('gone')
            ? 550
            : address.address.startsWith('busy')
              ? 451
              : 0;
          if (code) return callback(Object.assign(new Error(`${code} not now`), { responseCode: code }));
          callback();
        },
      },
    });
    const t = open(`smtp://127.0.0.1:${smtp.port}`);
    const mail = await welcome();
    expect((await failure(t.send({ ...mail, to: 'gone@client.example' }))).retryable).toBe(false);
    expect((await failure(t.send({ ...mail, to: 'busy@client.example' }))).retryable).toBe(true);
  });

  it('a server that is not there is worth retrying', async () => {
    smtp = await startSmtp();
    const port = smtp.port;
    await smtp.close();
    smtp = await startSmtp();
    const e = await failure(open(`smtp://127.0.0.1:${port}`).send(await welcome()));
    expect(e.retryable).toBe(true);
  });
});

describe('Resend transport', () => {
  interface Seen {
    method: string;
    url: string;
    authorization: string | undefined;
    idempotencyKey: string | undefined;
    body: Record<string, unknown>;
  }
  let server: http.Server;
  let baseUrl: string;
  const seen: Seen[] = [];
  let answer: { status: number; body: unknown } = { status: 200, body: { id: 're_email_1' } };

  beforeEach(async () => {
    seen.length = 0;
    answer = { status: 200, body: { id: 're_email_1' } };
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          authorization: req.headers.authorization,
          idempotencyKey: req.headers['idempotency-key'] as string | undefined,
          body: JSON.parse(body) as Record<string, unknown>,
        });
        res.writeHead(answer.status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('posts the email to /emails with the API key, an idempotency key per message, and both parts', async () => {
    const t = resendTransport('re_test_key_123', FROM, { baseUrl });
    const mail = await welcome();
    expect(await t.send({ ...mail, replyTo: 'office@clearwater.example' })).toEqual({ id: 're_email_1' });
    expect(seen).toHaveLength(1);
    const [req] = seen;
    expect([req!.method, req!.url, req!.authorization, req!.idempotencyKey]).toEqual([
      'POST',
      '/emails',
      'Bearer re_test_key_123',
      'portico-job123',
    ]);
    expect(req!.body).toMatchObject({
      from: '"Clearwater Accounting" <portal@clearwater.example>',
      to: ['grace@client.example'],
      subject: 'Your client portal is ready',
      text: mail.text,
      html: mail.html,
      reply_to: 'office@clearwater.example',
      tags: [{ name: 'kind', value: 'test' }],
    });
  });

  it.each([
    [500, 'internal_server_error', true],
    [503, 'application_error', true],
    [429, 'rate_limit_exceeded', true],
    [422, 'validation_error', false],
    [403, 'invalid_from_address', false],
  ])('an answer %i (%s) is retryable: %s', async (status, name, retryable) => {
    answer = { status, body: { statusCode: status, name, message: 'no' } };
    const t = resendTransport('re_test_key_123', FROM, { baseUrl });
    const e = await failure(t.send(await welcome()));
    expect(e.retryable).toBe(retryable);
    expect(e.message).toContain(String(status));
    expect(e.message).not.toContain('re_test_key_123');
  });

  it('an API that cannot be reached, or does not answer in time, is retryable', async () => {
    const unreachable = resendTransport('re_test_key_123', FROM, { baseUrl: 'http://127.0.0.1:9' });
    expect((await failure(unreachable.send(await welcome()))).retryable).toBe(true);
    const slow = http.createServer(() => {});
    await new Promise<void>((resolve) => slow.listen(0, '127.0.0.1', resolve));
    try {
      const t = resendTransport('re_test_key_123', FROM, {
        baseUrl: `http://127.0.0.1:${(slow.address() as AddressInfo).port}`,
        timeoutMs: 200,
      });
      expect((await failure(t.send(await welcome()))).retryable).toBe(true);
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });
});

describe.each(DIALECTS)('email through the queue (%s)', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDatabase(dialect);
  });
  afterEach(() => t.close());

  it('the development outbox keeps each message once however often it is retried, and prints only its link lines', async () => {
    const printed: string[] = [];
    const outbox = outboxTransport(t.db, FROM, { print: true, write: (s) => printed.push(s) });
    const mail = await welcome();
    await outbox.send(mail);
    await outbox.send(mail);
    const rows = await t.db.selectFrom('outbox_messages').selectAll().execute();
    expect(rows.map((r) => [r.id, r.to_address, r.from_address, r.subject, r.kind])).toEqual([
      [
        'job123',
        'grace@client.example',
        '"Clearwater Accounting" <portal@clearwater.example>',
        mail.subject,
        'test',
      ],
    ]);
    expect([rows[0]!.text_body, rows[0]!.html_body]).toEqual([mail.text, mail.html]);
    expect(printed[0]).toBe(
      '\n  Email to grace@client.example: Your client portal is ready\n    Go to Client Portal: https://portal.clearwater.example/portal/welcome\n\n',
    );
    expect(linkLines(mail.text)).toHaveLength(1);
  });

  it('in production the outbox prints nothing', async () => {
    const printed: string[] = [];
    const outbox = outboxTransport(t.db, FROM, { print: false, write: (s) => printed.push(s) });
    await outbox.send(await welcome());
    expect(printed).toEqual([]);
  });

  it('a queued email reaches Resend through the worker, and Resend’s id for it is kept beside its job', async () => {
    const keys: (string | undefined)[] = [];
    const api = http.createServer((req, res) => {
      keys.push(req.headers['idempotency-key'] as string | undefined);
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ id: 'resend-id-4b1d' }));
      });
    });
    await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
    const baseUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;
    const worker = startWorker({
      db: t.db,
      log: silentLogger,
      handlers: {
        'mail.send': mailJobHandler(resendTransport('re_test_key_123', FROM, { baseUrl }), undefined, t.db),
      },
      pollMs: 20,
    });
    try {
      const { key: _, ...mail } = await welcome();
      const id = await t.db.transaction().execute((trx) => queueMail(trx, mail));
      const deadline = Date.now() + 10_000;
      const status = () =>
        t.db.selectFrom('jobs').select('status').where('id', '=', id).executeTakeFirstOrThrow();
      while ((await status()).status !== 'done' && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect((await status()).status).toBe('done');
      expect(keys).toEqual([`portico-${id}`]);
      const kept = await t.db.selectFrom('mail_deliveries').selectAll().execute();
      expect(kept.map((d) => [d.job_id, d.provider_id, d.state])).toEqual([[id, 'resend-id-4b1d', null]]);
    } finally {
      await worker.stop();
      await new Promise<void>((resolve) => api.close(() => resolve()));
    }
  });

  it('a queued email reaches the SMTP server through the worker, once, and the job forgets its body', async () => {
    const smtp = await startSmtp({ tls: true, users: { portal: 'pw' } });
    const transport = smtpTransport(`smtp://portal:pw@127.0.0.1:${smtp.port}`, FROM, {
      tls: { ca: selfSignedCert().cert },
    });
    const worker = startWorker({
      db: t.db,
      log: silentLogger,
      handlers: { 'mail.send': mailJobHandler(transport) },
      pollMs: 20,
    });
    try {
      const { key: _, ...mail } = await welcome();
      const id = await t.db.transaction().execute((trx) => queueMail(trx, mail));
      const deadline = Date.now() + 10_000;
      let row = await t.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      while (row.status !== 'done' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        row = await t.db.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      }
      expect(row.status).toBe('done');
      expect(JSON.parse(row.payload)).toEqual({
        to: 'grace@client.example',
        subject: 'Your client portal is ready',
        kind: 'test',
      });
      expect(smtp.received).toHaveLength(1);
      expect(header(smtp.received[0]!.raw, 'Message-ID')).toBe(`<${id}@clearwater.example>`);
    } finally {
      await worker.stop();
      await transport.close();
      await smtp.close();
    }
  });
});
