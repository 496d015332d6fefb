/**
 * `npm run bench:sign-in`: how long signing in takes, by password and with an OpenID provider, in
 * one run (issue 14, "Measured"). The built server runs with PLUGINS=oidc against a real OpenID
 * provider on loopback (oidc-provider, in this process: test/helpers/oidc-provider.ts) over a fresh
 * SQLite DATA_DIR of 200 staff, each with a password and a verified email at the provider.
 *
 * Each round signs every staff member in twice, alternating: by password (POST /sign-in, argon2id
 * verification included, a client address of its own each time so the throttle is not what is
 * measured) and with the provider, timing only the provider's answer (GET /p/oidc/local/callback:
 * taking the flow, the code exchanged at the provider's token endpoint, the ID token's checks with
 * the provider's keys kept from the warm-up, starting the session). The browser's trip through the
 * provider's own pages is not timed. Requests are one at a time, so the figures are latencies, not
 * throughput. Every answer must be the 303 with a session cookie, or the run fails.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hashPassword } from '../src/auth/password.js';
import { openDatabase } from '../src/db/connect.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { generateId } from '../src/kernel/tokens.js';
import { startOidcProvider } from '../test/helpers/oidc-provider.js';
import { requireBuilt, startApp } from './app-process.js';
import { finish, freePort, machineLines, quantile, round, runBench, send, stop } from './lib.js';

const PEOPLE = 200;
const ROUNDS = 3;
const PASSWORD = 'a long enough bench password';

async function seed(dataDir: string): Promise<string[]> {
  const db = openDatabase(`sqlite:${dataDir}/portico.db`);
  try {
    await migrateToLatest(db);
    const now = Date.now();
    await db
      .insertInto('organization')
      .values({
        id: 1,
        name: 'Bench & Partners',
        entity_label: 'Client',
        time_zone: 'UTC',
        created_at: now,
        updated_at: now,
      })
      .execute();
    // One hash for all: hashing is not what is measured, verifying is.
    const hash = await hashPassword(PASSWORD);
    const emails = Array.from({ length: PEOPLE }, (_, i) => `staff${i}@bench.example`);
    await db
      .insertInto('users')
      .values(
        emails.map((email, i) => ({
          id: generateId(),
          kind: 'staff' as const,
          email,
          email_normalized: email,
          first_name: 'Staff',
          last_name: String(i),
          password_hash: hash,
          disabled_at: null,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    return emails;
  } finally {
    await db.destroy();
  }
}

const cookieOf = (setCookie: string[] | undefined, name: string) =>
  setCookie?.map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith(`${name}=`));

async function main(): Promise<void> {
  requireBuilt('bench:sign-in');
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-bench-sign-in-'));
  const failures: string[] = [];
  const emails = await seed(dataDir);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const provider = await startOidcProvider({
    clients: [
      {
        client_id: 'bench',
        client_secret: 'bench-secret-of-the-oidc-client',
        redirect_uris: [`${base}/p/oidc/local/callback`],
      },
    ],
    accounts: emails.map((email, i) => ({ sub: `sub-${i}`, email, email_verified: true })),
  });
  const app = await startApp(dataDir, {
    PORT: String(port),
    BASE_URL: base,
    TRUST_PROXY: 'true',
    PLUGINS: 'oidc',
    OIDC_PROVIDERS: 'local',
    OIDC_LOCAL_ISSUER: provider.issuer,
    OIDC_LOCAL_CLIENT_ID: 'bench',
    OIDC_LOCAL_CLIENT_SECRET: 'bench-secret-of-the-oidc-client',
  });
  let client = 0;
  const password = async (email: string): Promise<number> => {
    const body = new URLSearchParams({ email, password: PASSWORD, next: '/' }).toString();
    client += 1;
    const started = performance.now();
    const res = await send(
      'POST',
      `${base}/sign-in`,
      {
        'content-type': 'application/x-www-form-urlencoded',
        origin: base,
        'x-forwarded-for': `10.${(client >> 16) & 255}.${(client >> 8) & 255}.${client & 255}`,
      },
      body,
    );
    const ms = performance.now() - started;
    if (res.status !== 303 || !cookieOf(res.headers['set-cookie'], 'portico_session'))
      failures.push(`password sign-in of ${email} answered ${res.status}`);
    return ms;
  };
  const withProvider = async (i: number): Promise<number> => {
    const start = await send('GET', `${base}/p/oidc/local/start`);
    const flowCookie = cookieOf(start.headers['set-cookie'], 'portico_oidc');
    const back = await provider.authorize(String(start.headers.location ?? ''), `sub-${i}`);
    const started = performance.now();
    const res = await send('GET', `${base}${back.pathname}${back.search}`, { cookie: flowCookie ?? '' });
    const ms = performance.now() - started;
    if (res.status !== 303 || !cookieOf(res.headers['set-cookie'], 'portico_session'))
      failures.push(`provider sign-in of sub-${i} answered ${res.status}`);
    return ms;
  };

  const times = { password: [] as number[], provider: [] as number[] };
  try {
    // Warm-up: discovery and the provider's keys are fetched and kept; each identity is linked.
    for (let i = 0; i < PEOPLE; i++) await withProvider(i);
    for (let i = 0; i < 10; i++) await password(emails[i]!);
    for (let r = 0; r < ROUNDS; r++)
      for (let i = 0; i < PEOPLE; i++) {
        times.password.push(await password(emails[i]!));
        times.provider.push(await withProvider(i));
      }
  } finally {
    await stop(app.child);
    await provider.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }

  const figures = Object.fromEntries(
    Object.entries(times).map(([kind, list]) => {
      const sorted = Float64Array.from(list).sort();
      return [
        kind,
        { n: list.length, p50: round(quantile(sorted, 0.5), 2), p99: round(quantile(sorted, 0.99), 2) },
      ];
    }),
  ) as Record<keyof typeof times, { n: number; p50: number; p99: number }>;
  const report = [
    ...machineLines('Portico sign-in benchmark', 'this process: the load and the OpenID provider'),
    `app: the built server, PLUGINS=oidc, SQLite, ${PEOPLE} staff; ${ROUNDS} rounds, one request at a time, alternating`,
    '',
    'sign-in                                          n    p50 ms   p99 ms',
    `password (POST /sign-in, argon2id)          ${String(figures.password.n).padStart(5)}  ${String(figures.password.p50).padStart(8)} ${String(figures.password.p99).padStart(8)}`,
    `OpenID provider (GET callback: exchange,    ${String(figures.provider.n).padStart(5)}  ${String(figures.provider.p50).padStart(8)} ${String(figures.provider.p99).padStart(8)}`,
    '  ID-token check with kept keys, session)',
  ];
  finish('sign-in', report, { figures, people: PEOPLE, rounds: ROUNDS }, failures);
}

runBench('bench:sign-in', main);
