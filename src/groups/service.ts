/**
 * Staff groups: members and the roles given to the group. Adding or removing a member hands them
 * the group's roles or takes them away, so it is checked like granting those roles; and no change
 * may leave the firm without an enabled Admin.
 */

import { recordAudit } from '../audit/record.js';
import { generateId } from '../auth/tokens.js';
import type { Db } from '../db/connect.js';
import { uniqueOr } from '../db/errors.js';
import type { Group } from '../db/schema.js';
import { RuleError } from '../http/rule-error.js';
import type { ServiceCtx } from '../http/service-ctx.js';
import {
  assertAdminRemains,
  assertMayChangeMembers,
  GrantError,
  type RoleChange,
  setAdministrativeRoles,
} from '../permissions/index.js';
import { groupNameTaken, memberIds } from './queries.js';

const nameTakenError = () => new RuleError('name', 'Another staff group already has this name.');
const normalizeName = (name: string) => name.trim().toLowerCase();

export interface GroupInput {
  name: string;
  description: string;
  memberIds: string[];
  roles: RoleChange;
}

async function assertStaffIds(trx: Db, ids: string[]): Promise<void> {
  if (ids.length === 0) return;
  const found = await trx
    .selectFrom('users')
    .select('id')
    .where('kind', '=', 'staff')
    .where('id', 'in', ids)
    .execute();
  if (found.length !== new Set(ids).size)
    throw new RuleError('members', 'Choose members only from the staff listed.');
}

/** Joining or leaving hands out or takes the group's roles; a refusal shows beside `field`. */
async function mayChangeMembers(trx: Db, ctx: ServiceCtx, groupId: string, field: string): Promise<void> {
  try {
    await assertMayChangeMembers(trx, ctx.actor, groupId);
  } catch (error) {
    throw error instanceof GrantError ? new RuleError(field, error.message) : error;
  }
}

async function setMembers(trx: Db, ctx: ServiceCtx, groupId: string, wanted: string[]) {
  const before = await memberIds(trx, groupId);
  const add = wanted.filter((id) => !before.includes(id));
  const remove = before.filter((id) => !wanted.includes(id));
  if (add.length || remove.length) await mayChangeMembers(trx, ctx, groupId, 'members');
  if (remove.length)
    await trx
      .deleteFrom('group_members')
      .where('group_id', '=', groupId)
      .where('user_id', 'in', remove)
      .execute();
  if (add.length) {
    const now = Date.now();
    await trx
      .insertInto('group_members')
      .values(add.map((user_id) => ({ group_id: groupId, user_id, created_at: now })))
      .execute();
  }
  return { before: [...before].sort(), after: [...wanted].sort() };
}

export async function createGroup(trx: Db, ctx: ServiceCtx, input: GroupInput): Promise<string> {
  if (await groupNameTaken(trx, input.name)) throw nameTakenError();
  await assertStaffIds(trx, input.memberIds);
  const id = generateId();
  const now = Date.now();
  await uniqueOr(
    trx
      .insertInto('groups')
      .values({
        id,
        kind: 'staff',
        name: input.name,
        name_normalized: normalizeName(input.name),
        description: input.description,
        created_at: now,
        updated_at: now,
      })
      .execute(),
    nameTakenError,
  );
  const roles = await setAdministrativeRoles(trx, ctx.actor, { groupId: id }, input.roles);
  const members = await setMembers(trx, ctx, id, [...new Set(input.memberIds)]);
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'group.created',
    object: { type: 'group', id, label: input.name },
    after: { name: input.name, description: input.description, members: members.after, roles: roles.after },
    requestId: ctx.requestId,
  });
  return id;
}

export async function updateGroup(trx: Db, ctx: ServiceCtx, group: Group, input: GroupInput): Promise<void> {
  if (await groupNameTaken(trx, input.name, group.id)) throw nameTakenError();
  await assertStaffIds(trx, input.memberIds);
  await uniqueOr(
    trx
      .updateTable('groups')
      .set({
        name: input.name,
        name_normalized: normalizeName(input.name),
        description: input.description,
        updated_at: Date.now(),
      })
      .where('id', '=', group.id)
      .execute(),
    nameTakenError,
  );
  // Members are checked against the roles the group has before this change, roles against the actor.
  const members = await setMembers(trx, ctx, group.id, [...new Set(input.memberIds)]);
  const roles = await setAdministrativeRoles(trx, ctx.actor, { groupId: group.id }, input.roles);
  await assertAdminRemains(trx);
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'group.updated',
    object: { type: 'group', id: group.id, label: input.name },
    before: {
      name: group.name,
      description: group.description,
      members: members.before,
      roles: roles.before,
    },
    after: { name: input.name, description: input.description, members: members.after, roles: roles.after },
    requestId: ctx.requestId,
  });
}

export async function deleteGroup(trx: Db, ctx: ServiceCtx, group: Group): Promise<void> {
  await mayChangeMembers(trx, ctx, group.id, '_form');
  const members = await memberIds(trx, group.id);
  await trx.deleteFrom('groups').where('id', '=', group.id).execute();
  await assertAdminRemains(trx);
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'group.deleted',
    object: { type: 'group', id: group.id, label: group.name },
    before: { name: group.name, description: group.description, members },
    requestId: ctx.requestId,
  });
}
