/**
 * Queries the permission module owns: who holds a role, and writing bindings. Feature code asks
 * these questions here rather than reading role_bindings itself.
 */

import type { Db } from '../db/connect.js';
import type { ScopeType } from '../db/schema.js';
import { generateId } from '../kernel/tokens.js';

/** Enabled staff who hold Admin at the system scope, directly or through a group. */
export async function countAdmins(db: Db): Promise<number> {
  const row = await db
    .selectFrom('users as u')
    .select((eb) => eb.fn.count<number>('u.id').as('n'))
    .where('u.disabled_at', 'is', null)
    .where('u.kind', '=', 'staff')
    .where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('role_bindings as rb')
            .select('rb.id')
            .whereRef('rb.user_id', '=', 'u.id')
            .where('rb.role_id', '=', 'admin')
            .where('rb.scope_type', '=', 'system'),
        ),
        eb.exists(
          eb
            .selectFrom('role_bindings as rb')
            .innerJoin('group_members as gm', 'gm.group_id', 'rb.group_id')
            .select('rb.id')
            .whereRef('gm.user_id', '=', 'u.id')
            .where('rb.role_id', '=', 'admin')
            .where('rb.scope_type', '=', 'system'),
        ),
      ]),
    )
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export class LastAdminError extends Error {
  constructor() {
    super('Portico must always have at least one enabled Admin. Make someone else an Admin first.');
  }
}

/**
 * Serialises every transaction that changes who holds what: a write to the firm's row, so on
 * PostgreSQL the second of two such transactions waits for the first (or, at a stricter isolation
 * level, fails) and then reads what the first committed. SQLite runs one writer at a time already.
 */
export async function lockPermissions(db: Db): Promise<void> {
  await db
    .updateTable('organization')
    .set((eb) => ({ id: eb.ref('id') }))
    .where('id', '=', 1)
    .execute();
}

/** Call at the end of a transaction that may have removed an Admin; throwing rolls it back. */
export async function assertAdminRemains(db: Db): Promise<void> {
  await lockPermissions(db);
  if ((await countAdmins(db)) === 0) throw new LastAdminError();
}

export type Principal = { userId: string } | { groupId: string };

/** Role ids bound to the principal at the system scope. */
export async function systemRoleIds(db: Db, principal: Principal): Promise<string[]> {
  const rows = await db
    .selectFrom('role_bindings')
    .select('role_id')
    .where('scope_type', '=', 'system')
    .where(
      'userId' in principal ? 'user_id' : 'group_id',
      '=',
      'userId' in principal ? principal.userId : principal.groupId,
    )
    .execute();
  return rows.map((r) => r.role_id);
}

export async function addBinding(
  db: Db,
  principal: Principal,
  roleId: string,
  scope: { type: ScopeType; id: string },
  createdBy: string | null,
): Promise<void> {
  await db
    .insertInto('role_bindings')
    .values({
      id: generateId(),
      role_id: roleId,
      user_id: 'userId' in principal ? principal.userId : null,
      group_id: 'groupId' in principal ? principal.groupId : null,
      scope_type: scope.type,
      scope_id: scope.id,
      created_at: Date.now(),
      created_by: createdBy,
    })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function removeBinding(
  db: Db,
  principal: Principal,
  roleId: string,
  scope: { type: ScopeType; id: string },
): Promise<void> {
  await db
    .deleteFrom('role_bindings')
    .where(
      'userId' in principal ? 'user_id' : 'group_id',
      '=',
      'userId' in principal ? principal.userId : principal.groupId,
    )
    .where('role_id', '=', roleId)
    .where('scope_type', '=', scope.type)
    .where('scope_id', '=', scope.id)
    .execute();
}

/** Removes every binding at one scope (the object is being deleted); returns how many there were. */
export async function removeScopeBindings(db: Db, scope: { type: ScopeType; id: string }): Promise<number> {
  const result = await db
    .deleteFrom('role_bindings')
    .where('scope_type', '=', scope.type)
    .where('scope_id', '=', scope.id)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** A role given at this entity, with who holds it (a user or a group, named), or undefined. */
export function entityBinding(db: Db, entityId: string, bindingId: string) {
  return db
    .selectFrom('role_bindings as rb')
    .leftJoin('users as u', 'u.id', 'rb.user_id')
    .leftJoin('groups as g', 'g.id', 'rb.group_id')
    .select([
      'rb.id',
      'rb.role_id',
      'rb.user_id',
      'rb.group_id',
      'u.kind as user_kind',
      'g.kind as group_kind',
    ])
    .select(['u.first_name', 'u.last_name', 'g.name as group_name'])
    .where('rb.id', '=', bindingId)
    .where('rb.scope_type', '=', 'entity')
    .where('rb.scope_id', '=', entityId)
    .executeTakeFirst();
}
