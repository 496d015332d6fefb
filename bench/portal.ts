/**
 * `npm run bench:portal`: a contact's way in and their home, at a firm's scale (issue 5, "Measured,
 * in bench/"). Over the directory of bench/directory-seed.ts (20,000 entities, 100,000 contacts,
 * 500,000 role bindings) with every Client portal switch on (bench/portal-seed.ts), it loads the
 * built server beside the bare Hono route, in alternating rounds, at concurrency 10:
 *   - the sign-in click-through: POST of a link's confirm form, a fresh pre-issued link each
 *     request (which uses it up and starts a session): every answer must be the 303 to /portal
 *     with a session cookie;
 *   - GET /portal for a signed-in contact with three entities: every answer must be their page;
 *   - POST /sign-in/link (ask for a link by email), each request from another address and another
 *     client address (X-Forwarded-For, TRUST_PROXY on) so the rate limit is not what is measured;
 *     the jobs it queues are left to drain before the next run, and how long that took is reported.
 * Each request kind is checked once by hand before the load (a link signs in once and only once,
 * its session opens the portal). Exits non-zero when an answer was not the expected one or the
 * links ran out. Results go to bench/results/portal.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { LINK_SENT } from '../src/auth/link-views.js';
import { requireBuilt, type Served, startApp, startBare } from './app-process.js';
import {
  alternate,
  CAVEAT,
  cannon,
  cannonShots,
  finish,
  get,
  type Measured,
  type MeasuredRow,
  machineLines,
  PINNED,
  pinSelf,
  ROUNDS_AT_10,
  round,
  roundsLine,
  runBench,
  type Shot,
  send,
  stop,
} from './lib.js';
import { type SeededPortal, seedPortal } from './portal-seed.js';

const LOAD = ROUNDS_AT_10;
/** Links issued before the load, one per contact; each confirm uses one up. */
const LINKS = 70_000;
const DRAIN_TIMEOUT_MS = 120_000;
const COOKIE = 'portico_session';
const FORM = 'application/x-www-form-urlencoded';
const ASK = 'POST /sign-in/link (ask by email)';

const log = (line: string) => process.stderr.write(`bench:portal: ${line}\n`);
const escapeHtml = (s: string) => s.replaceAll('&', '&amp;');

/** The parts of the subject's portal page that only the real page has. */
function portalPageMarks(s: SeededPortal): string[] {
  const names = s.subject.entities.map((e) => escapeHtml(e.name));
  return [
    `<h1>Welcome, ${escapeHtml(s.subject.name)}</h1>`,
    `<h2>${names[0]}</h2>`,
    ...names.map((n) => `>${n}</option>`),
  ];
}

/** Hands out the pre-issued links, each once; counts what was asked beyond them. */
function linkDealer(tokens: string[]) {
  let next = 0;
  let short = 0;
  return {
    take(): string {
      const token = tokens[next++];
      if (token) return token;
      short++;
      return 'ran-out-of-links';
    },
    used: () => Math.min(next, tokens.length),
    short: () => short,
  };
}

/** A link used by hand: 303 to /portal with a session that opens the portal, and a second use refused. */
async function checkOnce(app: Served, s: SeededPortal, token: string): Promise<void> {
  const post = { origin: app.base, 'content-type': FORM };
  const confirm = await send('POST', `${app.base}/sign-in/link/${token}`, post);
  const cookie = (confirm.headers['set-cookie'] ?? []).find((c) => c.startsWith(`${COOKIE}=`));
  if (confirm.status !== 303 || confirm.headers.location !== '/portal' || !cookie)
    throw new Error(`confirming a link answered ${confirm.status} ${confirm.headers.location ?? ''}`);
  const home = await get(`${app.base}/portal`, { cookie: cookie.split(';')[0]! });
  if (home.status !== 200 || !home.body.includes('<h1>Welcome, '))
    throw new Error(`the new session's GET /portal answered ${home.status}\n${home.body.slice(0, 600)}`);
  const again = await send('POST', `${app.base}/sign-in/link/${token}`, post);
  if (again.status !== 404 || again.headers['set-cookie'])
    throw new Error(`a link used twice answered ${again.status}`);

  const subject = await get(`${app.base}/portal`, { cookie: `${COOKIE}=${s.subject.sessionToken}` });
  const missing = portalPageMarks(s).filter((m) => !subject.body.includes(m));
  if (subject.status !== 200 || missing.length)
    throw new Error(`the subject's GET /portal: ${subject.status}, missing ${missing.join(', ')}`);

  const ask = await send('POST', `${app.base}/sign-in/link`, post, 'email=nobody-0%40nowhere.example');
  if (ask.status !== 200 || !ask.body.includes(LINK_SENT))
    throw new Error(`POST /sign-in/link answered ${ask.status}\n${ask.body.slice(0, 600)}`);
}

/** Waits until the queue holds no job still to run; the milliseconds it took. */
async function drain(file: string): Promise<number> {
  const db = new SQLite(file, { readonly: true });
  try {
    const started = performance.now();
    const queued = db.prepare("select count(*) as n from jobs where status = 'queued'");
    while ((queued.get() as { n: number }).n > 0) {
      if (performance.now() - started > DRAIN_TIMEOUT_MS)
        throw new Error(`the queue did not drain in ${DRAIN_TIMEOUT_MS} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return performance.now() - started;
  } finally {
    db.close();
  }
}

function targets(bare: Served, app: Served, s: SeededPortal, links: ReturnType<typeof linkDealer>) {
  const marks = portalPageMarks(s);
  /** A form POST to the app from its own origin (the CSRF check), built afresh each request. */
  const posts = (next: Shot['next'], status: number, check: Shot['check']) => (seconds: number) =>
    cannonShots(
      app.base,
      seconds,
      { method: 'POST', headers: { origin: app.base, 'content-type': FORM }, next, status, check },
      LOAD.connections,
    );
  let asked = 0;
  const list: Measured[] = [
    {
      label: 'bare Hono GET / (text "ok")',
      run: (seconds) => cannon(`${bare.base}/`, seconds, {}, (b) => b === 'ok', LOAD.connections),
    },
    {
      label: 'POST /sign-in/link/:token (confirm)',
      run: posts(
        () => ({ path: `/sign-in/link/${links.take()}`, body: '' }),
        303,
        (h) => h.location === '/portal' && (h['set-cookie'] ?? '').startsWith(`${COOKIE}=`),
      ),
    },
    {
      label: 'GET /portal (3 entities)',
      run: (seconds) =>
        cannon(
          `${app.base}/portal`,
          seconds,
          { cookie: `${COOKIE}=${s.subject.sessionToken}` },
          (b) => marks.every((m) => b.includes(m)),
          LOAD.connections,
        ),
    },
    {
      label: ASK,
      run: posts(
        () => {
          const n = ++asked;
          return {
            path: '/sign-in/link',
            body: `email=nobody-${n}%40nowhere.example`,
            headers: { 'x-forwarded-for': `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}` },
          };
        },
        200,
        (_h, body) => body.includes(LINK_SENT),
      ),
    },
  ];
  return list;
}

const row = (h: MeasuredRow) =>
  `  ${h.label.padEnd(40)}${String(h.rps).padStart(8)}${h.p50Ms.toFixed(2).padStart(9)}${h.p99Ms.toFixed(2).padStart(9)}${`${(h.ratio * 100).toFixed(1)}%`.padStart(9)}${String(h.non2xx).padStart(9)}${String(h.errors + h.badBodies).padStart(6)}`;

async function main(): Promise<void> {
  requireBuilt('bench:portal');
  pinSelf();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-portal-'));
  const failures: string[] = [];
  try {
    log(`seeding the directory (20,000 entities, 100,000 contacts) and ${LINKS} links`);
    const seeded = await seedPortal(tmp, LINKS);
    const file = seeded.directory.databaseUrl.slice('sqlite:'.length);

    log('loading the built server');
    const bare = await startBare();
    const app = await startApp(tmp, { TRUST_PROXY: 'true' });
    const links = linkDealer(seeded.tokens);
    const drains: number[] = [];
    let http: MeasuredRow[];
    try {
      await checkOnce(app, seeded, links.take());
      await drain(file);
      http = await alternate(targets(bare, app, seeded, links), { ...LOAD, log }, async (t) => {
        if (t.label === ASK) drains.push(round(await drain(file), 0));
      });
    } finally {
      await stop(app.child);
      await stop(bare.child);
    }
    const broken = http.reduce((n, h) => n + h.non2xx + h.errors + h.badBodies, 0);
    if (broken) failures.push(`${broken} answers were errors or not the expected answer`);
    if (links.short()) failures.push(`${links.short()} confirms found no link left (raise LINKS)`);

    const out = [
      ...machineLines('Portico portal benchmark'),
      '',
      `seed: ${seeded.directory.rows.entities} entities, ${seeded.directory.rows.contacts} contacts (Client portal on), ${seeded.directory.rows.bindings} role bindings, ${LINKS} live links in ${round(seeded.seedMs / 1000)} s`,
      `subject: ${seeded.subject.name}, Contact - Entity Access at ${seeded.subject.entities.length} entities`,
      '',
      roundsLine(LOAD),
      `  ${'target'.padEnd(40)}${'req/s'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'of bare'.padStart(9)}${'non-2xx'.padStart(9)}${'bad'.padStart(6)}`,
      ...http.map(row),
      '  (non-2xx: for the confirm, any status but the 303 to /portal; bad: errors, or an answer that',
      '  was not the real page, the redirect with a session cookie, or "a link is on its way")',
      '',
      `links used: ${links.used()} of ${LINKS}, each once`,
      `the asks' queued jobs drained in ${drains.map((d) => `${d} ms`).join(', ')} after each run (before the next target)`,
    ];

    const results = {
      date: new Date().toISOString(),
      caveat: CAVEAT,
      pinned: PINNED,
      loadAverage: os.loadavg(),
      seed: { rows: seeded.directory.rows, links: LINKS, seedMs: round(seeded.seedMs, 0) },
      http,
      linksUsed: links.used(),
      drainMs: drains,
      failures,
    };
    finish('portal', out, results, failures);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

runBench('bench:portal', main);
