/**
 * The plugin host: each way a plugin cannot start stops start-up with one line naming it; a plugin's
 * database handle reaches only its own tables (no core table, no other plugin's, no raw SQL, no way
 * around the check); a plugin route that neither authorizes nor is public fails like a core one.
 */
import { sql } from 'kysely';
import * as v from 'valibot';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { assemble, createApp } from '../../src/app.js';
import { silentLogger } from '../../src/kernel/log.js';
import {
  definePlugin,
  guardedDb,
  loadPlugins,
  type PluginContext,
  type PluginDefinition,
  pluginsFrom,
} from '../../src/plugins/index.js';
import { testConfig } from '../helpers/app.js';
import { DIALECTS, freshDatabase, type TestDb } from '../helpers/db.js';
import { buildOrganization, buildStaff, signedIn } from '../helpers/factories.js';

const plugin = (over: Partial<PluginDefinition<unknown>> = {}) =>
  definePlugin<unknown>({ id: 'notes', version: '1.0.0', host: '^1', register() {}, ...over });

/** Loads fake plugins by name, as PLUGINS would, without files. */
const load = (mods: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) =>
  loadPlugins(Object.keys(mods), env, async (name) => {
    if (!(name in mods)) throw new Error(`Cannot find package '${name}'`);
    return { default: mods[name] };
  });

describe('a plugin that cannot start stops start-up, named', () => {
  it('refuses a host range this Portico does not meet', async () => {
    await expect(load({ notes: plugin({ host: '^2' }) })).rejects.toThrow(
      'plugin notes: it needs plugin API ^2; this Portico offers 1.0.0',
    );
  });

  it('refuses a malformed id and an export that is not a plugin', async () => {
    await expect(load({ notes: plugin({ id: 'Notes--x' }) })).rejects.toThrow(
      'plugin Notes--x: its id must be',
    );
    await expect(load({ notes: { id: 'notes' } })).rejects.toThrow(
      'plugin notes: its default export is not definePlugin',
    );
  });

  it('refuses a plugin whose required plugin is not enabled', async () => {
    await expect(load({ notes: plugin({ requires: ['branding'] }) })).rejects.toThrow(
      'plugin notes: requires plugin branding, which is not in PLUGINS',
    );
  });

  it('refuses a missing or bad secret, naming the variable and never its value', async () => {
    const settings = {
      secrets: {
        apiKey: { env: 'NOTES_API_KEY', schema: v.pipe(v.string(), v.regex(/^nk_/, 'must start with nk_')) },
      },
    };
    await expect(load({ notes: plugin({ settings }) })).rejects.toThrow(
      'plugin notes: NOTES_API_KEY is not set',
    );
    const bad = load({ notes: plugin({ settings }) }, { NOTES_API_KEY: 'secret-value' });
    await expect(bad).rejects.toThrow('plugin notes: NOTES_API_KEY must start with nk_');
    await expect(bad).rejects.not.toThrow('secret-value');
    const [ok] = await load({ notes: plugin({ settings }) }, { NOTES_API_KEY: 'nk_1' });
    expect(ok?.secrets).toEqual({ apiKey: 'nk_1' });
  });

  it('refuses a name that is neither a folder under plugins/ nor an installed package', async () => {
    await expect(loadPlugins(['no-such-plugin'], {})).rejects.toThrow(
      'plugin no-such-plugin: no folder plugins/no-such-plugin and no installed package of that name',
    );
  });

  it('stops when register throws, naming the plugin', async () => {
    const t = await freshDatabase('sqlite');
    try {
      const loaded = await load({
        notes: plugin({
          register() {
            throw new Error('the notes table is missing');
          },
        }),
      });
      const deps = { config: testConfig(), db: t.db, log: silentLogger };
      expect(() => assemble(deps, pluginsFrom(loaded, t.db))).toThrow(
        'plugin notes: register failed: the notes table is missing',
      );
    } finally {
      await t.close();
    }
  });
});

describe('a plugin’s secrets', () => {
  it('seals and signs under its own purposes: another plugin cannot open or verify them, and nothing works without a key', async () => {
    const t = await freshDatabase('sqlite');
    try {
      const got: Record<string, PluginContext<unknown>> = {};
      const keeping = (id: string) =>
        plugin({
          id,
          register(ctx) {
            got[id] = ctx;
          },
        });
      const loaded = await load({ notes: keeping('notes'), branding: keeping('branding') });
      assemble({ config: testConfig(), db: t.db, log: silentLogger }, pluginsFrom(loaded, t.db));
      const { notes, branding } = got as { notes: PluginContext<unknown>; branding: PluginContext<unknown> };
      const sealed = notes.secretKey.seal('token', 'refresh-1');
      expect(notes.secretKey.open('token', sealed)).toBe('refresh-1');
      expect(branding.secretKey.open('token', sealed)).toBeNull();
      const signed = notes.secretKey.sign('flow', 'abc');
      expect(notes.secretKey.verify('flow', signed)).toBe('abc');
      expect(branding.secretKey.verify('flow', signed)).toBeNull();

      const keyless = await load({ notes: keeping('notes') });
      assemble(
        { config: testConfig({ secretKey: undefined }), db: t.db, log: silentLogger },
        pluginsFrom(keyless, t.db),
      );
      expect(() => got.notes!.secretKey.seal('token', 'x')).toThrow('SECRET_KEY is not set');
    } finally {
      await t.close();
    }
  });
});

describe.each(DIALECTS)('a plugin’s database handle (%s)', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDatabase(dialect);
    await t.db.schema.createTable('notes_items').addColumn('id', 'text').execute();
    await t.db.schema.createTable('branding_colours').addColumn('id', 'text').execute();
  });
  afterEach(() => t.close());

  it('reads and writes its own tables, in and out of a transaction', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: the plugin's own tables
    const db = guardedDb<any>(t.db, 'notes');
    await db.insertInto('notes_items').values({ id: 'a' }).execute();
    await db.transaction().execute((trx) => trx.insertInto('notes_items').values({ id: 'b' }).execute());
    expect(await db.selectFrom('notes_items').select('id').orderBy('id', 'desc').execute()).toEqual([
      { id: 'b' },
      { id: 'a' },
    ]);
  });

  it('refuses a core table, another plugin’s table and raw SQL, however they are reached', async () => {
    // biome-ignore lint/suspicious/noExplicitAny: reaching for tables it does not own
    const db = guardedDb<any>(t.db, 'notes');
    await expect(db.selectFrom('users').selectAll().execute()).rejects.toThrow('table users is not its own');
    await expect(db.selectFrom('branding_colours').selectAll().execute()).rejects.toThrow(
      'table branding_colours is not its own',
    );
    await expect(
      db.selectFrom('notes_items').innerJoin('users', 'users.id', 'notes_items.id').selectAll().execute(),
    ).rejects.toThrow('table users is not its own');
    await expect(
      (async () =>
        db
          .selectFrom('notes_items')
          .where('id', 'in', db.selectFrom('sessions').select('id'))
          .selectAll()
          .execute())(),
    ).rejects.toThrow('table sessions is not its own');
    await expect(db.deleteFrom('users').execute()).rejects.toThrow('table users is not its own');
    await expect(db.schema.dropTable('users').execute()).rejects.toThrow('table users is not its own');
    await expect(
      db.transaction().execute((trx) => trx.updateTable('users').set({ email: 'x' }).execute()),
    ).rejects.toThrow('table users is not its own');
    await expect(sql`select * from users`.execute(db)).rejects.toThrow('getExecutor is refused');
    await expect(
      db.selectFrom('notes_items').where(sql<boolean>`1 = 1`).selectAll().execute(),
    ).rejects.toThrow('raw SQL is refused');
    expect(() => db.executeQuery(sql`select 1`.compile(t.db))).toThrow('executeQuery is refused');
    expect(() => db.withoutPlugins()).toThrow('withoutPlugins is refused');
    expect(() => db.schema.withoutPlugins()).toThrow('withoutPlugins is refused');
    // Nothing of the core was touched.
    expect((await t.db.selectFrom('users').select('id').execute()).length).toBe(0);
  });
});

describe.each(DIALECTS)('a plugin’s routes (%s)', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDatabase(dialect);
    await buildOrganization(t.db);
  });
  afterEach(() => t.close());

  it('a route that neither authorizes nor is public fails like a core one; one that does answers', async () => {
    const loaded = await load({
      notes: plugin({
        register(ctx) {
          ctx.routes((app) => {
            app.get('/open', (c) => c.text('anyone'));
            app.get('/checked', (c) => {
              ctx.authorize(c, 'organization:R');
              return c.text('admins');
            });
            app.get('/who', async (c) => {
              ctx.authorize(c, 'organization:R');
              return c.json((await ctx.lookup.userByEmail(c.req.query('email') ?? '')) ?? null);
            });
          });
        },
      }),
    });
    const deps = { config: testConfig(), db: t.db, log: silentLogger };
    const app = createApp(deps, assemble(deps, pluginsFrom(loaded, t.db)));
    const admin = await signedIn(app, t.db, await buildStaff(t.db, ['admin']));
    expect((await admin.get('/p/notes/open')).status).toBe(500);
    const checked = await admin.get('/p/notes/checked');
    expect([checked.status, await checked.text()]).toEqual([200, 'admins']);
    const staff = await signedIn(app, t.db, await buildStaff(t.db));
    expect((await staff.get('/p/notes/checked')).status).toBe(403);
    // Looked up as Portico compares emails, through the permission module: plain data, no hash.
    const found = await (
      await admin.get(`/p/notes/who?email=${encodeURIComponent(' GRACE@Example.com ')}`)
    ).json();
    expect(found).toEqual(null);
    const staffMember = await t.db
      .selectFrom('users')
      .select(['id', 'email'])
      .where('kind', '=', 'staff')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const again = (await (
      await admin.get(`/p/notes/who?email=${encodeURIComponent(` ${staffMember.email.toUpperCase()} `)}`)
    ).json()) as Record<string, unknown>;
    expect(again).toEqual(
      expect.objectContaining({
        id: staffMember.id,
        kind: 'staff',
        email: staffMember.email,
        disabled: false,
      }),
    );
    expect(Object.keys(again).sort()).toEqual(['disabled', 'email', 'firstName', 'id', 'kind', 'lastName']);
  });

  it('a sign-in provider is a button on both sign-in pages; one pointing off the site is not shown', async () => {
    const loaded = await load({
      notes: plugin({
        register(ctx) {
          ctx.signInProvider({ id: 'acme', label: 'Sign in with Acme', href: '/p/notes/acme/start' });
          ctx.signInProvider({ id: 'evil', label: 'Sign in with Evil', href: '//evil.example/start' });
        },
      }),
    });
    const deps = { config: testConfig(), db: t.db, log: silentLogger };
    const app = createApp(deps, assemble(deps, pluginsFrom(loaded, t.db)));
    for (const path of ['/sign-in', '/sign-in/link']) {
      const html = await (await app.request(path)).text();
      expect(html).toContain('<a class="button secondary" href="/p/notes/acme/start">Sign in with Acme</a>');
      expect(html).not.toContain('evil.example');
    }
  });
});
