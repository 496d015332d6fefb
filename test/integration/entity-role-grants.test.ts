/**
 * Giving and taking roles through the permission module's own calls (src/permissions/entity-roles.ts
 * and assign.ts): the roles offered at an entity, giving one at several places, taking one away,
 * and setting someone's administrative roles. The pages drive these calls; these tests pin the
 * edges the pages' tests never reach (a role already held, an entity deleted meanwhile, a binding
 * removed twice, a role whose kind changed since it was given).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import type { User } from '../../src/db/schema.js';
import { type Actor, loadActor, SYSTEM } from '../../src/permissions/actor.js';
import { setAdministrativeRoles } from '../../src/permissions/assign.js';
import { updateCustomRole } from '../../src/permissions/custom-role-store.js';
import {
  assignRole,
  entityRoleChoices,
  removeRole,
  type Target,
} from '../../src/permissions/entity-roles.js';
import { addBinding, lockPermissions, removeBinding } from '../../src/permissions/queries.js';
import { BUILT_IN_ROLES } from '../../src/permissions/roles.js';
import { grantRefusal } from '../helpers/actors.js';
import { DIALECTS, freshDatabase, type TestDb } from '../helpers/db.js';
import {
  bindAtEntity,
  buildContact,
  buildEntity,
  buildOrganization,
  buildRole,
  buildStaff,
} from '../helpers/factories.js';

const atEntity = (id: string, name = 'the entity'): Target => ({ scope: { type: 'entity', id }, name });
const everyEntity: Target = { scope: SYSTEM, name: 'every entity' };

/** Where the user holds `roleId` directly, as "type:id" (the system's id is empty). */
async function heldAt(db: Db, userId: string, roleId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('role_bindings')
    .select(['scope_type', 'scope_id'])
    .where('user_id', '=', userId)
    .where('role_id', '=', roleId)
    .execute();
  return rows.map((r) => `${r.scope_type}:${r.scope_id}`).sort();
}

describe.each(DIALECTS)('giving and taking roles (%s)', (dialect) => {
  let t: TestDb;
  let admin: Actor;
  beforeEach(async () => {
    t = await freshDatabase(dialect);
    admin = await loadActor(t.db, await buildStaff(t.db, ['admin']));
  });
  afterEach(() => t.close());

  describe('the roles offered at an entity', () => {
    it('offers staff the built-in roles given at an entity, at the system and entity levels only, then custom ones for both', async () => {
      const reviewer = await buildRole(t.db, 'Reviewer', ['entity.summary:R']);
      const choices = await entityRoleChoices(t.db, 'staff');
      expect(
        choices.map(({ id, builtIn, levels, description }) => ({ id, builtIn, levels, description })),
      ).toEqual([
        ...['owner', 'editor', 'viewer', 'entity_access'].map((id) => ({
          id,
          builtIn: true,
          levels: ['system', 'entity'],
          description: BUILT_IN_ROLES[id as keyof typeof BUILT_IN_ROLES].description,
        })),
        { id: reviewer, builtIn: false, levels: ['system', 'entity'], description: 'Custom role' },
      ]);
      expect(choices.at(-1)?.name).toBe('Reviewer');
      expect(choices.at(-1)?.permissions).toEqual(new Set(['entity.summary:R']));
    });

    it('offers contacts their entity roles, and custom contact roles at an entity only (a contact belongs to their entities)', async () => {
      const signer = await buildRole(t.db, 'Signer', ['entity.summary:R'], 'contact');
      const choices = await entityRoleChoices(t.db, 'contact');
      expect(choices.map(({ id, builtIn, levels }) => ({ id, builtIn, levels }))).toEqual([
        { id: 'contact_entity_collaborator', builtIn: true, levels: ['entity'] },
        { id: 'contact_entity_access', builtIn: true, levels: ['entity'] },
        { id: 'associated', builtIn: true, levels: ['entity'] },
        { id: signer, builtIn: false, levels: ['entity'] },
      ]);
    });
  });

  describe('giving a role', () => {
    it('gives it only where it is not held already, and says where it was new', async () => {
      const staff = await buildStaff(t.db);
      const held = await buildEntity(t.db, 'Harbour Bakery');
      const fresh = await buildEntity(t.db, 'Other Pty');
      await bindAtEntity(t.db, { userId: staff.id }, 'viewer', held);

      const { added } = await assignRole(t.db, admin, { userId: staff.id }, 'staff', 'viewer', [
        atEntity(held),
        atEntity(fresh),
        everyEntity,
      ]);

      expect(added.map((a) => a.scope)).toEqual([{ type: 'entity', id: fresh }, SYSTEM]);
      expect(await heldAt(t.db, staff.id, 'viewer')).toEqual(
        [`entity:${fresh}`, `entity:${held}`, 'system:'].sort(),
      );
    });

    it('gives a role for every entity alone', async () => {
      const staff = await buildStaff(t.db);
      const { added } = await assignRole(t.db, admin, { userId: staff.id }, 'staff', 'viewer', [everyEntity]);
      expect(added).toEqual([everyEntity]);
      expect(await heldAt(t.db, staff.id, 'viewer')).toEqual(['system:']);
    });

    it('refuses the whole request when an entity was deleted between the form and the save', async () => {
      const staff = await buildStaff(t.db);
      const kept = await buildEntity(t.db, 'Harbour Bakery');
      const gone = await buildEntity(t.db, 'Gone Pty');
      await t.db.deleteFrom('entities').where('id', '=', gone).execute();

      expect(
        await grantRefusal(
          assignRole(t.db, admin, { userId: staff.id }, 'staff', 'viewer', [atEntity(kept), atEntity(gone)]),
        ),
      ).toEqual({ message: 'Choose from the list.', field: 'entities' });
      expect(await heldAt(t.db, staff.id, 'viewer')).toEqual([]);
    });

    it('refuses a role given at one entity at a time when any target is every entity', async () => {
      const entity = await buildEntity(t.db, 'Harbour Bakery');
      const contact = await buildContact(t.db, entity);

      expect(
        await grantRefusal(
          assignRole(t.db, admin, { userId: contact.id }, 'contact', 'contact_entity_access', [
            atEntity(entity),
            everyEntity,
          ]),
        ),
      ).toEqual({
        message: 'The Contact - Entity Access role is given at one entity at a time.',
        field: 'role',
      });
      expect(await heldAt(t.db, contact.id, 'contact_entity_access')).toEqual([]);
    });
  });

  describe('taking a role away', () => {
    it('says the role was already removed when its binding is gone', async () => {
      const staff = await buildStaff(t.db);
      const entity = await buildEntity(t.db, 'Harbour Bakery');
      await bindAtEntity(t.db, { userId: staff.id }, 'viewer', entity);
      const binding = await t.db
        .selectFrom('role_bindings')
        .select('id')
        .where('user_id', '=', staff.id)
        .executeTakeFirstOrThrow();
      const removal = { id: binding.id, roleId: 'viewer', target: atEntity(entity) };

      expect((await removeRole(t.db, admin, 'staff', removal)).id).toBe('viewer');
      expect(await grantRefusal(removeRole(t.db, admin, 'staff', removal))).toEqual({
        message: 'That role was already removed.',
        field: '_form',
      });
    });

    it('takes away a role no longer offered to the holder (a custom role whose kind changed), with the letters it carries', async () => {
      const staff = await buildStaff(t.db);
      const entity = await buildEntity(t.db, 'Harbour Bakery');
      const reviewer = await buildRole(t.db, 'Reviewer', ['entity.summary:R', 'entity.details:R']);
      await bindAtEntity(t.db, { userId: staff.id }, reviewer, entity);
      await updateCustomRole(t.db, reviewer, { name: 'Reviewer', kind: 'contact' });
      const binding = await t.db
        .selectFrom('role_bindings')
        .select('id')
        .where('user_id', '=', staff.id)
        .executeTakeFirstOrThrow();

      const role = await removeRole(t.db, admin, 'staff', {
        id: binding.id,
        roleId: reviewer,
        target: atEntity(entity),
      });

      expect(role).toEqual({
        id: reviewer,
        name: reviewer,
        description: '',
        builtIn: false,
        levels: [],
        permissions: new Set(['entity.summary:R', 'entity.details:R']),
      });
      expect(await heldAt(t.db, staff.id, reviewer)).toEqual([]);
    });
  });

  describe("setting someone's administrative roles", () => {
    let person: User;
    beforeEach(async () => {
      person = await buildStaff(t.db);
    });

    it('a right being revoked is not used: a grant waits for the revocation to commit, then is refused', async () => {
      // The lock is the organization's row, which every set-up firm has.
      await buildOrganization(t.db);
      const sam = await buildStaff(t.db, ['staff_admin']);
      const samAsLoaded = await loadActor(t.db, sam);
      let signalLocked!: () => void;
      const locked = new Promise<void>((resolve) => {
        signalLocked = resolve;
      });
      const revocation = t.db.transaction().execute(async (trx) => {
        await lockPermissions(trx);
        await removeBinding(trx, { userId: sam.id }, 'staff_admin', SYSTEM);
        signalLocked();
        // Still uncommitted while the grant below starts.
        await new Promise((resolve) => setTimeout(resolve, 200));
      });
      await locked;
      const grant = t.db
        .transaction()
        .execute((trx) =>
          setAdministrativeRoles(
            trx,
            samAsLoaded,
            { userId: person.id },
            { requested: ['staff_admin'], shown: null },
          ),
        );
      await revocation;
      expect(await grantRefusal(grant)).toEqual({
        message: 'You cannot give the Staff Admin role: it carries permissions you do not hold.',
        field: 'roles',
      });
      expect(await heldAt(t.db, person.id, 'staff_admin')).toEqual([]);
    });

    it('refuses a role that is not administrative, naming nothing it was not offered', async () => {
      expect(
        await grantRefusal(
          setAdministrativeRoles(t.db, admin, { userId: person.id }, { requested: ['viewer'], shown: null }),
        ),
      ).toEqual({ message: 'Choose only from the roles listed.', field: 'roles' });
      expect(await heldAt(t.db, person.id, 'viewer')).toEqual([]);
    });

    it('reports the administrative roles before and after, sorted, leaving out other roles held for every entity', async () => {
      const reviewer = await buildRole(t.db, 'Reviewer', ['entity.summary:R']);
      for (const role of ['staff_admin', 'viewer', reviewer, 'entities_admin']) {
        await addBinding(t.db, { userId: person.id }, role, SYSTEM, null);
      }

      const change = await setAdministrativeRoles(
        t.db,
        admin,
        { userId: person.id },
        { requested: ['staff_admin', 'entities_admin', 'admin'], shown: null },
      );

      expect(change).toEqual({
        before: ['entities_admin', 'staff_admin'],
        after: ['admin', 'entities_admin', 'staff_admin'],
      });
      expect(await heldAt(t.db, person.id, 'viewer')).toEqual(['system:']);
      expect(await heldAt(t.db, person.id, reviewer)).toEqual(['system:']);
    });
  });
});
