/**
 * Giving and taking roles at entities (or for every entity), each change audited on the entity
 * inside the transaction its route opened. The permission module decides; this records.
 */
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/connect.js';
import type { UserKind } from '../db/schema.js';
import type { ServiceCtx } from '../http/service-ctx.js';
import { assignRole, type Principal, removeRole, type Target } from '../permissions/index.js';

const objectOf = (target: Target) =>
  target.scope.type === 'entity'
    ? { type: 'entity', id: target.scope.id, label: target.name }
    : { type: 'organization', id: null, label: target.name };

export async function grant(
  trx: Db,
  ctx: ServiceCtx,
  to: { principal: Principal; kind: UserKind; name: string },
  roleId: string,
  targets: Target[],
) {
  const done = await assignRole(trx, ctx.actor, to.principal, to.kind, roleId, targets);
  for (const target of done.added) {
    await recordAudit(trx, {
      actor: ctx.audit,
      action: 'access.granted',
      object: objectOf(target),
      after: { to: to.name, principal: to.principal, role: done.role.name },
      requestId: ctx.requestId,
    });
  }
  return done;
}

export async function revoke(
  trx: Db,
  ctx: ServiceCtx,
  from: { principal: Principal; kind: UserKind; name: string },
  binding: { id: string; roleId: string },
  target: Target,
): Promise<void> {
  const role = await removeRole(trx, ctx.actor, from.kind, { ...binding, target });
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'access.revoked',
    object: objectOf(target),
    before: { from: from.name, principal: from.principal, role: role.name },
    requestId: ctx.requestId,
  });
}
