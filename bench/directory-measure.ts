/**
 * The in-process half of `npm run bench:directory`, over a database bench/directory-seed.ts built:
 * how many SQL statements each directory page runs (the app built with createApp over a Kysely
 * instance that logs every statement), how long `can` takes for the subject and for an Admin, and
 * how long the entity and contact list queries take with the permission module's filter, with
 * SQLite's plan for each. It reads only; it must never be pointed at a database anyone cares about.
 */
import SQLite from 'better-sqlite3';
import { Kysely, type SqliteDatabase, SqliteDialect, type SqliteStatement } from 'kysely';
import { createApp } from '../src/app.js';
import { listContacts } from '../src/contacts/queries.js';
import { type Db, planWithStatistics } from '../src/db/connect.js';
import type { Database } from '../src/db/schema.js';
import { listEntities } from '../src/entities/queries.js';
import { silentLogger } from '../src/kernel/log.js';
import {
  type Actor,
  can,
  entityChain,
  loadActor,
  visibleContacts,
  visibleEntities,
} from '../src/permissions/index.js';
import type { SeededDirectory, SeededUser } from './directory-seed.js';
import { quantile, round } from './lib.js';

export interface Statement {
  sql: string;
  parameters: readonly unknown[];
  ms: number;
}

/**
 * A Kysely instance over the seeded file that records every statement it runs. Like the app's own
 * (src/db/connect.ts) it keeps prepared statements per SQL text and gathers the planner's
 * statistics on opening, so query times and plans are comparable.
 */
export function openLogged(file: string): { db: Db; statements: Statement[]; raw: SQLite.Database } {
  const raw = new SQLite(file);
  raw.pragma('journal_mode = WAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  planWithStatistics(raw);
  const cache = new Map<string, SqliteStatement>();
  const database: SqliteDatabase = {
    close: () => raw.close(),
    prepare(sql) {
      let stmt = cache.get(sql);
      if (!stmt) {
        stmt = raw.prepare(sql);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
  const statements: Statement[] = [];
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database }),
    log: (event) => {
      statements.push({
        sql: event.query.sql,
        parameters: event.query.parameters,
        ms: event.queryDurationMillis,
      });
    },
  });
  return { db, statements, raw };
}

export interface Page {
  label: string;
  path: string;
  /** Strings the real page contains (heading, totals); a page without them fails the run. */
  mustContain: string[];
}

/** The pages whose statements are counted and, the first three, loaded over HTTP. */
export function directoryPages(s: SeededDirectory): Page[] {
  return [
    {
      label: 'GET /entities?q= (search, page 1)',
      path: `/entities?q=${s.entityTerm}`,
      mustContain: ['<h1>Clients</h1>', `${s.expected.subjectEntitiesMatching} in all`],
    },
    {
      label: 'GET /entities (page 1)',
      path: '/entities',
      mustContain: ['<h1>Clients</h1>', `${s.expected.subjectEntities} in all`],
    },
    {
      label: 'GET /contacts?q= (search, page 1)',
      path: `/contacts?q=${s.contactTerm}`,
      mustContain: ['<h1>Contacts</h1>', `${s.expected.subjectContactsMatching} in all`],
    },
    {
      label: 'GET /contacts/:id',
      path: `/contacts/${s.sampleContact.id}`,
      mustContain: [`<h1>${s.sampleContact.name}</h1>`, '<h2>Summary</h2>'],
    },
    {
      label: 'GET /entities/:id',
      path: `/entities/${s.sampleEntity.id}`,
      mustContain: [`<h1>${s.sampleEntity.name.replace('&', '&amp;')}</h1>`, '<h2>Summary</h2>'],
    },
  ];
}

/** What is wrong with a response that should be `page`, or null when it is the real page. */
export function pageProblem(page: Page, status: number, body: string): string | null {
  const missing = page.mustContain.filter((m) => !body.includes(m));
  if (status === 200 && missing.length === 0) return null;
  return `${page.label}: status ${status}${missing.length ? `, missing ${missing.map((m) => JSON.stringify(m)).join(', ')}` : ''}\n${body.slice(0, 600)}`;
}

/**
 * Statements one signed-in request of each page runs, as the subject, once the process's caches
 * (the person's bindings, the page shell) are warm: each page is requested once, then counted.
 */
export async function countStatements(file: string, s: SeededDirectory): Promise<Record<string, number>> {
  const { db, statements } = openLogged(file);
  try {
    const baseUrl = 'http://127.0.0.1:3000';
    const app = createApp({
      config: {
        port: 3000,
        host: '127.0.0.1',
        dataDir: '/nonexistent',
        databaseUrl: `sqlite:${file}`,
        baseUrl,
        logLevel: 'error',
        env: 'production',
        trustProxy: false,
      },
      db,
      log: silentLogger,
    });
    const headers = { cookie: `portico_session=${s.subject.sessionToken}` };
    const counts: Record<string, number> = {};
    for (const page of directoryPages(s)) {
      await app.request(`${baseUrl}${page.path}`, { headers });
      statements.length = 0;
      const res = await app.request(`${baseUrl}${page.path}`, { headers });
      const problem = pageProblem(page, res.status, await res.text());
      if (problem) throw new Error(`in-process ${problem}`);
      counts[page.label] = statements.length;
    }
    return counts;
  } finally {
    await db.destroy();
  }
}

export interface Timing {
  runs: number;
  p50: number;
  p99: number;
  max: number;
}

function timing(values: number[], digits = 3): Timing {
  if (values.length === 0) return { runs: 0, p50: 0, p99: 0, max: 0 };
  const sorted = Float64Array.from(values).sort();
  return {
    runs: values.length,
    p50: round(quantile(sorted, 0.5), digits),
    p99: round(quantile(sorted, 0.99), digits),
    max: round(sorted[sorted.length - 1] ?? Number.NaN, digits),
  };
}

export interface CanTiming extends Timing {
  bindings: number;
  /** Answers that differ from what the seed gave (visible ids must be yes, hidden ones no). */
  wrong: number;
}

/**
 * `can(actor, 'entity.summary:R', entityChain(id))` over the ids the subject may and may not see,
 * interleaved, `calls` times, each call timed on its own (milliseconds).
 */
function timeCan(actor: Actor, visible: string[], hidden: string[], calls: number, adminSeesAll: boolean) {
  const ids = visible.flatMap((id, i) => [
    { id, yes: true },
    { id: hidden[i]!, yes: adminSeesAll },
  ]);
  const ms: number[] = [];
  let wrong = 0;
  for (let i = 0; i < calls; i++) {
    const { id, yes } = ids[(i * 7919) % ids.length]!;
    const t = performance.now();
    const answer = can(actor, 'entity.summary:R', entityChain(id));
    ms.push(performance.now() - t);
    if (answer !== yes) wrong++;
  }
  return { ...timing(ms, 4), bindings: actor.bindings.length, wrong };
}

export interface ListTiming {
  label: string;
  total: number;
  /** The page query (a search's carries the total), the count query if any, and the whole call (ms). */
  rows: Timing;
  count: Timing;
  call: Timing;
  plans: { sql: string; plan: string[] }[];
}

/** Runs one listing repeatedly (at least 10 times, then until 100 runs or 3 s) and times it. */
async function timeList(
  label: string,
  statements: Statement[],
  raw: SQLite.Database,
  list: () => Promise<{ total: number }>,
): Promise<ListTiming> {
  await list();
  const rows: number[] = [];
  const count: number[] = [];
  const call: number[] = [];
  let total = 0;
  const until = performance.now() + 3000;
  while (call.length < 10 || (call.length < 100 && performance.now() < until)) {
    statements.length = 0;
    const t = performance.now();
    total = (await list()).total;
    call.push(performance.now() - t);
    // A search's page statement carries its total (`count(*) over ()`); a list counts separately.
    for (const st of statements) (st.sql.startsWith('select count(*)') ? count : rows).push(st.ms);
  }
  const plans = statements.map((st) => ({
    sql: st.sql,
    plan: (
      raw.prepare(`explain query plan ${st.sql}`).all(...(st.parameters as unknown[])) as { detail: string }[]
    ).map((p) => p.detail),
  }));
  return { label, total, rows: timing(rows), count: timing(count), call: timing(call), plans };
}

export interface InProcess {
  can: { subject: CanTiming; admin: CanTiming };
  lists: ListTiming[];
}

export async function measureInProcess(
  file: string,
  s: SeededDirectory,
  canCalls: number,
): Promise<InProcess> {
  const { db, statements, raw } = openLogged(file);
  try {
    const actorOf = (u: SeededUser) =>
      loadActor(db, {
        id: u.id,
        kind: u.kind,
        email: u.email,
        first_name: u.first_name,
        last_name: u.last_name,
      });
    const subject = await actorOf(s.subject);
    const admin = await actorOf(s.admin);
    const canTimes = {
      subject: timeCan(subject, s.subjectVisible, s.subjectHidden, canCalls, false),
      admin: timeCan(admin, s.subjectVisible, s.subjectHidden, canCalls, true),
    };
    const lists: ListTiming[] = [];
    for (const [who, actor] of [
      ['subject', subject],
      ['Admin', admin],
    ] as const) {
      for (const q of [s.entityTerm, '']) {
        lists.push(
          await timeList(`${who}: entities${q ? ` q=${q}` : ''}`, statements, raw, () =>
            listEntities(db, { visible: visibleEntities(db, actor, 'entity.summary:R', 'e.id'), q, page: 1 }),
          ),
        );
      }
      for (const q of [s.contactTerm, '']) {
        lists.push(
          await timeList(`${who}: contacts${q ? ` q=${q}` : ''}`, statements, raw, () =>
            listContacts(db, {
              visible: visibleContacts(db, actor, 'contact.summary:R', 'cp.client_entity_id'),
              q,
              page: 1,
            }),
          ),
        );
      }
    }
    return { can: canTimes, lists };
  } finally {
    await db.destroy();
  }
}
