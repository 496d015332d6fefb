/**
 * `npm run bench:directory`: the client directory at a firm's scale (issue 4, "Measured, in
 * bench/"). It seeds 20,000 entities, 100,000 contacts, 2,000 groups and 500,000 role bindings
 * (bench/directory-seed.ts) and measures, for a staff member with entity-level roles on 1,000 of
 * the entities (the subject), and for an Admin by contrast:
 *   - `can` per call and the list queries with the permission filter, in process;
 *   - the SQL statements per page at 1,000 and at 20,000 entities, which must be equal;
 *   - req/s and p99 of the built server's directory pages at concurrency 10 beside the bare Hono
 *     route, in alternating rounds as `npm run bench` does.
 * Exits non-zero when a page is not the real page, `can` or a list disagrees with the seed, or the
 * statement counts differ; a missed time target is reported, not fatal. Results go to
 * bench/results/directory.json.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { requireBuilt, startApp, startBare } from './app-process.js';
import {
  countStatements,
  directoryPages,
  type InProcess,
  type ListTiming,
  measureInProcess,
  pageProblem,
} from './directory-measure.js';
import { FULL, type SeededDirectory, SMALL, seedDirectory } from './directory-seed.js';
import {
  alternate,
  CAVEAT,
  cannon,
  finish,
  get,
  type Measured,
  machineLines,
  PINNED,
  pinSelf,
  ROUNDS_AT_10,
  round,
  roundsLine,
  runBench,
  stop,
} from './lib.js';

const LOAD = ROUNDS_AT_10;
const EXPLAIN = process.argv.includes('--explain');
const CAN_CALLS = 100_000;
const TARGETS = { canP99Ms: 1, entityListP99Ms: 50 };

interface Target {
  label: string;
  url: string;
  headers: Record<string, string>;
  verifyBody: (body: string) => boolean;
}

/** Each page is checked once in full (status, heading, totals); under load, by its heading. */
async function httpTargets(base: string, s: SeededDirectory): Promise<Target[]> {
  const pages = directoryPages(s);
  const subject = { cookie: `portico_session=${s.subject.sessionToken}` };
  const admin = { cookie: `portico_session=${s.admin.sessionToken}` };
  const adminPages = [
    {
      label: 'GET /entities?q= (search, page 1)',
      path: `/entities?q=${s.entityTerm}`,
      mustContain: ['<h1>Clients</h1>', `${s.expected.allEntitiesMatching} in all`],
    },
    {
      label: 'GET /contacts?q= (search, page 1)',
      path: `/contacts?q=${s.contactTerm}`,
      mustContain: ['<h1>Contacts</h1>', `${s.expected.allContactsMatching} in all`],
    },
  ];
  const targets: Target[] = [];
  for (const [who, headers, list] of [
    ['subject', subject, pages.slice(0, 3)],
    ['Admin', admin, adminPages],
  ] as const) {
    for (const page of list) {
      const res = await get(`${base}${page.path}`, headers);
      const problem = pageProblem(page, res.status, res.body);
      if (problem) throw new Error(`${who} ${problem}`);
      const heading = page.mustContain[0]!;
      targets.push({
        label: `${who} ${page.label}`,
        url: `${base}${page.path}`,
        headers,
        verifyBody: (b) => b.includes(heading) && b.includes(' in all'),
      });
    }
  }
  return targets;
}

function check(ok: boolean): string {
  return ok ? 'PASS' : 'MISS';
}

function listRow(l: ListTiming): string {
  const t = (x: { p50: number; p99: number }) =>
    `${x.p50.toFixed(2).padStart(8)}${x.p99.toFixed(2).padStart(8)}`;
  return `  ${l.label.padEnd(30)}${String(l.total).padStart(7)}${t(l.rows)}${t(l.count)}${t(l.call)}`;
}

async function main(): Promise<void> {
  requireBuilt('bench:directory');
  pinSelf();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-directory-'));
  const failures: string[] = [];
  try {
    process.stderr.write('bench:directory: seeding the small directory (1,000 entities)\n');
    const small = await seedDirectory(path.join(tmp, 'small'), SMALL);
    const smallFile = small.databaseUrl.slice('sqlite:'.length);
    const smallCounts = await countStatements(smallFile, small);

    process.stderr.write('bench:directory: seeding the full directory (20,000 entities)\n');
    const fullDir = path.join(tmp, 'full');
    const full = await seedDirectory(fullDir, FULL);
    const fullFile = full.databaseUrl.slice('sqlite:'.length);
    const fullCounts = await countStatements(fullFile, full);
    for (const label of Object.keys(fullCounts)) {
      if (smallCounts[label] !== fullCounts[label]) {
        failures.push(
          `${label} runs ${smallCounts[label]} statements at 1k entities, ${fullCounts[label]} at 20k`,
        );
      }
    }

    process.stderr.write('bench:directory: timing can and the list queries in process\n');
    const inProcess: InProcess = await measureInProcess(fullFile, full, CAN_CALLS);
    for (const [who, t] of Object.entries(inProcess.can)) {
      if (t.wrong) failures.push(`can gave ${t.wrong} wrong answers for the ${who}`);
    }
    const expectedTotals: Record<string, number> = {
      [`subject: entities q=${full.entityTerm}`]: full.expected.subjectEntitiesMatching,
      'subject: entities': full.expected.subjectEntities,
      [`subject: contacts q=${full.contactTerm}`]: full.expected.subjectContactsMatching,
      'subject: contacts': full.expected.subjectContacts,
      [`Admin: entities q=${full.entityTerm}`]: full.expected.allEntitiesMatching,
      'Admin: entities': full.rows.entities,
      [`Admin: contacts q=${full.contactTerm}`]: full.expected.allContactsMatching,
      'Admin: contacts': full.rows.contacts,
    };
    for (const l of inProcess.lists) {
      if (expectedTotals[l.label] !== l.total) {
        failures.push(`${l.label} lists ${l.total} in all, the seed says ${expectedTotals[l.label]}`);
      }
    }

    process.stderr.write('bench:directory: loading the built server\n');
    const bare = await startBare();
    const app = await startApp(fullDir);
    let http: Awaited<ReturnType<typeof alternate>>;
    try {
      const bareTarget: Target = {
        label: 'bare Hono GET / (text "ok")',
        url: `${bare.base}/`,
        headers: {},
        verifyBody: (b) => b === 'ok',
      };
      const targets = [bareTarget, ...(await httpTargets(app.base, full))].map(
        (t): Measured => ({
          label: t.label,
          run: (seconds) => cannon(t.url, seconds, t.headers, t.verifyBody, LOAD.connections),
        }),
      );
      http = await alternate(targets, {
        ...LOAD,
        log: (line) => process.stderr.write(`bench:directory: ${line}\n`),
      });
    } finally {
      await stop(app.child);
      await stop(bare.child);
    }
    const broken = http.reduce((n, h) => n + h.non2xx + h.errors + h.badBodies, 0);
    if (broken) failures.push(`${broken} responses were errors, non-2xx or not the expected page`);

    const subjectSearch = http.find((h) => h.label === 'subject GET /entities?q= (search, page 1)')!;
    const checks = {
      canP99: inProcess.can.subject.p99 < TARGETS.canP99Ms,
      entityListP99: subjectSearch.p99Ms < TARGETS.entityListP99Ms,
      statementsConstant: Object.keys(fullCounts).every((k) => smallCounts[k] === fullCounts[k]),
    };

    const out = [
      ...machineLines('Portico directory benchmark', 'load generator and in-process timings on CPU 0'),
      '',
      `seed: ${full.rows.entities} entities, ${full.rows.contacts} contacts, ${full.rows.staff} staff, ${full.rows.groups} groups (${full.rows.groupMembers} members), ${full.rows.bindings} role bindings in ${round(full.seedMs / 1000)} s (SQLite, fresh DATA_DIR, migrated; the 1k set took ${round(small.seedMs / 1000)} s)`,
      `subject: ${inProcess.can.subject.bindings} effective bindings, sees ${full.expected.subjectEntities} entities and ${full.expected.subjectContacts} contacts; Admin: ${inProcess.can.admin.bindings} binding (system)`,
      '',
      `can(actor, 'entity.summary:R', entityChain(id)), ${CAN_CALLS} calls over ids seen and not seen (ms)`,
      `  ${''.padEnd(30)}${'p50'.padStart(8)}${'p99'.padStart(8)}${'max'.padStart(8)}`,
      ...(['subject', 'admin'] as const).map((who) => {
        const t = inProcess.can[who];
        return `  ${who.padEnd(30)}${t.p50.toFixed(4).padStart(8)}${t.p99.toFixed(4).padStart(8)}${t.max.toFixed(3).padStart(8)}`;
      }),
      `  subject p99 ${inProcess.can.subject.p99} ms   target < ${TARGETS.canP99Ms} ms   ${check(checks.canP99)}`,
      '',
      'List queries with the permission filter, page 1 (SQLite statement time, ms; "call" is the whole listEntities/listContacts)',
      `  ${''.padEnd(30)}${'in all'.padStart(7)}${'rows p50'.padStart(8)}${'p99'.padStart(8)}${'cnt p50'.padStart(8)}${'p99'.padStart(8)}${'call p50'.padStart(8)}${'p99'.padStart(8)}`,
      ...inProcess.lists.map(listRow),
      '',
      roundsLine(LOAD),
      `  ${'target'.padEnd(50)}${'req/s'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'of bare'.padStart(9)}${'bad'.padStart(6)}`,
      ...http.map(
        (h) =>
          `  ${h.label.padEnd(50)}${String(h.rps).padStart(8)}${h.p50Ms.toFixed(2).padStart(9)}${h.p99Ms.toFixed(2).padStart(9)}${`${(h.ratio * 100).toFixed(1)}%`.padStart(9)}${String(h.non2xx + h.errors + h.badBodies).padStart(6)}`,
      ),
      `  subject entity search p99 ${subjectSearch.p99Ms} ms   target < ${TARGETS.entityListP99Ms} ms   ${check(checks.entityListP99)}`,
      '',
      'SQL statements per request (the subject, caches warm)',
      `  ${'page'.padEnd(40)}${'1k'.padStart(6)}${'20k'.padStart(6)}`,
      ...Object.keys(fullCounts).map(
        (k) => `  ${k.padEnd(40)}${String(smallCounts[k]).padStart(6)}${String(fullCounts[k]).padStart(6)}`,
      ),
      `  constant as the data grows   ${check(checks.statementsConstant)}`,
    ];
    if (EXPLAIN) {
      out.push('', 'Query plans (EXPLAIN QUERY PLAN, SQLite)');
      for (const l of inProcess.lists) {
        for (const p of l.plans) out.push(`  ${l.label}: ${p.sql}`, ...p.plan.map((d) => `      ${d}`));
      }
    }
    const { subjectVisible: _v, subjectHidden: _h, ...fullMeta } = full;
    const results = {
      date: new Date().toISOString(),
      caveat: CAVEAT,
      targets: TARGETS,
      pinned: PINNED,
      seed: { full: fullMeta, smallSeedMs: small.seedMs },
      can: inProcess.can,
      lists: inProcess.lists,
      http,
      statements: { small: smallCounts, full: fullCounts },
      checks,
      failures,
    };
    finish('directory', out, results, failures);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

runBench('bench:directory', main);
