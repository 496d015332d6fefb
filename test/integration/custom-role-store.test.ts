/**
 * The custom roles as stored (src/permissions/custom-role-store.ts): what a stored role reads back
 * as, the order the Role Permissions page lists them in, names looked up in bulk for the audit log,
 * and the guard that no write ever touches a built-in role.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { SYSTEM } from '../../src/permissions/actor.js';
import {
  deleteCustomRole,
  findCustomRole,
  listCustomRoles,
  roleNames,
  updateCustomRole,
} from '../../src/permissions/custom-role-store.js';
import { addBinding } from '../../src/permissions/queries.js';
import { counted, DIALECTS, freshDatabase, type TestDb } from '../helpers/db.js';
import { buildRole, buildStaff } from '../helpers/factories.js';

/** A custom role row with a chosen id, so a test can make id order differ from name order. */
async function roleWithId(db: Db, id: string, name: string): Promise<void> {
  await db
    .insertInto('roles')
    .values({ id, name, kind: 'staff', built_in: 0, created_at: Date.now() })
    .execute();
}

describe.each(DIALECTS)('custom roles as stored (%s)', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDatabase(dialect);
  });
  afterEach(() => t.close());

  it('reads a custom role back as custom: not built in, not administrative, no levels or description of its own', async () => {
    const id = await buildRole(t.db, 'Reviewer', ['entity.summary:R', 'file:R']);
    const expected = {
      id,
      name: 'Reviewer',
      kind: 'staff',
      builtIn: false,
      administrative: false,
      levels: [],
      permissions: new Set(['entity.summary:R', 'file:R']),
      description: '',
    };
    expect(await listCustomRoles(t.db)).toEqual([expected]);
    expect(await findCustomRole(t.db, id)).toEqual(expected);
    expect(await findCustomRole(t.db, 'admin')).toBeUndefined();
  });

  it('lists custom roles by name, whatever order they were made in or their ids sort in', async () => {
    // Made in the order Mike, Zulu, Alpha; their ids sort Zulu, Mike, Alpha.
    await roleWithId(t.db, 'mmmmmmmmmmmmmmmm', 'Mike');
    await roleWithId(t.db, 'aaaaaaaaaaaaaaaa', 'Zulu');
    await roleWithId(t.db, 'zzzzzzzzzzzzzzzz', 'Alpha');
    expect((await listCustomRoles(t.db)).map((r) => r.name)).toEqual(['Alpha', 'Mike', 'Zulu']);
  });

  it('names roles in bulk: built-in ones from code without asking the database, custom ones from it, unknown ids left out', async () => {
    const reviewer = await buildRole(t.db, 'Reviewer', ['file:R']);
    const { db, queries } = counted(t.db);

    expect(await roleNames(db, ['admin', 'viewer', 'admin'])).toEqual(
      new Map([
        ['admin', 'Admin'],
        ['viewer', 'Viewer'],
      ]),
    );
    expect(queries()).toBe(0);

    expect(await roleNames(db, ['admin', reviewer, 'no-such-role'])).toEqual(
      new Map([
        ['admin', 'Admin'],
        [reviewer, 'Reviewer'],
      ]),
    );
    expect(queries()).toBe(1);
  });

  it('never writes a built-in role: changing or deleting one throws and changes nothing', async () => {
    const admin = await buildStaff(t.db, ['admin']);
    await expect(
      updateCustomRole(t.db, 'admin', { name: 'Boss', kind: 'staff', permissions: [] }),
    ).rejects.toThrow('admin is a built-in role: it is never written');
    await expect(deleteCustomRole(t.db, 'admin')).rejects.toThrow(
      'admin is a built-in role: it is never written',
    );
    const held = await t.db
      .selectFrom('role_bindings')
      .select('role_id')
      .where('user_id', '=', admin.id)
      .execute();
    expect(held).toEqual([{ role_id: 'admin' }]);
  });

  it('renaming a role without new letters keeps the letters it had', async () => {
    const id = await buildRole(t.db, 'Reviewer', ['entity.summary:R', 'file:R']);
    await updateCustomRole(t.db, id, { name: 'Checker', kind: 'staff' });
    const role = await findCustomRole(t.db, id);
    expect(role?.name).toBe('Checker');
    expect(role?.permissions).toEqual(new Set(['entity.summary:R', 'file:R']));
  });

  it('deleting a custom role removes every binding that gives it and says how many', async () => {
    const id = await buildRole(t.db, 'Reviewer', ['file:R']);
    const a = await buildStaff(t.db);
    const b = await buildStaff(t.db);
    await addBinding(t.db, { userId: a.id }, id, SYSTEM, null);
    await addBinding(t.db, { userId: b.id }, id, SYSTEM, null);
    expect(await deleteCustomRole(t.db, id)).toBe(2);
    expect(await findCustomRole(t.db, id)).toBeUndefined();
  });
});
