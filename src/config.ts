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
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

const boolFlag = v.picklist(['true', 'false', '1', '0'], 'must be true or false');

const envSchema = v.object({
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
});

export class ConfigError extends Error {}

/**
 * Parse `env` (normally `process.env`) into a Config, or throw a ConfigError with one clear line
 * per bad variable.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const input = Object.fromEntries(
    Object.keys(envSchema.entries).flatMap((k) =>
      env[k] === undefined || env[k] === '' ? [] : [[k, env[k]]],
    ),
  );
  const result = v.safeParse(envSchema, input, { abortPipeEarly: true });
  if (!result.success) {
    const lines = result.issues.map((issue) => {
      const key = issue.path?.[0]?.key;
      const name = typeof key === 'string' ? key : 'environment';
      // A database URL may carry a password: never echo it.
      const shown = name === 'DATABASE_URL' ? '' : ` (got "${String(input[name] ?? '')}")`;
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
  const baseUrl = new URL(e.BASE_URL ?? `http://localhost:${e.PORT}`).origin;
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `sqlite:${path.join(dataDir, 'portico.db')}`,
    baseUrl,
    logLevel: e.LOG_LEVEL,
    env: e.NODE_ENV,
    trustProxy: e.TRUST_PROXY === 'true' || e.TRUST_PROXY === '1',
  };
}

export function isHttps(config: Pick<Config, 'baseUrl'>): boolean {
  return config.baseUrl.startsWith('https://');
}
