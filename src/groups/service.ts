/**
 * Staff groups and contact groups: members and the roles given to the group. Adding or removing a
 * member hands them the group's roles or takes them away, so it is checked like granting those
 * roles; and no change may leave the firm without an enabled Admin.
 */

import type { Expression, SqlBool } from 'kysely';
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/connect.js';
import { uniqueOr } from '../db/errors.js';
import type { Group, UserKind } from '../db/schema.js';
import { RuleError } from '../http/rule-error.js';
import type { ServiceCtx } from '../http/service-ctx.js';
import { generateId } from '../kernel/tokens.js';
import {
  assertAdminRemains,
  assertMayChangeMembers,
  GrantError,
  type RoleChange,
  setAdministrativeRoles,
} from '../permissions/index.js';
import { eligibleMembers, groupNameTaken, memberIds } from './queries.js';

export const GROUP_NOUN: Record<UserKind, string> = { staff: 'staff group', contact: 'contact group' };

const nameTakenError = (kind: UserKind) =>
  new RuleError('name', `Another ${GROUP_NOUN[kind]} already has this name.`);
const normalizeName = (name: string) => name.trim().toLowerCase();

export interface GroupInput {
  name: string;
  description: string;
  /** The members ticked. */
  memberIds: string[];
  /** Everyone the form offered, ticked or not; null when it offered every possible member. */
  membersShown: string[] | null;
  /** The administrative roles asked for (staff groups); null leaves roles alone. */
  roles: RoleChange | null;
  /** Which contacts the actor may see, for a contact group (on `cp.client_entity_id`). */
  visible: Expression<SqlBool> | null;
}

async function assertEligible(trx: Db, kind: UserKind, input: GroupInput): Promise<void> {
  const ids = [...new Set(input.memberIds)];
  const eligible = await eligibleMembers(trx, kind, ids, input.visible);
  if (eligible.length !== ids.length)
    throw new RuleError(
      'members',
      `Choose members only from the ${kind === 'staff' ? 'staff' : 'contacts'} listed.`,
    );
}

/** Joining or leaving hands out or takes the group's roles; a refusal shows beside `field`. */
async function mayChangeMembers(trx: Db, ctx: ServiceCtx, groupId: string, field: string): Promise<void> {
  try {
    await assertMayChangeMembers(trx, ctx.actor, groupId);
  } catch (error) {
    throw error instanceof GrantError ? new RuleError(field, error.message) : error;
  }
}

/** Adds the ticked, removes those offered but not ticked; members the form did not offer stay. */
async function setMembers(trx: Db, ctx: ServiceCtx, groupId: string, input: GroupInput) {
  const before = await memberIds(trx, groupId);
  const wanted = new Set(input.memberIds);
  const offered = input.membersShown ? new Set([...input.membersShown, ...wanted]) : null;
  const add = [...wanted].filter((id) => !before.includes(id));
  const offeredBefore = before.filter((id) => !wanted.has(id) && (offered === null || offered.has(id)));
  // The form's list of what it offered comes from the browser: remove only members the actor may see.
  const remove =
    input.visible && offeredBefore.length
      ? await eligibleMembers(trx, 'contact', offeredBefore, input.visible)
      : offeredBefore;
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
      // Someone else may have added the same person a moment ago: they are a member either way.
      .onConflict((oc) => oc.doNothing())
      .execute();
  }
  const after = [...before.filter((id) => !remove.includes(id)), ...add];
  return { before: [...before].sort(), after: after.sort() };
}

async function setRoles(trx: Db, ctx: ServiceCtx, groupId: string, roles: RoleChange | null) {
  if (!roles) return null;
  return setAdministrativeRoles(trx, ctx.actor, { groupId }, roles);
}

export async function createGroup(
  trx: Db,
  ctx: ServiceCtx,
  kind: UserKind,
  input: GroupInput,
): Promise<string> {
  if (await groupNameTaken(trx, kind, input.name)) throw nameTakenError(kind);
  await assertEligible(trx, kind, input);
  const id = generateId();
  const now = Date.now();
  await uniqueOr(
    trx
      .insertInto('groups')
      .values({
        id,
        kind,
        name: input.name,
        name_normalized: normalizeName(input.name),
        description: input.description,
        created_at: now,
        updated_at: now,
      })
      .execute(),
    () => nameTakenError(kind),
  );
  const roles = await setRoles(trx, ctx, id, input.roles);
  const members = await setMembers(trx, ctx, id, input);
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'group.created',
    object: { type: 'group', id, label: input.name },
    after: {
      kind,
      name: input.name,
      description: input.description,
      members: members.after,
      ...(roles ? { roles: roles.after } : {}),
    },
    requestId: ctx.requestId,
  });
  return id;
}

export async function updateGroup(trx: Db, ctx: ServiceCtx, group: Group, input: GroupInput): Promise<void> {
  if (await groupNameTaken(trx, group.kind, input.name, group.id)) throw nameTakenError(group.kind);
  await assertEligible(trx, group.kind, input);
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
    () => nameTakenError(group.kind),
  );
  // Members are checked against the roles the group has before this change, roles against the actor.
  const members = await setMembers(trx, ctx, group.id, input);
  const roles = await setRoles(trx, ctx, group.id, input.roles);
  await assertAdminRemains(trx);
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'group.updated',
    object: { type: 'group', id: group.id, label: input.name },
    before: {
      name: group.name,
      description: group.description,
      members: members.before,
      ...(roles ? { roles: roles.before } : {}),
    },
    after: {
      name: input.name,
      description: input.description,
      members: members.after,
      ...(roles ? { roles: roles.after } : {}),
    },
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
    before: { kind: group.kind, name: group.name, description: group.description, members },
    requestId: ctx.requestId,
  });
}
