/**
 * Environment → typed configuration, validated with valibot. A bad value stops the process with
 * one line naming the variable and what it accepts; nothing here may print a secret's value.
 */
import path from 'node:path';
import * as v from 'valibot';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** `sqlite:<file>` or a postgres:// URL. */
  databaseUrl: string;
  /** The public origin every absolute link is built from (no trailing slash). */
  baseUrl: string;
  logLevel: LogLevel;
  env: 'development' | 'production' | 'test';
  /** Read the client address from X-Forwarded-For (only behind a proxy you run). */
  trustProxy: boolean;
  /** How email leaves; absent in hand-built configs (tests, benches): the development outbox. */
  mail?: MailConfig;
  /** The background job worker; absent: the defaults below. */
  queue?: QueueConfig;
  /** How long emailed sign-in links last; absent: DEFAULT_LINKS. */
  links?: LinkConfig;
  /** PLUGINS: the plugins that run, by folder name under plugins/ or npm package name; absent: none. */
  plugins?: readonly string[];
  /** Where file contents are kept: DATA_DIR on this machine, or an S3-compatible bucket (S3_BUCKET). */
  storage?: StorageConfig;
  /**
   * SECRET_KEY's bytes: signs short-lived records and encrypts what must be kept secret (src/kernel/secrets.ts).
   * Absent outside production until start-up makes one in DATA_DIR (src/kernel/secret-key.ts).
   */
  secretKey?: Uint8Array;
  /** What an upload may be; absent in hand-built configs: DEFAULT_FILE_LIMITS. */
  files?: FileLimits;
  /** CLAMD_URL: the virus scanner every upload passes before anyone may download it; absent: none. */
  clamd?: ClamdAddress;
}

/** Where clamd listens: `tcp://host:port` (port 3310 when left out) or `unix:/path/to/clamd.ctl`. */
export type ClamdAddress = { kind: 'tcp'; host: string; port: number } | { kind: 'unix'; path: string };

/** CLAMD_URL as an address, or null when it is neither form. */
export function parseClamdUrl(value: string): ClamdAddress | null {
  if (value.startsWith('unix:')) {
    // unix:/run/clamd.ctl, or unix:///run/clamd.ctl as some tools write it.
    const where = value.slice('unix:'.length).replace(/^\/\/(?=\/)/, '');
    return path.isAbsolute(where) && !where.includes('\0') ? { kind: 'unix', path: where } : null;
  }
  try {
    const u = new URL(value);
    if (u.protocol !== 'tcp:' || !u.hostname || u.username || u.password || u.search || u.hash) return null;
    if (u.pathname && u.pathname !== '/') return null;
    const port = u.port ? Number(u.port) : 3310;
    if (port < 1) return null;
    return { kind: 'tcp', host: u.hostname.replace(/^\[|\]$/g, ''), port };
  } catch {
    return null;
  }
}

export interface FileLimits {
  /** MAX_UPLOAD_MB: the largest file accepted, counted as its bytes arrive. */
  maxBytes: number;
  /** BLOCKED_EXTENSIONS: extensions (lower case, no dot) no upload may have. */
  blockedExtensions: readonly string[];
  /** ALLOWED_EXTENSIONS: when set, the only extensions (lower case, no dot) an upload may have. */
  allowedExtensions?: readonly string[];
  /** CLIENT_QUOTA_MB: the most one entity's files (every version) may hold; absent: no limit. */
  entityQuotaBytes?: number;
}

/** The largest MAX_UPLOAD_MB with a bucket: S3's CopyObject takes at most 5 GB (5 × 1024³ bytes). */
export const S3_MAX_UPLOAD_MB = 5 * 1024;

export const DEFAULT_BLOCKED_EXTENSIONS = 'exe,msi,bat,cmd,com,scr,pif,vbs,js,jse,wsf,ps1,dll,jar,lnk,hta';
export const DEFAULT_FILE_LIMITS: FileLimits = {
  maxBytes: 2048 * 1024 * 1024,
  blockedExtensions: DEFAULT_BLOCKED_EXTENSIONS.split(','),
};

export type StorageConfig =
  | { kind: 'disk' }
  | {
      kind: 's3';
      bucket: string;
      region: string;
      endpoint?: string;
      accessKeyId: string;
      secretAccessKey: string;
      forcePathStyle: boolean;
    };

export interface LinkConfig {
  /** A link asked for at the sign-in page (SIGN_IN_LINK_MINUTES). */
  signInMs: number;
  /** An invitation: the Client portal switch turned on (INVITATION_LINK_HOURS). */
  invitationMs: number;
}

export const DEFAULT_LINKS: LinkConfig = { signInMs: 10 * 60_000, invitationMs: 72 * 3_600_000 };

/** Which transport sends email: RESEND_API_KEY, else SMTP_URL, else the development outbox. */
export type MailTransportConfig =
  | { kind: 'resend'; apiKey: string }
  | { kind: 'smtp'; url: string }
  | { kind: 'outbox' };

export interface MailAddress {
  name: string | null;
  address: string;
}

export interface MailConfig {
  transport: MailTransportConfig;
  /** MAIL_FROM; required for a real transport, `Portico <portico@BASE_URL's host>` for the outbox. */
  from: MailAddress;
  /**
   * RESEND_WEBHOOK_SECRET's key (the bytes after `whsec_`): checks Resend's delivery webhooks.
   * Absent: POST /webhooks/resend answers 404.
   */
  resendWebhookKey?: Uint8Array;
}

export interface QueueConfig {
  /** Jobs one process runs at once. */
  concurrency: number;
  /** How often an idle worker looks for due jobs. */
  pollMs: number;
}

export const DEFAULT_QUEUE: QueueConfig = { concurrency: 4, pollMs: 1000 };

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/** `Name <address>` or a bare address; the name may be quoted. */
export function parseMailAddress(value: string): MailAddress | null {
  const m = value.trim().match(/^(?:"?([^"<>\r\n]*?)"?\s*<([^<>\s]+)>|([^<>\s]+))$/);
  const address = m?.[2] ?? m?.[3];
  if (!address || !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) return null;
  const name = m?.[1]?.trim();
  return { name: name ? name : null, address };
}

const SMTP_OPTIONS = new Set(['requireTLS', 'ignoreTLS']);

/** smtp:// or smtps:// with a host; the only options in the query are requireTLS and ignoreTLS. */
function validSmtpUrl(value: string): boolean {
  try {
    const u = new URL(value);
    if (!['smtp:', 'smtps:'].includes(u.protocol) || !u.hostname || (u.pathname && u.pathname !== '/'))
      return false;
    return [...u.searchParams].every(([k, v]) => SMTP_OPTIONS.has(k) && (v === 'true' || v === 'false'));
  } catch {
    return false;
  }
}

const wholeNumber = (min: number, max: number, fallback: string) => {
  const message = `must be a whole number between ${min} and ${max}`;
  return v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, message),
      v.transform(Number),
      v.number(),
      v.minValue(min, message),
      v.maxValue(max, message),
    ),
    fallback,
  );
};

const boolFlag = v.picklist(['true', 'false', '1', '0'], 'must be true or false');

export const envSchema = v.object({
  PORT: v.optional(
    v.pipe(
      v.string(),
      v.regex(/^\d+$/, 'must be a whole number between 1 and 65535'),
      v.transform(Number),
      v.number(),
      v.minValue(1, 'must be a whole number between 1 and 65535'),
      v.maxValue(65535, 'must be a whole number between 1 and 65535'),
    ),
    '3000',
  ),
  HOST: v.optional(v.pipe(v.string(), v.nonEmpty('must not be empty')), '127.0.0.1'),
  DATA_DIR: v.optional(v.pipe(v.string(), v.nonEmpty('must not be empty')), './data'),
  DATABASE_URL: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^(sqlite:.+|postgres(ql)?:\/\/.+)$/,
        'must be sqlite:<file path> or a postgres:// (postgresql://) URL',
      ),
    ),
  ),
  BASE_URL: v.optional(
    v.pipe(
      v.string(),
      v.url('must be an absolute http:// or https:// URL'),
      v.regex(/^https?:\/\//, 'must be an absolute http:// or https:// URL'),
      v.check((s) => {
        const u = new URL(s);
        return (u.pathname === '/' || u.pathname === '') && !u.search && !u.hash;
      }, 'must be an origin only, such as https://portal.example.com (no path, query or fragment)'),
    ),
  ),
  LOG_LEVEL: v.optional(
    v.picklist(['debug', 'info', 'warn', 'error'], 'must be one of debug, info, warn, error'),
    'info',
  ),
  NODE_ENV: v.optional(
    v.picklist(['development', 'production', 'test'], 'must be one of development, production, test'),
    'development',
  ),
  TRUST_PROXY: v.optional(boolFlag, 'false'),
  RESEND_API_KEY: v.optional(
    v.pipe(v.string(), v.regex(/^re_[A-Za-z0-9_]+$/, 'must be a Resend API key (it starts with re_)')),
  ),
  RESEND_WEBHOOK_SECRET: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (s) => decodeWebhookSecret(s) !== null,
        "must be the webhook's signing secret as Resend shows it (whsec_ followed by base64)",
      ),
    ),
  ),
  SMTP_URL: v.optional(
    v.pipe(
      v.string(),
      v.check(
        validSmtpUrl,
        'must be smtp://user:password@host:port (STARTTLS) or smtps://… (TLS), optionally ?requireTLS=false or ?ignoreTLS=true',
      ),
    ),
  ),
  MAIL_FROM: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (s) => parseMailAddress(s) !== null,
        'must be an address, or a name and address such as Clearwater Accounting <portal@clearwater.example>',
      ),
    ),
  ),
  QUEUE_CONCURRENCY: wholeNumber(1, 64, String(DEFAULT_QUEUE.concurrency)),
  QUEUE_POLL_MS: wholeNumber(50, 60_000, String(DEFAULT_QUEUE.pollMs)),
  SIGN_IN_LINK_MINUTES: wholeNumber(1, 1440, String(DEFAULT_LINKS.signInMs / 60_000)),
  INVITATION_LINK_HOURS: wholeNumber(1, 720, String(DEFAULT_LINKS.invitationMs / 3_600_000)),
  S3_BUCKET: v.optional(
    v.pipe(
      v.string(),
      v.regex(
        /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
        'must be a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens',
      ),
    ),
  ),
  S3_REGION: v.optional(v.pipe(v.string(), v.nonEmpty('must not be empty')), 'us-east-1'),
  S3_ENDPOINT: v.optional(
    v.pipe(
      v.string(),
      v.url('must be a URL such as https://s3.eu-central-003.backblazeb2.com'),
      v.regex(/^https?:\/\//, 'must be an http:// or https:// URL'),
    ),
  ),
  S3_ACCESS_KEY_ID: v.optional(v.pipe(v.string(), v.nonEmpty('must not be empty'))),
  S3_SECRET_ACCESS_KEY: v.optional(v.pipe(v.string(), v.nonEmpty('must not be empty'))),
  S3_FORCE_PATH_STYLE: v.optional(boolFlag, 'false'),
  MAX_UPLOAD_MB: wholeNumber(1, 1_048_576, '2048'),
  // 0: no quota.
  CLIENT_QUOTA_MB: wholeNumber(0, 1_073_741_824, '0'),
  BLOCKED_EXTENSIONS: v.optional(
    extensionList(
      'must be extensions without dots, separated by commas, such as exe,bat,js (or empty: none blocked)',
    ),
    DEFAULT_BLOCKED_EXTENSIONS,
  ),
  ALLOWED_EXTENSIONS: v.optional(
    extensionList(
      'must be extensions without dots, separated by commas, such as pdf,docx,xlsx (or empty: any)',
    ),
    '',
  ),
  CLAMD_URL: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (s) => parseClamdUrl(s) !== null,
        'must be tcp://host:port (such as tcp://127.0.0.1:3310) or unix:/path/to/clamd.ctl',
      ),
    ),
  ),
  SECRET_KEY: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (s) => decodeSecretKey(s) !== null,
        'must be at least 32 random bytes written as base64 or hex (make one with: openssl rand -base64 32)',
      ),
    ),
  ),
  PLUGINS: v.optional(
    v.pipe(
      v.string(),
      v.check(
        (s) =>
          s
            .split(',')
            .every(
              (name) =>
                /^\s*(?:@[a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*\s*$/.test(name) || name.trim() === '',
            ),
        'must be plugin names separated by commas, such as example,@acme/portico-branding',
      ),
    ),
    '',
  ),
});

/** Variables whose value is a secret (or holds one): a bad value is named, never echoed. */
const SECRET_VARIABLES = new Set([
  'DATABASE_URL',
  'RESEND_API_KEY',
  'RESEND_WEBHOOK_SECRET',
  'SMTP_URL',
  'SECRET_KEY',
  'S3_SECRET_ACCESS_KEY',
]);

export class ConfigError extends Error {}

/**
 * Parse `env` (normally `process.env`) into a Config, or throw a ConfigError with one clear line
 * per bad variable.
 */
/** Variables whose empty value says something (none blocked), where any other's is as if unset. */
const EMPTY_IS_A_VALUE = new Set(['BLOCKED_EXTENSIONS']);

export function loadConfig(env: Record<string, string | undefined>): Config {
  const input = Object.fromEntries(
    Object.keys(envSchema.entries).flatMap((k) =>
      env[k] === undefined || (env[k] === '' && !EMPTY_IS_A_VALUE.has(k)) ? [] : [[k, env[k]]],
    ),
  );
  const result = v.safeParse(envSchema, input, { abortPipeEarly: true });
  if (!result.success) {
    const lines = result.issues.map((issue) => {
      const key = issue.path?.[0]?.key;
      const name = typeof key === 'string' ? key : 'environment';
      // A database or SMTP URL may carry a password, an API key is one: never echo them.
      const shown = SECRET_VARIABLES.has(name) ? '' : ` (got "${String(input[name] ?? '')}")`;
      return `Invalid configuration: ${name} ${issue.message}${shown}`;
    });
    throw new ConfigError(lines.join('\n'));
  }
  const e = result.output;
  const dataDir = path.resolve(e.DATA_DIR);
  // In production the public address cannot be guessed: behind a proxy the app listens on
  // loopback, yet links, cookies' Secure flag and the form origin check all depend on it.
  if (e.NODE_ENV === 'production' && !e.BASE_URL) {
    const where = LOOPBACK.has(e.HOST) ? 'behind a proxy' : `on ${e.HOST}`;
    throw new ConfigError(
      `Invalid configuration: BASE_URL is required when NODE_ENV=production (Portico listens ${where}; set it to the public address, e.g. https://portal.example.com)`,
    );
  }
  // A key made on the server would be lost with a new machine or container, and with it every
  // sign-in in progress and every secret it encrypted: production names its own.
  if (e.NODE_ENV === 'production' && !e.SECRET_KEY)
    throw new ConfigError(
      'Invalid configuration: SECRET_KEY is required when NODE_ENV=production (at least 32 random bytes as base64 or hex; make one with: openssl rand -base64 32)',
    );
  const baseUrl = new URL(e.BASE_URL ?? `http://localhost:${e.PORT}`).origin;
  const transport: MailTransportConfig = e.RESEND_API_KEY
    ? { kind: 'resend', apiKey: e.RESEND_API_KEY }
    : e.SMTP_URL
      ? { kind: 'smtp', url: e.SMTP_URL }
      : { kind: 'outbox' };
  if (transport.kind !== 'outbox' && !e.MAIL_FROM) {
    const by = transport.kind === 'resend' ? 'RESEND_API_KEY' : 'SMTP_URL';
    throw new ConfigError(
      `Invalid configuration: MAIL_FROM is required when ${by} is set (the sender, e.g. Clearwater Accounting <portal@clearwater.example>)`,
    );
  }
  const from = (e.MAIL_FROM && parseMailAddress(e.MAIL_FROM)) || defaultSender(baseUrl);
  let storage: StorageConfig = { kind: 'disk' };
  if (e.S3_BUCKET) {
    if (!e.S3_ACCESS_KEY_ID || !e.S3_SECRET_ACCESS_KEY)
      throw new ConfigError(
        'Invalid configuration: S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY are required when S3_BUCKET is set (the key that may read and write the bucket)',
      );
    // A finished upload is copied to its address in one CopyObject, which S3 allows up to 5 GB.
    if (e.MAX_UPLOAD_MB > S3_MAX_UPLOAD_MB)
      throw new ConfigError(
        `Invalid configuration: MAX_UPLOAD_MB must be at most ${S3_MAX_UPLOAD_MB} when S3_BUCKET is set (a bucket copies a file of at most 5 GB in one step) (got "${e.MAX_UPLOAD_MB}")`,
      );
    storage = {
      kind: 's3',
      bucket: e.S3_BUCKET,
      region: e.S3_REGION,
      ...(e.S3_ENDPOINT ? { endpoint: e.S3_ENDPOINT } : {}),
      accessKeyId: e.S3_ACCESS_KEY_ID,
      secretAccessKey: e.S3_SECRET_ACCESS_KEY,
      forcePathStyle: e.S3_FORCE_PATH_STYLE === 'true' || e.S3_FORCE_PATH_STYLE === '1',
    };
  }
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'portico.db')}`,
    baseUrl,
    logLevel: e.LOG_LEVEL,
    env: e.NODE_ENV,
    trustProxy: e.TRUST_PROXY === 'true' || e.TRUST_PROXY === '1',
    mail: {
      transport,
      from,
      ...(e.RESEND_WEBHOOK_SECRET ? { resendWebhookKey: decodeWebhookSecret(e.RESEND_WEBHOOK_SECRET)! } : {}),
    },
    queue: { concurrency: e.QUEUE_CONCURRENCY, pollMs: e.QUEUE_POLL_MS },
    links: { signInMs: e.SIGN_IN_LINK_MINUTES * 60_000, invitationMs: e.INVITATION_LINK_HOURS * 3_600_000 },
    plugins: e.PLUGINS.split(',')
      .map((name) => name.trim())
      .filter(Boolean),
    storage,
    files: {
      maxBytes: e.MAX_UPLOAD_MB * 1024 * 1024,
      blockedExtensions: extensions(e.BLOCKED_EXTENSIONS),
      ...(e.ALLOWED_EXTENSIONS.trim() ? { allowedExtensions: extensions(e.ALLOWED_EXTENSIONS) } : {}),
      ...(e.CLIENT_QUOTA_MB ? { entityQuotaBytes: e.CLIENT_QUOTA_MB * 1024 * 1024 } : {}),
    },
    ...(e.CLAMD_URL ? { clamd: parseClamdUrl(e.CLAMD_URL)! } : {}),
    ...(e.SECRET_KEY ? { secretKey: decodeSecretKey(e.SECRET_KEY)! } : {}),
  };
}

/** A list of extensions as BLOCKED_EXTENSIONS and ALLOWED_EXTENSIONS take it: "exe, BAT,js". */
function extensionList(message: string) {
  return v.pipe(v.string(), v.regex(/^\s*(?:[a-z0-9]{1,16}\s*(?:,\s*[a-z0-9]{1,16}\s*)*)?$/i, message));
}

function extensions(list: string): string[] {
  return list
    .split(',')
    .map((x) => x.trim().toLowerCase())
    .filter(Boolean);
}

/** The bytes of a key written as hex or base64 (either alphabet), or null unless there are 32 or more. */
export function decodeSecretKey(written: string): Uint8Array | null {
  const s = written.trim();
  let bytes: Buffer;
  if (/^(?:[0-9a-f]{2})+$/i.test(s)) bytes = Buffer.from(s, 'hex');
  else if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(s))
    bytes = Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  else return null;
  return bytes.length >= 32 ? new Uint8Array(bytes) : null;
}

/**
 * The key of a Svix signing secret as Resend shows it (`whsec_` and base64), or null when it is not
 * one. Svix's keys are 24 to 64 bytes; fewer than 16 is a secret cut short when pasted.
 */
export function decodeWebhookSecret(written: string): Uint8Array | null {
  const m = written.trim().match(/^whsec_([A-Za-z0-9+/]+={0,2})$/);
  if (!m?.[1] || m[1].length % 4 === 1) return null;
  const bytes = Buffer.from(m[1], 'base64');
  return bytes.length >= 16 && bytes.length <= 128 ? new Uint8Array(bytes) : null;
}

/** The outbox's sender when MAIL_FROM is not set: Portico <portico@BASE_URL's host>. */
export function defaultSender(baseUrl: string): MailAddress {
  return { name: 'Portico', address: `portico@${new URL(baseUrl).hostname}` };
}

export function isHttps(config: Pick<Config, 'baseUrl'>): boolean {
  return config.baseUrl.startsWith('https://');
}
