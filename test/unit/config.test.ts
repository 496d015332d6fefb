/** Configuration from the environment: defaults, and one clear line for each bad value (email and queue too). */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, envSchema, loadConfig } from '../../src/kernel/config.js';
import { describeTransport } from '../../src/mail/transport.js';

const error = (env: Record<string, string>) => {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e.message;
    throw e;
  }
  throw new Error('expected a ConfigError');
};

describe('configuration', () => {
  it('runs with no configuration at all: port 3000, SQLite under ./data, links to localhost', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.dataDir).toBe(path.resolve('./data'));
    expect(c.databaseUrl).toBe(`sqlite:${path.resolve('./data/portico.db')}`);
    expect(c.baseUrl).toBe('http://localhost:3000');
    expect(c.logLevel).toBe('info');
  });

  it('puts the default SQLite database in DATA_DIR', () => {
    expect(loadConfig({ DATA_DIR: '/srv/portico' }).databaseUrl).toBe('sqlite:/srv/portico/portico.db');
  });

  it('accepts a PostgreSQL URL and an https BASE_URL', () => {
    const c = loadConfig({
      DATABASE_URL: 'postgres://u@db/portico',
      BASE_URL: 'https://portal.example.com/',
    });
    expect(c.databaseUrl).toBe('postgres://u@db/portico');
    expect(c.baseUrl).toBe('https://portal.example.com');
  });

  it.each([
    [{ PORT: 'abc' }, 'Invalid configuration: PORT must be a whole number between 1 and 65535 (got "abc")'],
    [
      { PORT: '70000' },
      'Invalid configuration: PORT must be a whole number between 1 and 65535 (got "70000")',
    ],
    [
      { LOG_LEVEL: 'loud' },
      'Invalid configuration: LOG_LEVEL must be one of debug, info, warn, error (got "loud")',
    ],
    [
      { BASE_URL: 'portal.example.com' },
      'Invalid configuration: BASE_URL must be an absolute http:// or https:// URL (got "portal.example.com")',
    ],
    [{ BASE_URL: 'https://x.example/portal' }, 'BASE_URL must be an origin only'],
    [
      { DATABASE_URL: 'mysql://x' },
      'Invalid configuration: DATABASE_URL must be sqlite:<file path> or a postgres:// (postgresql://) URL',
    ],
    [
      { NODE_ENV: 'prod' },
      'Invalid configuration: NODE_ENV must be one of development, production, test (got "prod")',
    ],
    [{ TRUST_PROXY: 'yes' }, 'Invalid configuration: TRUST_PROXY must be true or false (got "yes")'],
  ])('refuses %o with one line naming the variable', (env, message) => {
    const m = error(env);
    expect(m).toContain(message);
    expect(m).not.toContain('\n');
  });

  it('never prints a database URL, which may hold a password', () => {
    expect(error({ DATABASE_URL: 'mysql://user:hunter2@db' })).not.toContain('hunter2');
  });

  const KEY = Buffer.alloc(32, 9).toString('base64');

  it('requires BASE_URL in production, on a public address or behind a proxy', () => {
    expect(error({ NODE_ENV: 'production', HOST: '0.0.0.0' })).toMatch(
      /^Invalid configuration: BASE_URL is required/,
    );
    expect(error({ NODE_ENV: 'production' })).toMatch(
      /^Invalid configuration: BASE_URL is required .*behind a proxy/,
    );
    expect(
      loadConfig({ NODE_ENV: 'production', HOST: '0.0.0.0', BASE_URL: 'https://p.example', SECRET_KEY: KEY })
        .baseUrl,
    ).toBe('https://p.example');
    expect(loadConfig({}).baseUrl).toBe('http://localhost:3000');
  });

  it('requires SECRET_KEY in production, of 32 bytes or more as base64 or hex, and never prints it', () => {
    const prod = { NODE_ENV: 'production', BASE_URL: 'https://p.example' };
    expect(error(prod)).toBe(
      'Invalid configuration: SECRET_KEY is required when NODE_ENV=production (at least 32 random bytes as base64 or hex; make one with: openssl rand -base64 32)',
    );
    const short = 'c2hvcnQtYnV0LXNlY3JldC1rZXk=';
    expect(error({ ...prod, SECRET_KEY: short })).toBe(
      'Invalid configuration: SECRET_KEY must be at least 32 random bytes written as base64 or hex (make one with: openssl rand -base64 32)',
    );
    expect(error({ SECRET_KEY: 'not a key at all, though it is long enough to be one' })).not.toContain(
      'long enough',
    );
    const bytes = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
    for (const written of [
      Buffer.from(bytes).toString('base64'),
      Buffer.from(bytes).toString('base64url'),
      Buffer.from(bytes).toString('hex'),
    ])
      expect(loadConfig({ ...prod, SECRET_KEY: written }).secretKey).toEqual(bytes);
    expect(loadConfig({}).secretKey).toBeUndefined();
  });

  it('keeps files on disk unless S3_BUCKET names a bucket, which then needs its keys, never echoing the secret', () => {
    expect(loadConfig({}).storage).toEqual({ kind: 'disk' });
    expect(error({ S3_BUCKET: 'Portico_Files' })).toBe(
      'Invalid configuration: S3_BUCKET must be a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens (got "Portico_Files")',
    );
    expect(error({ S3_BUCKET: 'portico-files', S3_SECRET_ACCESS_KEY: 'hunter2-secret' })).toBe(
      'Invalid configuration: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required when S3_BUCKET is set (the key that may read and write the bucket)',
    );
    expect(error({ S3_SECRET_ACCESS_KEY: '', S3_ENDPOINT: 'not a url' })).toContain('S3_ENDPOINT');
    expect(
      loadConfig({
        S3_BUCKET: 'portico-files',
        S3_ENDPOINT: 'https://s3.eu-central-003.backblazeb2.com',
        S3_REGION: 'eu-central-003',
        S3_ACCESS_KEY_ID: 'key-id',
        S3_SECRET_ACCESS_KEY: 'hunter2-secret',
        S3_FORCE_PATH_STYLE: 'true',
      }).storage,
    ).toEqual({
      kind: 's3',
      bucket: 'portico-files',
      region: 'eu-central-003',
      endpoint: 'https://s3.eu-central-003.backblazeb2.com',
      accessKeyId: 'key-id',
      secretAccessKey: 'hunter2-secret',
      forcePathStyle: true,
    });
    // A bucket copies a finished upload to its address in one step, of at most 5 GB.
    const bucket = {
      S3_BUCKET: 'portico-files',
      S3_ACCESS_KEY_ID: 'key-id',
      S3_SECRET_ACCESS_KEY: 'hunter2-secret',
    };
    expect(loadConfig({ ...bucket, MAX_UPLOAD_MB: '5120' }).files?.maxBytes).toBe(5 * 1024 ** 3);
    expect(error({ ...bucket, MAX_UPLOAD_MB: '5121' })).toBe(
      'Invalid configuration: MAX_UPLOAD_MB must be at most 5120 when S3_BUCKET is set (a bucket copies a file of at most 5 GB in one step) (got "5121")',
    );
    expect(loadConfig({ MAX_UPLOAD_MB: '10240' }).files?.maxBytes).toBe(10 * 1024 ** 3);
  });

  it('scans uploads with clamd only when CLAMD_URL names it, over TCP or a unix socket', () => {
    expect(loadConfig({}).clamd).toBeUndefined();
    expect(loadConfig({ CLAMD_URL: 'tcp://127.0.0.1:3310' }).clamd).toEqual({
      kind: 'tcp',
      host: '127.0.0.1',
      port: 3310,
    });
    expect(loadConfig({ CLAMD_URL: 'tcp://clamav' }).clamd).toEqual({
      kind: 'tcp',
      host: 'clamav',
      port: 3310,
    });
    expect(loadConfig({ CLAMD_URL: 'unix:/run/clamav/clamd.ctl' }).clamd).toEqual({
      kind: 'unix',
      path: '/run/clamav/clamd.ctl',
    });
    for (const bad of ['http://127.0.0.1:3310', 'unix:clamd.ctl', 'tcp://:3310', 'tcp://host:0', 'tcp://h/x'])
      expect(error({ CLAMD_URL: bad })).toBe(
        `Invalid configuration: CLAMD_URL must be tcp://host:port (such as tcp://127.0.0.1:3310) or unix:/path/to/clamd.ctl (got "${bad}")`,
      );
  });

  it('blocks the usual programs unless told otherwise, and accepts only ALLOWED_EXTENSIONS when they are set', () => {
    expect(loadConfig({}).files?.blockedExtensions).toContain('exe');
    expect(loadConfig({}).files?.allowedExtensions).toBeUndefined();
    expect(loadConfig({ BLOCKED_EXTENSIONS: '' }).files?.blockedExtensions).toEqual([]);
    expect(loadConfig({ ALLOWED_EXTENSIONS: ' ' }).files?.allowedExtensions).toBeUndefined();
    expect(loadConfig({ ALLOWED_EXTENSIONS: 'PDF, docx ,xlsx' }).files?.allowedExtensions).toEqual([
      'pdf',
      'docx',
      'xlsx',
    ]);
    expect(error({ ALLOWED_EXTENSIONS: '.pdf' })).toBe(
      'Invalid configuration: ALLOWED_EXTENSIONS must be extensions without dots, separated by commas, such as pdf,docx,xlsx (or empty: any) (got ".pdf")',
    );
    expect(error({ BLOCKED_EXTENSIONS: 'exe;bat' })).toBe(
      'Invalid configuration: BLOCKED_EXTENSIONS must be extensions without dots, separated by commas, such as exe,bat,js (or empty: none blocked) (got "exe;bat")',
    );
  });

  it('is described in full by the README’s configuration table', () => {
    const readme = fs.readFileSync(path.join(import.meta.dirname, '../../README.md'), 'utf8');
    // A row names one variable, or a few that go together: "| `A`, `B` | …".
    const rows = [...readme.matchAll(/^\| (`[A-Z][A-Z0-9_]*`(?:, `[A-Z][A-Z0-9_]*`)*) \|/gm)];
    const described = new Set(rows.flatMap((m) => [...m[1]!.matchAll(/`([A-Z0-9_]+)`/g)].map((n) => n[1])));
    expect(Object.keys(envSchema.entries).filter((name) => !described.has(name))).toEqual([]);
  });

  it('names every bad variable, one line each', () => {
    expect(error({ PORT: 'x', LOG_LEVEL: 'loud' }).split('\n')).toEqual([
      'Invalid configuration: PORT must be a whole number between 1 and 65535 (got "x")',
      'Invalid configuration: LOG_LEVEL must be one of debug, info, warn, error (got "loud")',
    ]);
  });
});

describe('email configuration', () => {
  it('uses the development outbox when nothing is set, from Portico at BASE_URL’s host', () => {
    const c = loadConfig({ BASE_URL: 'https://portal.example.com' });
    expect(c.mail).toEqual({
      transport: { kind: 'outbox' },
      from: { name: 'Portico', address: 'portico@portal.example.com' },
    });
    expect(c.queue).toEqual({ concurrency: 4, pollMs: 1000 });
    expect(describeTransport(c)).toBe('the development outbox');
  });

  it('prefers Resend to SMTP when both are set, and reads the sender from MAIL_FROM', () => {
    const c = loadConfig({
      RESEND_API_KEY: 're_abc123',
      SMTP_URL: 'smtp://u:p@mail.example.com:587',
      MAIL_FROM: 'Clearwater Accounting <portal@clearwater.example>',
    });
    expect(c.mail).toEqual({
      transport: { kind: 'resend', apiKey: 're_abc123' },
      from: { name: 'Clearwater Accounting', address: 'portal@clearwater.example' },
    });
    expect(describeTransport(c)).toBe('Resend');
  });

  it('describes SMTP without its password', () => {
    const c = loadConfig({
      SMTP_URL: 'smtp://u:hunter2@mail.example.com',
      MAIL_FROM: 'portal@clearwater.example',
    });
    expect(c.mail?.from).toEqual({ name: null, address: 'portal@clearwater.example' });
    expect(describeTransport(c)).toBe('SMTP server mail.example.com:587, STARTTLS');
    const s = loadConfig({ SMTP_URL: 'smtps://mail.example.com', MAIL_FROM: 'a@b.example' });
    expect(describeTransport(s)).toBe('SMTP server mail.example.com:465, TLS');
    const plain = loadConfig({ SMTP_URL: 'smtp://127.0.0.1:25?ignoreTLS=true', MAIL_FROM: 'a@b.example' });
    expect(describeTransport(plain)).toBe('SMTP server 127.0.0.1:25, no TLS');
  });

  it.each([
    [
      { SMTP_URL: 'smtp://u:p@mail.example.com' },
      'Invalid configuration: MAIL_FROM is required when SMTP_URL is set',
    ],
    [{ RESEND_API_KEY: 're_x' }, 'Invalid configuration: MAIL_FROM is required when RESEND_API_KEY is set'],
    [
      { MAIL_FROM: 'Clearwater <not an address>' },
      'Invalid configuration: MAIL_FROM must be an address, or a name and address such as Clearwater Accounting <portal@clearwater.example> (got "Clearwater <not an address>")',
    ],
    [
      { SMTP_URL: 'http://mail.example.com', MAIL_FROM: 'a@b.example' },
      'Invalid configuration: SMTP_URL must be smtp://',
    ],
    [
      { SMTP_URL: 'smtp://mail.example.com?tls.rejectUnauthorized=false' },
      'Invalid configuration: SMTP_URL must be',
    ],
    [
      { RESEND_API_KEY: 'sk_live_1' },
      'Invalid configuration: RESEND_API_KEY must be a Resend API key (it starts with re_)',
    ],
    [
      { QUEUE_CONCURRENCY: '0' },
      'Invalid configuration: QUEUE_CONCURRENCY must be a whole number between 1 and 64 (got "0")',
    ],
    [
      { QUEUE_POLL_MS: 'soon' },
      'Invalid configuration: QUEUE_POLL_MS must be a whole number between 50 and 60000',
    ],
  ])('refuses %o with one line naming the variable', (env, message) => {
    const m = error(env);
    expect(m).toContain(message);
    expect(m).not.toContain('\n');
  });

  it('never prints an SMTP URL or API key, which hold secrets', () => {
    expect(
      error({ SMTP_URL: 'smtp://u:hunter2@mail.example.com/x', MAIL_FROM: 'a@b.example' }),
    ).not.toContain('hunter2');
    expect(error({ RESEND_API_KEY: 'sk_hunter2' })).not.toContain('hunter2');
  });
});

describe("Resend's webhook secret", () => {
  const secret = `whsec_${Buffer.alloc(24, 5).toString('base64')}`;

  it('keeps the key after whsec_ beside the transport; none without it', () => {
    const c = loadConfig({ RESEND_WEBHOOK_SECRET: secret });
    expect(c.mail?.resendWebhookKey).toEqual(new Uint8Array(24).fill(5));
    expect(c.mail?.transport).toEqual({ kind: 'outbox' });
    expect(loadConfig({}).mail).not.toHaveProperty('resendWebhookKey');
  });

  it.each([
    ['an API key pasted instead', 're_abc123'],
    ['no whsec_ prefix', Buffer.alloc(24, 5).toString('base64')],
    ['not base64', 'whsec_not*base64!'],
    ['cut short when pasted', 'whsec_c2hvcnQ='],
  ])('refuses %s with one line naming the variable, never echoing it', (_, value) => {
    const m = error({ RESEND_WEBHOOK_SECRET: value });
    expect(m).toBe(
      "Invalid configuration: RESEND_WEBHOOK_SECRET must be the webhook's signing secret as Resend shows it (whsec_ followed by base64)",
    );
    expect(m).not.toContain(value);
  });
});

describe('sign-in link lifetimes', () => {
  it('last 10 minutes (asked for) and 72 hours (invitation) unless set', () => {
    expect(loadConfig({}).links).toEqual({ signInMs: 10 * 60_000, invitationMs: 72 * 3_600_000 });
    expect(loadConfig({ SIGN_IN_LINK_MINUTES: '15', INVITATION_LINK_HOURS: '24' }).links).toEqual({
      signInMs: 15 * 60_000,
      invitationMs: 24 * 3_600_000,
    });
  });

  it('name the variable and its range when out of bounds', () => {
    expect(error({ SIGN_IN_LINK_MINUTES: '0', INVITATION_LINK_HOURS: 'soon' }).split('\n')).toEqual([
      'Invalid configuration: SIGN_IN_LINK_MINUTES must be a whole number between 1 and 1440 (got "0")',
      'Invalid configuration: INVITATION_LINK_HOURS must be a whole number between 1 and 720 (got "soon")',
    ]);
  });
});
