/**
 * The rules for custom roles. Each function runs inside the transaction its route opened, takes
 * the permissions lock before reading the role, so it decides on the role as it is now, and writes
 * its own audit event. Built-in roles are never touched here: they are not custom rows.
 */
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/connect.js';
import { uniqueOr } from '../db/errors.js';
import { RuleError } from '../http/rule-error.js';
import type { ServiceCtx } from '../http/service-ctx.js';
import { generateId } from '../kernel/tokens.js';
import {
  assertMayShapeRole,
  lockPermissions,
  NotFound,
  type Permission,
  type RoleDefinition,
  RoleGrantError,
} from '../permissions/index.js';
import { allRoleNames, countRoleBindings, findCustomRole } from './queries.js';
import { kindLockedMessage, normalizeRoleName, type RoleInput } from './schema.js';

const nameTakenError = () => new RuleError('name', 'Another role already has this name.');

/** What the audit log records of a role: permissions sorted, so before and after compare. */
const recordOf = (role: Pick<RoleDefinition, 'name' | 'kind'> & { permissions: Iterable<Permission> }) => ({
  name: role.name,
  kind: role.kind,
  permissions: [...role.permissions].sort(),
});

/** Refuses beside `field` unless the actor now holds every permission listed; `lead` says why it matters. */
async function mayShape(
  trx: Db,
  ctx: ServiceCtx,
  permissions: Iterable<Permission>,
  field: string,
  lead: string,
): Promise<void> {
  try {
    await assertMayShapeRole(trx, ctx.actor, permissions);
  } catch (error) {
    throw error instanceof RoleGrantError ? new RuleError(field, `${lead} ${error.message}`) : error;
  }
}

async function assertNameFree(trx: Db, name: string, exceptId?: string): Promise<void> {
  const wanted = normalizeRoleName(name);
  const names = await allRoleNames(trx);
  if (names.some((r) => r.id !== exceptId && normalizeRoleName(r.name) === wanted)) throw nameTakenError();
}

async function writePermissions(trx: Db, roleId: string, permissions: readonly Permission[]): Promise<void> {
  await trx.deleteFrom('role_permissions').where('role_id', '=', roleId).execute();
  if (permissions.length === 0) return;
  await trx
    .insertInto('role_permissions')
    .values(
      permissions.map((p) => {
        const [object_type, letter] = p.split(':') as [string, string];
        return { role_id: roleId, object_type, letter };
      }),
    )
    .execute();
}

/** The custom role as it is now, after taking the permissions lock; a built-in or unknown id is a 404. */
async function lockedRole(trx: Db, roleId: string): Promise<RoleDefinition> {
  await lockPermissions(trx);
  const role = await findCustomRole(trx, roleId);
  if (!role) throw new NotFound();
  return role;
}

export async function createRole(trx: Db, ctx: ServiceCtx, input: RoleInput): Promise<string> {
  await mayShape(
    trx,
    ctx,
    input.permissions,
    'permissions',
    'You can only give a role permissions you hold yourself.',
  );
  await assertNameFree(trx, input.name);
  const id = generateId();
  await uniqueOr(
    trx
      .insertInto('roles')
      .values({ id, name: input.name, kind: input.kind, built_in: 0, created_at: Date.now() })
      .execute(),
    nameTakenError,
  );
  await writePermissions(trx, id, input.permissions);
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'role.created',
    object: { type: 'role', id, label: input.name },
    after: recordOf(input),
    requestId: ctx.requestId,
  });
  return id;
}

export async function updateRole(trx: Db, ctx: ServiceCtx, roleId: string, input: RoleInput): Promise<void> {
  const role = await lockedRole(trx, roleId);
  await mayShape(
    trx,
    ctx,
    [...role.permissions, ...input.permissions],
    'permissions',
    'You can only change a role when you hold every permission it carries, before and after the change.',
  );
  await assertNameFree(trx, input.name, role.id);
  if (input.kind !== role.kind) {
    const bindings = await countRoleBindings(trx, role.id);
    if (bindings > 0) throw new RuleError('kind', kindLockedMessage(bindings));
  }
  await uniqueOr(
    trx.updateTable('roles').set({ name: input.name, kind: input.kind }).where('id', '=', role.id).execute(),
    nameTakenError,
  );
  const before = recordOf(role);
  const after = recordOf(input);
  if (before.permissions.join() !== after.permissions.join())
    await writePermissions(trx, role.id, input.permissions);
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'role.updated',
    object: { type: 'role', id: role.id, label: input.name },
    before,
    after,
    requestId: ctx.requestId,
  });
}

/** Deletes the role and every binding that gives it; returns the role as it was. */
export async function deleteRole(trx: Db, ctx: ServiceCtx, roleId: string): Promise<RoleDefinition> {
  const role = await lockedRole(trx, roleId);
  await mayShape(
    trx,
    ctx,
    role.permissions,
    'confirm',
    'You can only delete a role when you hold every permission it carries.',
  );
  // Removed here rather than by the foreign key's cascade, so the audit says how many went.
  const removed = await trx.deleteFrom('role_bindings').where('role_id', '=', role.id).executeTakeFirst();
  await trx.deleteFrom('roles').where('id', '=', role.id).execute();
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'role.deleted',
    object: { type: 'role', id: role.id, label: role.name },
    before: { ...recordOf(role), bindingsRemoved: Number(removed.numDeletedRows) },
    requestId: ctx.requestId,
  });
  return role;
}
