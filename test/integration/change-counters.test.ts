/**
 * What a process keeps between requests (each person's role bindings, the home page's panels)
 * is never staler than the database: a change made outside this process (another app process, an
 * operator's SQL session, simulated here by writing to the database directly) is seen on the very
 * next request.
 */
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { lockPermissions } from '../../src/permissions/index.js';
import { addBinding } from '../../src/permissions/queries.js';
import { DIALECTS } from '../helpers/db.js';
import {
  buildContact,
  buildEntity,
  buildGroup,
  buildPortal,
  buildStaff,
  signedIn,
} from '../helpers/factories.js';
import { useFirm } from '../helpers/firm.js';

const counters = async (db: Db) =>
  Object.fromEntries(
    (await db.selectFrom('change_counters').select(['name', 'version']).execute()).map((r) => [
      r.name,
      Number(r.version),
    ]),
  );

describe.each(DIALECTS)('change counters and what is kept in memory (%s)', (dialect) => {
  const firm = useFirm(dialect);

  it('a role taken away in the database is refused on the next request of a live session', async () => {
    const sam = await buildStaff(firm.db, ['staff_admin']);
    const client = await signedIn(firm.app, firm.db, sam);
    expect((await client.get('/staff')).status).toBe(200);
    expect((await client.get('/staff')).status).toBe(200);
    await firm.db.deleteFrom('role_bindings').where('user_id', '=', sam.id).execute();
    expect((await client.get('/staff')).status).toBe(403);
  });

  it('leaving a group in the database takes its roles away on the next request', async () => {
    const sam = await buildStaff(firm.db);
    const group = await buildGroup(firm.db, 'People team', [sam.id], ['staff_admin']);
    const client = await signedIn(firm.app, firm.db, sam);
    expect((await client.get('/staff')).status).toBe(200);
    await firm.db.deleteFrom('group_members').where('group_id', '=', group).execute();
    expect((await client.get('/staff')).status).toBe(403);
  });

  it('a role given in the database is usable on the next request', async () => {
    const sam = await buildStaff(firm.db);
    const client = await signedIn(firm.app, firm.db, sam);
    expect((await client.get('/settings')).status).toBe(403);
    await buildGroup(firm.db, 'Office managers', [sam.id], ['settings_admin']);
    expect((await client.get('/settings')).status).toBe(200);
  });

  it('a client added to or taken from a portal in the database is seen by its members on the next request', async () => {
    const clearwater = await buildEntity(firm.db, 'Clearwater Holdings');
    const harbour = await buildEntity(firm.db, 'Harbour Trust');
    const grace = await buildContact(firm.db, clearwater);
    const portal = await buildPortal(firm.db, 'Clearwater group', firm.admin.id, [clearwater]);
    await addBinding(
      firm.db,
      { userId: grace.id },
      'portal_full_access',
      { type: 'portal', id: portal },
      null,
    );
    const client = await signedIn(firm.app, firm.db, grace);
    expect(await (await client.get('/portal')).text()).not.toContain('Harbour Trust');
    await firm.db.insertInto('portal_entities').values({ portal_id: portal, entity_id: harbour }).execute();
    expect(await (await client.get('/portal')).text()).toContain('Harbour Trust');
    await firm.db.deleteFrom('portal_entities').where('entity_id', '=', harbour).execute();
    expect(await (await client.get('/portal')).text()).not.toContain('Harbour Trust');
  });

  it("the home page's clients panel shows a rename made in the database on the next request", async () => {
    const clearwater = await buildEntity(firm.db, 'Clearwater Holdings');
    const client = await signedIn(firm.app, firm.db, firm.admin);
    expect(await (await client.get('/')).text()).toContain('Clearwater Holdings');
    await firm.db
      .updateTable('entities')
      .set({ name: 'Clearwater Group' })
      .where('id', '=', clearwater)
      .execute();
    const html = await (await client.get('/')).text();
    expect(html).toContain('Clearwater Group');
    expect(html).not.toContain('Clearwater Holdings');
  });

  it('every change to a counted table moves its counter, and only its own', async () => {
    const before = await counters(firm.db);
    const pat = await buildStaff(firm.db);
    const afterUser = await counters(firm.db);
    expect(afterUser.users).toBeGreaterThan(before.users!);
    expect(afterUser.permissions).toBe(before.permissions);

    await buildGroup(firm.db, 'Tax team', [pat.id], ['viewer']);
    const afterGroup = await counters(firm.db);
    expect(afterGroup.permissions).toBeGreaterThan(afterUser.permissions!);
    expect(afterGroup.users).toBe(afterUser.users);
    expect(afterGroup.clients).toBe(before.clients);

    const entity = await buildEntity(firm.db, 'Harbour Trust');
    const afterEntity = await counters(firm.db);
    expect(afterEntity.clients).toBeGreaterThan(afterGroup.clients!);
    const grace = await buildContact(firm.db, entity);
    const afterContact = await counters(firm.db);
    expect(afterContact.clients).toBeGreaterThan(afterEntity.clients!);
    const now = Date.now();
    await firm.db
      .insertInto('sign_in_links')
      .values({
        id: 'link',
        user_id: grace.id,
        email_normalized: grace.email_normalized,
        purpose: 'invitation',
        created_at: now,
        expires_at: now + 60_000,
        used_at: null,
      })
      .execute();
    expect((await counters(firm.db)).clients).toBeGreaterThan(afterContact.clients!);
  });

  it('a counter rolls back with the change it counted', async () => {
    const before = await counters(firm.db);
    await expect(
      firm.db.transaction().execute(async (trx) => {
        await trx.updateTable('users').set({ first_name: 'Changed' }).execute();
        await trx.deleteFrom('role_bindings').execute();
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await counters(firm.db)).toEqual(before);
  });
});

describe.runIf(DIALECTS.includes('postgres'))('change counters under concurrent writers (postgres)', () => {
  const firm = useFirm('postgres');

  it('writing users then taking the permissions lock, against the opposite order, does not deadlock', async () => {
    const pat = await buildStaff(firm.db);
    let wrote: () => void = () => {};
    const firstWrote = new Promise<void>((r) => (wrote = r));
    let release: () => void = () => {};
    const secondLocking = new Promise<void>((r) => (release = r));
    // As createStaff does: write users (its trigger counts the change), then take the lock.
    const first = firm.db.transaction().execute(async (trx) => {
      await trx.updateTable('users').set({ first_name: 'First' }).where('id', '=', pat.id).execute();
      wrote();
      await secondLocking;
      await lockPermissions(trx);
    });
    // As updateSummary does: take the lock, then write users.
    const second = (async () => {
      await firstWrote;
      return firm.db.transaction().execute(async (trx) => {
        const locked = lockPermissions(trx);
        setTimeout(release, 50);
        await locked;
        await trx.updateTable('users').set({ last_name: 'Second' }).where('id', '=', pat.id).execute();
      });
    })();
    await expect(Promise.all([first, second])).resolves.toBeDefined();
    const row = await firm.db
      .selectFrom('users')
      .selectAll()
      .where('id', '=', pat.id)
      .executeTakeFirstOrThrow();
    expect([row.first_name, row.last_name]).toEqual(['First', 'Second']);
  });
});

describe.runIf(DIALECTS.includes('postgres'))('counted writes lock the firm first (postgres)', () => {
  const firm = useFirm('postgres');

  it("an entity's edit and its deletion under the permissions lock do not deadlock", async () => {
    const harbour = await buildEntity(firm.db, 'Harbour Trust');
    // As deleteEntity does: the permissions lock first, then the entity's row.
    let locked: () => void = () => {};
    const lockHeld = new Promise<void>((r) => (locked = r));
    let editStarted: () => void = () => {};
    const editing = new Promise<void>((r) => (editStarted = r));
    const deletion = firm.db.transaction().execute(async (trx) => {
      await lockPermissions(trx);
      locked();
      await editing;
      // Give the edit time to reach whatever it waits on before this one touches the row.
      await new Promise((r) => setTimeout(r, 100));
      await trx.deleteFrom('entities').where('id', '=', harbour).execute();
    });
    // As updateSummary does: write the entity's row (its counter's trigger takes the firm's row).
    const edit = (async () => {
      await lockHeld;
      return firm.db.transaction().execute(async (trx) => {
        const writing = trx
          .updateTable('entities')
          .set({ name: 'Harbour Group' })
          .where('id', '=', harbour)
          .execute();
        editStarted();
        await writing;
      });
    })();
    await expect(Promise.all([deletion, edit])).resolves.toBeDefined();
    expect(await firm.db.selectFrom('entities').select('id').where('id', '=', harbour).execute()).toEqual([]);
  });
});
