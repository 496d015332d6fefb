/**
 * The permission module's reads and writes that feature pages lean on without checking every edge
 * themselves: who holds a permission at an entity (the people offered as a portal's
 * administrator, say), the roles groups hold for every entity, and setting a portal's members.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadActor } from '../../src/permissions/actor.js';
import { systemRoleRows, systemRolesOfGroups } from '../../src/permissions/bindings-queries.js';
import { GrantError } from '../../src/permissions/errors.js';
import { staffHoldingAtEntity } from '../../src/permissions/holders.js';
import { portalMemberCounts } from '../../src/permissions/portal-members.js';
import { setPortalMembers } from '../../src/permissions/portals.js';
import { addBinding } from '../../src/permissions/queries.js';
import { DIALECTS, freshDatabase, snapshot, type TestDb } from '../helpers/db.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildGroup,
  buildPortal,
  buildRole,
  buildStaff,
} from '../helpers/factories.js';

describe.each(DIALECTS)('the permission module’s reads and writes for pages (%s)', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDatabase(dialect);
  });
  afterEach(() => t.close());

  describe('who holds a permission at an entity', () => {
    it('lists enabled staff who hold it there, by last name, then first name, then id', async () => {
      const entity = await buildEntity(t.db, 'Harbour Bakery');
      const other = await buildEntity(t.db, 'Other Pty');
      const names: [string, string][] = [
        ['Ben', 'Adams'],
        ['Amy', 'Brown'],
        ['Amy', 'Adams'],
        ['Cal', 'Brown'],
        ['Amy', 'Adams'],
      ];
      // The two Amy Adamses get ids that sort against the order they are made in, so only the
      // id decides between them.
      const ids = [null, null, 'zzzzzzzzzzzzzzzz', null, 'aaaaaaaaaaaaaaaa'];
      const holders = [];
      for (const [i, [firstName, lastName]] of names.entries()) {
        const person = await buildStaff(t.db, [], { firstName, lastName });
        const id = ids[i];
        if (id) await t.db.updateTable('users').set({ id }).where('id', '=', person.id).execute();
        await bindAtEntity(t.db, { userId: id ?? person.id }, 'viewer', entity);
        holders.push(id ?? person.id);
      }
      // Holding a role there that lacks the permission, or holding it elsewhere, or being
      // disabled or a contact, lists nobody.
      const lacking = await buildStaff(t.db, [], { firstName: 'Al', lastName: 'Aardvark' });
      await bindAtEntity(
        t.db,
        { userId: lacking.id },
        await buildRole(t.db, 'Files only', ['file:R']),
        entity,
      );
      const elsewhere = await buildStaff(t.db, [], { firstName: 'Al', lastName: 'Abbot' });
      await bindAtEntity(t.db, { userId: elsewhere.id }, 'viewer', other);
      const disabled = await buildStaff(t.db, [], { firstName: 'Al', lastName: 'Able', disabled: true });
      await bindAtEntity(t.db, { userId: disabled.id }, 'viewer', entity);
      const contact = await buildContact(t.db, entity, { firstName: 'Al', lastName: 'Acorn' });
      await bindAtEntity(t.db, { userId: contact.id }, 'contact_entity_access', entity);

      const [benAdams, amyBrown, , calBrown] = holders;
      expect((await staffHoldingAtEntity(t.db, 'entity.summary:R', entity)).map((h) => h.id)).toEqual([
        'aaaaaaaaaaaaaaaa',
        'zzzzzzzzzzzzzzzz',
        benAdams,
        amyBrown,
        calBrown,
      ]);
    });
  });

  describe('roles held for every entity', () => {
    it('gives each group’s system roles, leaving out groups holding none there', async () => {
      const entity = await buildEntity(t.db, 'Harbour Bakery');
      const both = await buildGroup(t.db, 'Both', [], ['viewer', 'staff_admin']);
      const one = await buildGroup(t.db, 'One', [], ['editor']);
      const atEntity = await buildGroup(t.db, 'At an entity', []);
      await bindAtEntity(t.db, { groupId: atEntity }, 'viewer', entity);

      const roles = await systemRolesOfGroups(t.db, [both, one, atEntity]);
      expect(new Map([...roles].map(([id, ids]) => [id, [...ids].sort()]))).toEqual(
        new Map([
          [both, ['staff_admin', 'viewer']],
          [one, ['editor']],
        ]),
      );
      expect(await systemRolesOfGroups(t.db, [])).toEqual(new Map());
    });

    it('one row per role given to a person directly for every entity, none at an entity', async () => {
      const entity = await buildEntity(t.db, 'Harbour Bakery');
      const person = await buildStaff(t.db, ['staff_admin']);
      await bindAtEntity(t.db, { userId: person.id }, 'viewer', entity);
      const rows = await systemRoleRows(t.db).where('user_id', '=', person.id).execute();
      expect(rows).toEqual([{ user_id: person.id, role_id: 'staff_admin' }]);
    });
  });

  describe("setting a portal's members", () => {
    it('refuses the whole change, beside the members, unless the actor may manage the portal at each of its entities', async () => {
      const harbour = await buildEntity(t.db, 'Harbour Bakery');
      const other = await buildEntity(t.db, 'Other Pty');
      const owner = await buildStaff(t.db);
      await bindAtEntity(t.db, { userId: owner.id }, 'owner', harbour);
      const portal = await buildPortal(t.db, 'Harbour portal', owner.id, [harbour, other]);
      const contact = await buildContact(t.db, harbour);
      const before = await snapshot(t.db);

      const error = await setPortalMembers(
        t.db,
        await loadActor(t.db, owner),
        { id: portal, entityIds: [harbour, other] },
        { set: [{ userId: contact.id, access: 'full' }], remove: [] },
      ).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(GrantError);
      expect({ message: (error as GrantError).message, field: (error as GrantError).field }).toEqual({
        message: 'You cannot give people access to every client of this portal.',
        field: 'members',
      });
      expect(await snapshot(t.db)).toEqual(before);
    });

    it('replaces a member’s access, takes membership away, and changes nothing when asked for nothing', async () => {
      const harbour = await buildEntity(t.db, 'Harbour Bakery');
      const admin = await loadActor(t.db, await buildStaff(t.db, ['admin']));
      const portal = await buildPortal(t.db, 'Harbour portal', admin.user.id, [harbour]);
      const stays = await buildContact(t.db, harbour);
      const leaves = await buildContact(t.db, harbour);
      const scope = { type: 'portal' as const, id: portal };
      await addBinding(t.db, { userId: stays.id }, 'portal_contributor', scope, null);
      await addBinding(t.db, { userId: leaves.id }, 'portal_full_access', scope, null);
      const members = () =>
        t.db
          .selectFrom('role_bindings')
          .select(['user_id', 'role_id'])
          .where('scope_type', '=', 'portal')
          .where('scope_id', '=', portal)
          .execute();

      const before = await snapshot(t.db);
      await setPortalMembers(t.db, admin, { id: portal, entityIds: [harbour] }, { set: [], remove: [] });
      expect(await snapshot(t.db)).toEqual(before);

      await setPortalMembers(
        t.db,
        admin,
        { id: portal, entityIds: [harbour] },
        { set: [{ userId: stays.id, access: 'full' }], remove: [leaves.id] },
      );
      expect(await members()).toEqual([{ user_id: stays.id, role_id: 'portal_full_access' }]);
      expect(await portalMemberCounts(t.db, [portal], sql<boolean>`1 = 1`)).toEqual(new Map([[portal, 1]]));
      // No portals to count (an empty list page) asks nothing: PostgreSQL refuses `in ()`.
      expect(await portalMemberCounts(t.db, [], sql<boolean>`1 = 1`)).toEqual(new Map());
    });
  });
});
