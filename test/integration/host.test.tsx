/**
 * The host's registries: events reach each listener once, after commit, and never from a rolled-back
 * change; a listener that throws or hangs is retried on its own without touching the others; a
 * filter or slot filler that throws is skipped and recorded; a schedule runs once per period
 * however many processes tick; contacts never see a staff place in the navigation.
 */
import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assemble } from '../../src/app.js';
import type { Db } from '../../src/db/connect.js';
import { organizationCache } from '../../src/db/organization-cache.js';
import { FEATURES } from '../../src/features.js';
import { createHost, defineFeature, emit, type Feature, type Host } from '../../src/host/index.js';
import { claimJobs, retryDelay, runClaimed } from '../../src/jobs/worker.js';
import { silentLogger } from '../../src/kernel/log.js';
import type { Actor } from '../../src/permissions/index.js';
import { buildApp, testConfig } from '../helpers/app.js';
import { DIALECTS, freshDatabase, type TestDb } from '../helpers/db.js';
import { bindAtEntity, buildContact, buildEntity, signedIn } from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';
import { runDue } from '../helpers/jobs.js';

declare module '../../src/host/events.js' {
  interface Events {
    'test.happened': { n: number };
  }
}
declare module '../../src/host/filters.js' {
  interface Filters {
    'test.words': { value: string; context: { suffix: string } };
  }
}
declare module '../../src/host/slots.js' {
  interface Slots {
    'test.panel': { props: { n: number }; gives: string };
  }
}
declare module '../../src/host/frames.js' {
  interface Frames {
    'test.frame': { props: { body: string } };
  }
}

/** A table the listeners write to, in the delivery's transaction. */
async function heardTable(db: Db): Promise<void> {
  await db.schema
    .createTable('heard')
    .addColumn('listener', 'text')
    .addColumn('n', 'integer')
    .addColumn('event_id', 'text')
    .execute();
}
const heard = (db: Db) =>
  db
    .selectFrom('heard' as never)
    .selectAll()
    .execute() as unknown as Promise<{ listener: string; n: number; event_id: string }[]>;

describe.each(DIALECTS)('the host (%s)', (dialect) => {
  let t: TestDb;
  let host: Host;
  let calls: string[];
  let failFirst: number;

  const listening: Feature = defineFeature({
    id: 'listening',
    register(r) {
      r.on('test.happened', async (payload, ctx) => {
        calls.push(`steady ${payload.n}`);
        await ctx.db
          .insertInto('heard' as never)
          .values({ listener: 'steady', n: payload.n, event_id: ctx.eventId } as never)
          .execute();
      });
    },
  });
  const flaky: Feature = defineFeature({
    id: 'flaky',
    register(r) {
      r.on('test.happened', async (payload, ctx) => {
        calls.push(`flaky ${payload.n}`);
        await ctx.db
          .insertInto('heard' as never)
          .values({ listener: 'flaky', n: payload.n, event_id: ctx.eventId } as never)
          .execute();
        // Its database work is undone with the failed delivery, so the retry does it once.
        if (failFirst-- > 0) throw new Error('the flaky listener broke');
      });
      r.filter('test.words', () => {
        throw new Error('the flaky filter broke');
      });
      r.slot('test.panel', () => {
        throw new Error('the flaky slot broke');
      });
    },
  });
  const wording: Feature = defineFeature({
    id: 'wording',
    register(r) {
      r.filter('test.words', (value, { suffix }) => `${value} ${suffix}`);
      r.filter('test.words', (value) => value.toUpperCase());
      r.slot('test.panel', ({ n }) => `second ${n}`, 20);
      r.slot('test.panel', ({ n }) => (n > 0 ? `first ${n}` : null), 10);
    },
  });

  beforeEach(async () => {
    t = await freshDatabase(dialect);
    await heardTable(t.db);
    calls = [];
    failFirst = 0;
    host = createHost(
      { config: testConfig(), db: t.db, log: silentLogger, organization: organizationCache(t.db) },
      [listening, flaky, wording],
    );
  });
  afterEach(() => t.close());

  it('delivers an event to each listener after its transaction commits, and once only', async () => {
    await t.db.transaction().execute((trx) => emit(trx, 'test.happened', { n: 1 }));
    expect(calls).toEqual([]);
    expect(await runDue(t.db, host.jobs)).toEqual(['event.dispatch:done']);
    expect(await runDue(t.db, host.jobs)).toEqual(['event.deliver:done', 'event.deliver:done']);
    expect(calls.sort()).toEqual(['flaky 1', 'steady 1']);
    expect(await runDue(t.db, host.jobs)).toEqual([]);
    const rows = await heard(t.db);
    expect(rows.map((r) => r.listener).sort()).toEqual(['flaky', 'steady']);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(1);
  });

  it('never delivers an event raised in a transaction that rolled back', async () => {
    await expect(
      t.db.transaction().execute(async (trx) => {
        await emit(trx, 'test.happened', { n: 2 });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    expect(await runDue(t.db, host.jobs)).toEqual([]);
    expect(calls).toEqual([]);
  });

  it('retries only the listener that threw, without doubling its database work or the others’', async () => {
    failFirst = 1;
    await emit(t.db, 'test.happened', { n: 3 });
    await runDue(t.db, host.jobs);
    expect((await runDue(t.db, host.jobs)).sort()).toEqual(['event.deliver:done', 'event.deliver:retry']);
    expect(host.problems.of('flaky').map((p) => [p.where, p.message])).toEqual([
      ['listener test.happened', 'the flaky listener broke'],
    ]);
    expect(host.problems.of('listening')).toEqual([]);
    // The retry is due after its backoff; only the flaky listener runs again.
    calls = [];
    expect(await runDue(t.db, host.jobs, Date.now() + 60 * 60_000)).toEqual(['event.deliver:done']);
    expect(calls).toEqual(['flaky 3']);
    const rows = await heard(t.db);
    expect(rows.map((r) => r.listener).sort()).toEqual(['flaky', 'steady']);
  });

  it('a delivery job run twice (a worker that died after commit) does the listener’s work once', async () => {
    await emit(t.db, 'test.happened', { n: 4 });
    await runDue(t.db, host.jobs);
    const deliveries = await claimJobs(t.db, 'w1', ['event.deliver'], 10, Date.now() + 1000, 60_000);
    const ctx = {
      db: t.db,
      log: silentLogger,
      handlers: host.jobs,
      backoff: retryDelay,
      now: () => Date.now(),
    };
    for (const job of deliveries) await runClaimed({ ...ctx, workerId: 'w1' }, job);
    for (const job of deliveries)
      await host.jobs['event.deliver']!.run(JSON.parse(job.payload), {
        id: job.id,
        kind: 'event.deliver',
        attempt: 2,
        maxAttempts: 10,
      });
    expect((await heard(t.db)).length).toBe(2);
  });

  it('a listener that hangs times out and is retried, and the others are delivered meanwhile', async () => {
    const slow = createHost(
      { config: testConfig(), db: t.db, log: silentLogger, organization: organizationCache(t.db) },
      [
        defineFeature({
          id: 'slow',
          register(r) {
            r.on('test.happened', () => new Promise(() => {}));
          },
        }),
        listening,
      ],
    );
    // The registry's own timeout, shortened: the listener above never settles.
    for (const entry of slow.events.listenersOf('test.happened'))
      (entry as { timeoutMs: number }).timeoutMs = 50;
    await emit(t.db, 'test.happened', { n: 5 });
    await runDue(t.db, slow.jobs);
    expect((await runDue(t.db, slow.jobs)).sort()).toEqual(['event.deliver:done', 'event.deliver:retry']);
    expect(slow.problems.of('slow')[0]?.message).toBe('timed out after 50 ms');
    expect(calls).toEqual(['steady 5']);
  });

  it('passes a value through each filter in order, skipping and recording one that throws', async () => {
    expect(await host.filters.apply('test.words', 'hello', { suffix: 'there' })).toBe('HELLO THERE');
    expect(host.problems.of('flaky').map((p) => p.where)).toEqual(['filter test.words']);
  });

  it('fills a slot in order, leaving out nothing-here answers and a filler that throws', async () => {
    expect(await host.slots.fill('test.panel', { n: 1 })).toEqual(['first 1', 'second 1']);
    expect(await host.slots.fill('test.panel', { n: 0 })).toEqual(['second 0']);
    expect(host.problems.of('flaky').map((p) => p.where)).toEqual(['slot test.panel', 'slot test.panel']);
  });

  it('queues a schedule’s run once per period, however many processes tick', async () => {
    let runs = 0;
    const scheduled = defineFeature({
      id: 'scheduled',
      register(r) {
        r.schedule({ name: 'scheduled.count', everyMs: 60 * 60_000, run: async () => void runs++ });
      },
    });
    const deps = { config: testConfig(), db: t.db, log: silentLogger, organization: organizationCache(t.db) };
    const [a, b] = [createHost(deps, [scheduled]), createHost(deps, [scheduled])];
    const hour = 60 * 60_000;
    const now = Math.floor(Date.now() / hour) * hour + 1000;
    await a!.schedules.tick(t.db, now);
    await b!.schedules.tick(t.db, now + 5000);
    await runDue(t.db, a!.jobs, now + 10_000);
    expect(runs).toBe(1);
    await b!.schedules.tick(t.db, now + hour);
    await runDue(t.db, b!.jobs, now + hour + 1000);
    expect(runs).toBe(2);
  });

  it('stops start-up, naming the service, when no feature provides one the kernel promises', () => {
    const deps = { config: testConfig(), db: t.db, log: silentLogger };
    expect(() =>
      assemble(
        deps,
        undefined,
        [],
        FEATURES.filter((f) => f.id !== 'auth'),
      ),
    ).toThrow('no feature provides the service auth.signIn, auth.waysIn, auth.sessionAge');
    expect(assemble(deps).host.services.has('auth.signIn')).toBe(true);
  });

  it('renders inside a frame its one provider gives; a second provider is refused at start, naming both', async () => {
    const deps = { config: testConfig(), db: t.db, log: silentLogger, organization: organizationCache(t.db) };
    const framer = (id: string) =>
      defineFeature({
        id,
        register(r) {
          r.frame('test.frame', async (c, { body }) => c.text(`[${id}: ${body}]`));
        },
      });
    const framed = createHost(deps, [framer('owner')]);
    const app = new Hono().get('/', (c) => framed.frames.render('test.frame', c, { body: 'inside' }));
    expect(await (await app.request('/')).text()).toBe('[owner: inside]');
    expect(() => createHost(deps, [framer('owner'), framer('copycat')])).toThrow(
      'copycat: frame test.frame is already provided by owner',
    );
    const unframed = createHost(deps, []);
    const bare = new Hono().get('/', (c) => {
      try {
        return unframed.frames.render('test.frame', c, { body: 'lost' });
      } catch (error) {
        return c.text((error as Error).message, 500);
      }
    });
    expect(await (await bare.request('/')).text()).toBe('no feature provides the frame test.frame');
  });

  it('shows contacts only the places meant for contacts, whatever they may do', () => {
    const nav = createHost(
      { config: testConfig(), db: t.db, log: silentLogger, organization: organizationCache(t.db) },
      [
        defineFeature({
          id: 'places',
          register(r) {
            r.nav({ href: '/desk', label: 'Desk', audience: 'staff', order: 1 });
            r.nav({ href: '/mine', label: (w) => `My ${w.many}`, audience: 'contact', order: 2 });
            r.nav({ href: '/hidden', label: 'Hidden', audience: 'contact', visible: () => false, order: 3 });
          },
        }),
      ],
    ).nav;
    const words = { one: 'Matter', many: 'Matters', lower: 'matter' };
    const person = (kind: 'staff' | 'contact') => ({ user: { kind } }) as Actor;
    expect(nav.itemsFor(person('contact'), words)).toEqual([
      { href: '/mine', label: 'My Matters', section: 'main' },
    ]);
    expect(nav.itemsFor(person('staff'), words).map((i) => i.href)).toEqual(['/desk']);
    expect(nav.itemsFor(null, words)).toEqual([]);
  });
});

describe.each(DIALECTS)('audited changes announce themselves (%s)', (dialect) => {
  const heardEvents: unknown[] = [];
  const watcher = defineFeature({
    id: 'watcher',
    register(r) {
      r.on('entity.created', (payload) => void heardEvents.push(payload));
    },
  });
  const firm = useFirm(dialect, { features: [watcher] });

  it('an entity made through its form is announced as entity.created, after commit, with who and what', async () => {
    const admin = await signedIn(firm.app, firm.db, firm.admin);
    expect(
      (await admin.post('/entities', { name: 'Harbour Bakery', kind: 'company', reference: '' })).status,
    ).toBe(303);
    expect(heardEvents).toEqual([]);
    // Another process's worker: the listener's id is the same in every process.
    const worker = createHost(
      { config: testConfig(), db: firm.db, log: silentLogger, organization: organizationCache(firm.db) },
      [...FEATURES, watcher],
    );
    expect(await runDue(firm.db, worker.jobs)).toEqual(['event.dispatch:done']);
    expect(await runDue(firm.db, worker.jobs)).toEqual(['event.deliver:done']);
    expect(heardEvents).toEqual([
      expect.objectContaining({
        actor: { id: firm.admin.id, label: expect.stringContaining(firm.admin.email) },
        object: expect.objectContaining({ type: 'entity', label: 'Harbour Bakery' }),
      }),
    ]);
  });

  it('with nobody listening, a change queues no event at all', async () => {
    const admin = await signedIn(buildApp(firm.db), firm.db, firm.admin);
    await admin.post('/entities', { name: 'Quiet Ltd', kind: 'company', reference: '' });
    const kinds = await firm.db.selectFrom('jobs').select('kind').execute();
    expect(kinds.filter((k) => k.kind.startsWith('event.'))).toEqual([]);
  });
});

describe.each(DIALECTS)('the filter nav.items (%s)', (dialect) => {
  const renaming = defineFeature({
    id: 'renaming',
    register(r) {
      r.filter('nav.items', (items) =>
        items
          .filter((i) => i.href !== '/contacts')
          .map((i) => (i.href === '/entities' ? { ...i, label: 'Our clients' } : i)),
      );
    },
  });
  const firm = useFirm(dialect, { features: [renaming] });

  it('passes the navigation a person may use through the filter before the page shows it', async () => {
    const html = await (await (await signedIn(firm.app, firm.db, firm.admin)).get('/')).text();
    expect(html).toContain('<a href="/entities">Our clients</a>');
    expect(html).not.toContain('href="/contacts"');
  });
});

describe.each(DIALECTS)('the slot portal.header (%s)', (dialect) => {
  const notice = defineFeature({
    id: 'notice',
    register(r) {
      r.slot('portal.header', ({ actor, entity }) =>
        entity ? (
          <p class="notice">
            Hello {actor.user.first_name}, your {entity.name} papers are due.
          </p>
        ) : null,
      );
    },
  });
  const firm = useFirm(dialect, { features: [notice] });

  it("shows a contact what features put under the portal's welcome, for the client they look at", async () => {
    const harbour = await buildEntity(firm.db, 'Harbour Trust');
    const grace = await buildContact(firm.db, harbour, { firstName: 'Grace' });
    await firm.db
      .updateTable('contact_profiles')
      .set({ portal_access: 1 })
      .where('user_id', '=', grace.id)
      .execute();
    await bindAtEntity(firm.db, { userId: grace.id }, 'contact_entity_access', harbour);
    const html = await (await (await signedIn(firm.app, firm.db, grace)).get('/portal')).text();
    expect(html).toContain('<p class="notice">Hello Grace, your Harbour Trust papers are due.</p>');
  });
});
