/**
 * Giving and taking roles at entities (or for every entity), each change audited on the entity
 * inside the transaction its route opened. The permission module decides; this records, and tells
 * each contact who could not see an entity before and can now that it was shared with them (the
 * same email Share in Client Portal sends).
 */
import { recordAudit } from '../audit/record.js';
import { noneTold, type TellOutcome, type TellSite, tellShared } from '../client-portal/index.js';
import type { Db } from '../db/connect.js';
import type { UserKind } from '../db/schema.js';
import type { ServiceCtx } from '../http/service-ctx.js';
import {
  ASSOCIATED_ROLE,
  assignRole,
  can,
  entityChain,
  loadActor,
  lockPermissions,
  type Principal,
  removeRole,
  type Target,
} from '../permissions/index.js';
import { type ContactToTell, contactsOf } from './queries.js';

/** Where a contact can see the entity (its summary: what "sees it in the portal" means). */
async function seen(trx: Db, contact: ContactToTell, entityIds: readonly string[]): Promise<Set<string>> {
  const actor = await loadActor(trx, {
    id: contact.id,
    kind: 'contact',
    email: contact.email,
    first_name: contact.firstName,
    last_name: contact.lastName,
  });
  return new Set(entityIds.filter((id) => can(actor, 'entity.summary:R', entityChain(id))));
}

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
  /** Given for a contact or a contact group: how to tell its contacts. */
  tell?: { site: TellSite; words: { one: string; many: string; lower: string } },
) {
  await lockPermissions(trx);
  const entities = targets.filter((t) => t.scope.type === 'entity');
  const contacts =
    tell && to.kind === 'contact' && roleId !== ASSOCIATED_ROLE && entities.length
      ? await contactsOf(trx, to.principal)
      : [];
  const before = new Map<string, Set<string>>();
  for (const contact of contacts)
    before.set(
      contact.id,
      await seen(
        trx,
        contact,
        entities.map((t) => t.scope.id),
      ),
    );
  const done = await assignRole(trx, ctx.actor, to.principal, to.kind, roleId, targets);
  const told: TellOutcome<ContactToTell> = noneTold();
  for (const contact of contacts) {
    const now = await seen(
      trx,
      contact,
      entities.map((t) => t.scope.id),
    );
    const newly = entities
      .filter((t) => now.has(t.scope.id) && !before.get(contact.id)?.has(t.scope.id))
      .map((t) => ({ id: t.scope.id, name: t.name }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    if (tell && newly.length) await tellShared(trx, tell.site, tell.words, newly, contact, told);
  }
  for (const target of done.added) {
    await recordAudit(trx, {
      actor: ctx.audit,
      action: 'access.granted',
      object: objectOf(target),
      after: { to: to.name, principal: to.principal, role: done.role.name },
      requestId: ctx.requestId,
    });
  }
  return { ...done, told };
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
