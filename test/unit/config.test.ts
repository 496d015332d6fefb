/** Configuration from the environment: defaults, and one clear line for each bad value. */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';

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

  it('requires BASE_URL in production, on a public address or behind a proxy', () => {
    expect(error({ NODE_ENV: 'production', HOST: '0.0.0.0' })).toMatch(
      /^Invalid configuration: BASE_URL is required/,
    );
    expect(error({ NODE_ENV: 'production' })).toMatch(
      /^Invalid configuration: BASE_URL is required .*behind a proxy/,
    );
    expect(
      loadConfig({ NODE_ENV: 'production', HOST: '0.0.0.0', BASE_URL: 'https://p.example' }).baseUrl,
    ).toBe('https://p.example');
    expect(loadConfig({}).baseUrl).toBe('http://localhost:3000');
  });

  it('names every bad variable, one line each', () => {
    expect(error({ PORT: 'x', LOG_LEVEL: 'loud' }).split('\n')).toEqual([
      'Invalid configuration: PORT must be a whole number between 1 and 65535 (got "x")',
      'Invalid configuration: LOG_LEVEL must be one of debug, info, warn, error (got "loud")',
    ]);
  });
});
