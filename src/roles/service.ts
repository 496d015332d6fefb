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
import {
  allRoleNames,
  assertMayShapeRole,
  countRoleBindings,
  createCustomRole,
  deleteCustomRole,
  findCustomRole,
  lockPermissions,
  NotFound,
  type Permission,
  type RoleDefinition,
  RoleGrantError,
  updateCustomRole,
} from '../permissions/index.js';
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
  const id = await uniqueOr(createCustomRole(trx, input), nameTakenError);
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
  const before = recordOf(role);
  const after = recordOf(input);
  const lettersChanged = before.permissions.join() !== after.permissions.join();
  await uniqueOr(
    updateCustomRole(trx, role.id, {
      name: input.name,
      kind: input.kind,
      ...(lettersChanged ? { permissions: input.permissions } : {}),
    }),
    nameTakenError,
  );
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
  const bindingsRemoved = await deleteCustomRole(trx, role.id);
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'role.deleted',
    object: { type: 'role', id: role.id, label: role.name },
    before: { ...recordOf(role), bindingsRemoved },
    requestId: ctx.requestId,
  });
  return role;
}
