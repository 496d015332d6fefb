/**
 * On SQLite a session's row, and a folder's count, are kept between requests while the database is
 * unchanged (`changeToken`, KeptWhileUnchanged). Whatever ends a session or disables its user must
 * still refuse the very next request, and a listing must count what is there now: after a write
 * through the app's own connection, or a commit by another connection (the command-line tools,
 * another process) on the same file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { changeToken, type Db, openDatabase } from '../../src/db/connect.js';
import { KeptWhileUnchanged } from '../../src/db/kept-while-unchanged.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { User } from '../../src/db/schema.js';
import { listFolder } from '../../src/files/queries.js';
import { buildApp, type Client } from '../helpers/app.js';
import { buildEntity, buildFile, buildOrganization, buildStaff, signedIn } from '../helpers/factories.js';

const opened: Db[] = [];
const dirs: string[] = [];

async function onFile(): Promise<{ app: Db; other: Db }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-sessions-'));
  dirs.push(dir);
  const url = `sqlite:${dir}/portico.db`;
  const app = openDatabase(url);
  opened.push(app);
  await migrateToLatest(app);
  const other = openDatabase(url);
  opened.push(other);
  return { app, other };
}

afterEach(async () => {
  for (const db of opened.splice(0)) await db.destroy();
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

const home = async (client: Client) => (await client.get('/')).status;

/** The app on `db`, and two Admins signed in to it, each seen once already (so kept). */
async function twoSignedIn(db: Db): Promise<{ asAda: Client; asGrace: Client; ada: User; grace: User }> {
  await buildOrganization(db);
  const app = buildApp(db);
  const ada = await buildStaff(db, ['admin']);
  const grace = await buildStaff(db, ['admin']);
  const asAda = await signedIn(app, db, ada);
  const asGrace = await signedIn(app, db, grace);
  expect([await home(asAda), await home(asAda), await home(asGrace)]).toEqual([200, 200, 200]);
  return { asAda, asGrace, ada, grace };
}

describe('a session kept between requests (sqlite)', () => {
  it('moves the change token at every write and at every commit by another connection, never at a read', async () => {
    const { app, other } = await onFile();
    const before = changeToken(app);
    await app.selectFrom('users').select('id').execute();
    expect(changeToken(app)).toBe(before);
    await app.insertInto('change_counters').values({ name: 'plugins', version: 0 }).execute();
    const afterOwnWrite = changeToken(app);
    expect(afterOwnWrite).not.toBe(before);
    await other.updateTable('change_counters').set({ version: 5 }).where('name', '=', 'plugins').execute();
    expect(changeToken(app)).not.toBe(afterOwnWrite);
  });

  it('is refused at the next request once this connection ends it or disables its user', async () => {
    const { app: db } = await onFile();
    const { asAda, asGrace, ada, grace } = await twoSignedIn(db);

    await db.deleteFrom('sessions').where('user_id', '=', ada.id).execute();
    expect(await home(asAda)).toBe(302);
    await db.updateTable('users').set({ disabled_at: Date.now() }).where('id', '=', grace.id).execute();
    expect(await home(asGrace)).toBe(302);
  });

  it('is refused at the next request once another connection ends it or disables its user', async () => {
    const { app: db, other } = await onFile();
    const { asAda, asGrace, ada, grace } = await twoSignedIn(db);

    await other.deleteFrom('sessions').where('user_id', '=', ada.id).execute();
    expect(await home(asAda)).toBe(302);
    expect(await home(asGrace)).toBe(200);
    await other.updateTable('users').set({ disabled_at: Date.now() }).where('id', '=', grace.id).execute();
    expect(await home(asGrace)).toBe(302);
  });

  it('is refused when another connection ended it while a transaction of this one was open', async () => {
    const { app: db, other } = await onFile();
    await buildOrganization(db);
    const app = buildApp(db);
    const ada = await buildStaff(db, ['admin']);
    const asAda = await signedIn(app, db, ada);
    expect(await home(asAda)).toBe(200);

    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let reading!: () => void;
    const read = new Promise<void>((resolve) => (reading = resolve));
    const transaction = db.transaction().execute(async (trx) => {
      await trx.selectFrom('users').select('id').execute();
      reading();
      await held;
    });
    await read;
    await other.deleteFrom('sessions').where('user_id', '=', ada.id).execute();
    const during = home(asAda);
    release();
    await transaction;
    expect(await during).toBe(302);
  });
});

describe('a folder’s count kept between listings (sqlite)', () => {
  it('counts what is there now after a write through this connection or a commit by another', async () => {
    const { app: db, other } = await onFile();
    const entityId = await buildEntity(db, 'Clearwater Holdings');
    const { folder } = await buildFile(db, entityId, 'Receipts', 'One.pdf', '%PDF-1.4 one');
    const counted = async () =>
      (
        await listFolder(db, {
          entityId,
          place: folder,
          visible: { all: true },
          sort: 'name',
          descending: false,
          page: 1,
        })
      ).total;
    expect([await counted(), await counted()]).toEqual([1, 1]);
    const copy = async (through: Db, id: string) => {
      const row = await through
        .selectFrom('files')
        .selectAll()
        .where('place', '=', folder)
        .executeTakeFirstOrThrow();
      await through
        .insertInto('files')
        .values({ ...row, id, name: `${id}.pdf`, name_key: `${id}.pdf` })
        .execute();
    };
    await copy(db, 'two');
    expect(await counted()).toBe(2);
    await copy(other, 'three');
    expect(await counted()).toBe(3);
    await other.deleteFrom('files').where('id', '=', 'two').execute();
    expect(await counted()).toBe(2);
  });
});

describe('answers kept while the database is unchanged', () => {
  it('asks once while nothing changes, again after a write; keeps no "nothing found"; past its room asks each time', async () => {
    const { app: db } = await onFile();
    const kept = new KeptWhileUnchanged<string | undefined>(2);
    const asked: string[] = [];
    const answer = (key: string, value: string | undefined) => () => {
      asked.push(key);
      return Promise.resolve(value);
    };
    for (let i = 0; i < 3; i++) expect(await kept.get(db, 'a', answer('a', 'A'))).toBe('A');
    expect(asked).toEqual(['a']);
    // Nothing found is asked again each time.
    await kept.get(db, 'none', answer('none', undefined));
    await kept.get(db, 'none', answer('none', undefined));
    expect(asked).toEqual(['a', 'none', 'none']);
    // A write: every kept answer goes.
    await db.insertInto('change_counters').values({ name: 'plugins', version: 0 }).execute();
    expect(await kept.get(db, 'a', answer('a', 'A2'))).toBe('A2');
    // Room for two: the third is answered, not kept.
    await kept.get(db, 'b', answer('b', 'B'));
    await kept.get(db, 'c', answer('c', 'C'));
    await kept.get(db, 'c', answer('c', 'C'));
    await kept.get(db, 'b', answer('b', 'B'));
    expect(asked).toEqual(['a', 'none', 'none', 'a', 'b', 'c', 'c']);
  });

  it('keeps nothing where the database gives no change token (PostgreSQL)', async () => {
    const noToken = {} as Db;
    const kept = new KeptWhileUnchanged<number>(10);
    let asked = 0;
    for (let i = 0; i < 3; i++) await kept.get(noToken, 'a', async () => ++asked);
    expect(asked).toBe(3);
  });
});
