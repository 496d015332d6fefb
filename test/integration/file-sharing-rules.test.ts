/**
 * Giving and taking a person's role on a file or folder (src/permissions/files.ts) through the
 * permission module's own calls: who may, which letters the giver must hold (the role's file
 * letters, no others), one role per person per item, and the edges the pages never reach.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { User } from '../../src/db/schema.js';
import { type Actor, loadActor } from '../../src/permissions/actor.js';
import { shareWithPerson, unshareWithPerson } from '../../src/permissions/files.js';
import { entityChain, itemChain } from '../../src/permissions/scopes.js';
import { grantRefusal } from '../helpers/actors.js';
import { DIALECTS, freshDatabase, snapshot, type TestDb } from '../helpers/db.js';
import { bindAtEntity, buildContact, buildEntity, buildRole, buildStaff } from '../helpers/factories.js';

describe.each(DIALECTS)('sharing a file with a person (%s)', (dialect) => {
  let t: TestDb;
  let entity: string;
  let colleague: User;
  let grace: User;
  /** Staff holding `letters` at the entity. */
  const giver = async (letters: Parameters<typeof buildRole>[2]): Promise<Actor> => {
    const staff = await buildStaff(t.db);
    await bindAtEntity(
      t.db,
      { userId: staff.id },
      await buildRole(t.db, `Role ${letters.join(' ')}`, letters),
      entity,
    );
    return loadActor(t.db, staff);
  };
  const rolesOn = (userId: string, itemId: string) =>
    t.db
      .selectFrom('role_bindings')
      .select('role_id')
      .where('user_id', '=', userId)
      .where('scope_type', '=', 'item')
      .where('scope_id', '=', itemId)
      .execute();

  beforeEach(async () => {
    t = await freshDatabase(dialect);
    entity = await buildEntity(t.db, 'Harbour Bakery');
    colleague = await buildStaff(t.db);
    grace = await buildContact(t.db, entity, { firstName: 'Grace' });
    await bindAtEntity(t.db, { userId: grace.id }, 'contact_entity_access', entity);
  });
  afterEach(() => t.close());

  it('needs only the role’s file letters of the giver, besides File Share', async () => {
    const sharer = await giver(['file:A', 'file:R']);
    const chain = itemChain(entity, 'f1');
    expect(await shareWithPerson(t.db, sharer, colleague.id, 'viewer', chain)).toBe(true);
    expect(await rolesOn(colleague.id, 'f1')).toEqual([{ role_id: 'viewer' }]);
    expect(await grantRefusal(shareWithPerson(t.db, sharer, colleague.id, 'editor', chain))).toEqual({
      message: 'You cannot give the Editor role here.',
      field: 'role',
    });
    expect(await rolesOn(colleague.id, 'f1')).toEqual([{ role_id: 'viewer' }]);
  });

  it('refuses a giver who holds the letters but may not share', async () => {
    const holder = await giver(['file:R', 'file:E', 'file:D']);
    const before = await snapshot(t.db);
    expect(
      await grantRefusal(shareWithPerson(t.db, holder, colleague.id, 'viewer', itemChain(entity, 'f1'))),
    ).toEqual({
      message: 'You cannot give the Viewer role here.',
      field: 'role',
    });
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('gives one role per person per item: a new one replaces the old, the same one changes nothing', async () => {
    const sharer = await giver(['file:A', 'file:R', 'file:E']);
    const chain = itemChain(entity, 'f1');
    expect(await shareWithPerson(t.db, sharer, grace.id, 'contact_viewer', chain)).toBe(true);
    expect(await shareWithPerson(t.db, sharer, grace.id, 'contact_editor', chain)).toBe(true);
    expect(await rolesOn(grace.id, 'f1')).toEqual([{ role_id: 'contact_editor' }]);
    expect(await shareWithPerson(t.db, sharer, grace.id, 'contact_editor', chain)).toBe(false);
    expect(await rolesOn(grace.id, 'f1')).toEqual([{ role_id: 'contact_editor' }]);
  });

  it('shares only on a file or a folder', async () => {
    const sharer = await giver(['file:A', 'file:R']);
    await expect(shareWithPerson(t.db, sharer, colleague.id, 'viewer', entityChain(entity))).rejects.toThrow(
      'not a file or folder chain',
    );
    expect(
      await t.db.selectFrom('role_bindings').select('id').where('user_id', '=', colleague.id).execute(),
    ).toEqual([]);
  });

  it('takes a role away only for one who may share there, and says whose and which', async () => {
    const sharer = await giver(['file:A', 'file:R']);
    const chain = itemChain(entity, 'f1');
    await shareWithPerson(t.db, sharer, colleague.id, 'viewer', chain);
    const binding = await t.db
      .selectFrom('role_bindings')
      .select('id')
      .where('user_id', '=', colleague.id)
      .executeTakeFirstOrThrow();

    const reader = await giver(['file:R', 'file:E', 'file:D']);
    expect(await grantRefusal(unshareWithPerson(t.db, reader, binding.id, chain))).toEqual({
      message: 'You cannot take roles away here.',
      field: 'binding',
    });
    expect(await unshareWithPerson(t.db, sharer, binding.id, [])).toBeNull();
    expect(await unshareWithPerson(t.db, sharer, binding.id, chain)).toEqual({
      userId: colleague.id,
      roleId: 'viewer',
    });
    expect(await rolesOn(colleague.id, 'f1')).toEqual([]);
  });
});
