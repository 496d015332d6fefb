/**
 * Client Portal Notifications: per entity, the staff who receive notices of client activity in it.
 * Only staff who can see the entity are offered or kept; `notificationRecipients` is what the
 * activities feature reads, and it never names someone who can no longer see the entity.
 */
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/connect.js';
import { RuleError } from '../http/rule-error.js';
import type { ServiceCtx } from '../http/service-ctx.js';
import { type Holder, lockPermissions, staffHoldingAtEntity } from '../permissions/index.js';
import { changeRecipients, storedRecipientIds } from './queries.js';

/** Who may be chosen: enabled staff who can see the entity (its summary). */
export const candidates = (db: Db, entityId: string): Promise<Holder[]> =>
  staffHoldingAtEntity(db, 'entity.summary:R', entityId);

/**
 * The staff who receive notices of client activity in the entity: those chosen who are still
 * enabled and can still see it.
 * @example for (const user of await notificationRecipients(db, entityId)) notify(user, …);
 */
export async function notificationRecipients(db: Db, entityId: string): Promise<Holder[]> {
  const chosen = new Set(await storedRecipientIds(db, entityId));
  if (chosen.size === 0) return [];
  return (await candidates(db, entityId)).filter((h) => chosen.has(h.id));
}

const labelOf = (h: Holder) => `${h.first_name} ${h.last_name} <${h.email}>`;

/**
 * Makes the chosen staff exactly the recipients among those offered; refuses (beside the list) an
 * id that is not someone who can see the entity. Returns whether anything changed.
 */
export async function chooseRecipients(
  trx: Db,
  ctx: ServiceCtx,
  entity: { id: string; name: string },
  chosen: readonly string[],
): Promise<boolean> {
  // Who can see the entity is read after the lock, so a role being taken away meanwhile counts.
  await lockPermissions(trx);
  const offered = await candidates(trx, entity.id);
  const byId = new Map(offered.map((h) => [h.id, h]));
  if (chosen.some((id) => !byId.has(id))) throw new RuleError('recipients', 'Choose from the staff listed.');
  const stored = await storedRecipientIds(trx, entity.id);
  const wanted = new Set(chosen);
  // Stored recipients who can no longer see it are dropped too: they were not offered.
  const remove = stored.filter((id) => !wanted.has(id));
  const add = [...wanted].filter((id) => !stored.includes(id));
  if (add.length === 0 && remove.length === 0) return false;
  await changeRecipients(trx, entity.id, add, remove);
  const names = (ids: Iterable<string>) =>
    [...ids].flatMap((id) => {
      const h = byId.get(id);
      return h ? [labelOf(h)] : [id];
    });
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'entity.notify_recipients_changed',
    object: { type: 'entity', id: entity.id, label: entity.name },
    before: { recipients: names(stored) },
    after: { recipients: names(wanted) },
    requestId: ctx.requestId,
  });
  return true;
}
