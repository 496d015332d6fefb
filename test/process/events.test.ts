/**
 * An event survives the process: a client created through the built server, which is then killed
 * (SIGKILL) after the change committed and before its worker delivered the event, is logged by the
 * example plugin's listener exactly once by the next process, and not again by the one after.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSession } from '../../src/auth/sessions.js';
import { openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { loadPlugins, migratePlugin } from '../../src/plugins/index.js';
import { buildOrganization, buildStaff } from '../helpers/factories.js';
import { startServer, until } from '../helpers/process.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('events across a crash', () => {
  it('an event committed before a SIGKILL is delivered once, by the next process', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-events-proc-'));
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    const db = openDatabase(`sqlite:${path.join(dir, 'portico.db')}`);
    cleanups.push(() => db.destroy());
    await migrateToLatest(db);
    for (const { definition } of await loadPlugins(['example'], {})) await migratePlugin(db, definition);
    await buildOrganization(db);
    const admin = await buildStaff(db, ['admin']);
    const { token } = await createSession(db, admin.id);
    await db
      .insertInto('plugin_settings')
      .values({
        plugin_id: 'example',
        values_json: JSON.stringify({ footer: 'Clearwater' }),
        updated_at: Date.now(),
      })
      .execute();
    const logged = async () =>
      (
        await db
          .selectFrom('example_activity' as never)
          .selectAll()
          .execute()
      ).length;

    const env = (poll: string) => ({
      PLUGINS: 'example',
      QUEUE_POLL_MS: poll,
      NODE_ENV: 'test',
      BASE_URL: '',
    });
    // The first process looks for jobs once at start, then not for a minute: it never delivers.
    const first = await startServer(dir, { ...env('60000'), BASE_URL: 'http://127.0.0.1' }, cleanups);
    await until(() => first.output().includes('"listening"'), 'the first server', first.output);
    const origin = `http://127.0.0.1:${first.port}`;
    const res = await fetch(`${origin}/entities`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        cookie: `portico_session=${token}`,
        origin: 'http://127.0.0.1',
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ name: 'Harbour Bakery', kind: 'company', reference: '' }),
    });
    expect(res.status).toBe(303);
    const queued = await db.selectFrom('jobs').select('kind').where('kind', 'like', 'event.%').execute();
    expect(queued).toEqual([{ kind: 'event.dispatch' }]);
    first.child.kill('SIGKILL');
    await first.exited;
    expect(await logged()).toBe(0);

    const second = await startServer(dir, { ...env('50'), BASE_URL: 'http://127.0.0.1' }, cleanups);
    for (let i = 0; i < 400 && (await logged()) === 0; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await logged()).toBe(1);
    second.child.kill('SIGKILL');
    await second.exited;

    // A third process finds nothing left to deliver.
    const third = await startServer(dir, { ...env('50'), BASE_URL: 'http://127.0.0.1' }, cleanups);
    await until(() => third.output().includes('"listening"'), 'the third server', third.output);
    await new Promise((r) => setTimeout(r, 500));
    expect(await logged()).toBe(1);
    const left = await db
      .selectFrom('jobs')
      .select(['kind', 'status'])
      .where('kind', 'like', 'event.%')
      .execute();
    expect(left.map((j) => j.status)).toEqual(['done', 'done']);
    third.child.kill('SIGTERM');
    await third.exited;
  });
});
