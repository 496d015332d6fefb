/**
 * Giving and taking roles at entities, each change audited on the entity inside the transaction
 * its route opened. The permission module decides; this records.
 */
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/connect.js';
import type { UserKind } from '../db/schema.js';
import type { ServiceCtx } from '../http/service-ctx.js';
import { assignAtEntities, type Principal, removeEntityBinding } from '../permissions/index.js';

type Named = { id: string; name: string };

export async function grant(
  trx: Db,
  ctx: ServiceCtx,
  to: { principal: Principal; kind: UserKind; name: string },
  roleId: string,
  entities: Named[],
) {
  const done = await assignAtEntities(trx, ctx.actor, to.principal, to.kind, roleId, entities);
  for (const entity of done.added) {
    await recordAudit(trx, {
      actor: ctx.audit,
      action: 'access.granted',
      object: { type: 'entity', id: entity.id, label: entity.name },
      after: { to: to.name, principal: to.principal, role: done.role.name },
      requestId: ctx.requestId,
    });
  }
  return done;
}

export async function revoke(
  trx: Db,
  ctx: ServiceCtx,
  from: { kind: UserKind; name: string },
  binding: { id: string; roleId: string },
  entity: Named,
): Promise<void> {
  const role = await removeEntityBinding(trx, ctx.actor, from.kind, { ...binding, entity });
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'access.revoked',
    object: { type: 'entity', id: entity.id, label: entity.name },
    before: { from: from.name, role: role.name },
    requestId: ctx.requestId,
  });
}
