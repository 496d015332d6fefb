/**
 * The rules for entities. Each function runs inside the transaction its route opened and writes its
 * own audit event; deleting an entity also removes every role bound at its scope, so no binding
 * outlives what it granted access to.
 */
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/connect.js';
import { uniqueOr } from '../db/errors.js';
import type { Entity } from '../db/schema.js';
import { RuleError } from '../http/rule-error.js';
import type { ServiceCtx } from '../http/service-ctx.js';
import { generateId } from '../kernel/tokens.js';
import { lockPermissions, removeScopeBindings } from '../permissions/index.js';
import { type DetailsInput, detailsOf, type SummaryInput } from './schema.js';

const summaryOf = (e: Pick<Entity, 'name' | 'kind' | 'reference'>) => ({
  name: e.name,
  kind: e.kind,
  reference: e.reference,
});

/** References are unique whatever their case (migration 0006); the check gives the message, the index the guarantee. */
async function assertReferenceFree(trx: Db, reference: string, lower: string, exceptId?: string) {
  if (!reference) return;
  let q = trx
    .selectFrom('entities')
    .select('id')
    .where((eb) => eb(eb.fn('lower', ['reference']), '=', reference.toLowerCase()));
  if (exceptId) q = q.where('id', '<>', exceptId);
  if (await q.executeTakeFirst()) throw referenceTaken(lower);
}

const referenceTaken = (lower: string) =>
  new RuleError('reference', `Another ${lower} already has this reference.`);

const EMPTY_DETAILS: DetailsInput = { email: '', phone: '', taxNumber: '', address: '', notes: '' };

export async function createEntity(
  trx: Db,
  ctx: ServiceCtx,
  words: { lower: string },
  summary: SummaryInput,
  details: DetailsInput = EMPTY_DETAILS,
): Promise<string> {
  await assertReferenceFree(trx, summary.reference, words.lower);
  const now = Date.now();
  const entity: Entity = {
    id: generateId(),
    name: summary.name,
    name_normalized: summary.name.toLowerCase(),
    kind: summary.kind,
    reference: summary.reference,
    email: details.email,
    phone: details.phone,
    tax_number: details.taxNumber,
    address: details.address,
    notes: details.notes,
    created_at: now,
    updated_at: now,
    created_by: ctx.actor.user.id,
  };
  await uniqueOr(trx.insertInto('entities').values(entity).execute(), () => referenceTaken(words.lower));
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'entity.created',
    object: { type: 'entity', id: entity.id, label: entity.name },
    after: { ...summaryOf(entity), ...detailsOf(entity) },
    requestId: ctx.requestId,
  });
  return entity.id;
}

export async function updateSummary(
  trx: Db,
  ctx: ServiceCtx,
  words: { lower: string },
  entity: Entity,
  input: SummaryInput,
) {
  await assertReferenceFree(trx, input.reference, words.lower, entity.id);
  const update = trx
    .updateTable('entities')
    .set({
      name: input.name,
      name_normalized: input.name.toLowerCase(),
      kind: input.kind,
      reference: input.reference,
      updated_at: Date.now(),
    })
    .where('id', '=', entity.id)
    .execute();
  await uniqueOr(update, () => referenceTaken(words.lower));
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'entity.updated',
    object: { type: 'entity', id: entity.id, label: input.name },
    before: summaryOf(entity),
    after: input,
    requestId: ctx.requestId,
  });
}

export async function updateDetails(trx: Db, ctx: ServiceCtx, entity: Entity, input: DetailsInput) {
  await trx
    .updateTable('entities')
    .set({
      email: input.email,
      phone: input.phone,
      tax_number: input.taxNumber,
      address: input.address,
      notes: input.notes,
      updated_at: Date.now(),
    })
    .where('id', '=', entity.id)
    .execute();
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'entity.updated',
    object: { type: 'entity', id: entity.id, label: entity.name },
    before: detailsOf(entity),
    after: input,
    requestId: ctx.requestId,
  });
}

export async function deleteEntity(trx: Db, ctx: ServiceCtx, entity: Entity) {
  // Taken first, so a role being given here at this moment either lands before (and is removed) or sees it gone.
  await lockPermissions(trx);
  const bindings = await removeScopeBindings(trx, { type: 'entity', id: entity.id });
  const contacts = await trx
    .selectFrom('contact_profiles')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('client_entity_id', '=', entity.id)
    .executeTakeFirstOrThrow();
  await trx.deleteFrom('entities').where('id', '=', entity.id).execute();
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'entity.deleted',
    object: { type: 'entity', id: entity.id, label: entity.name },
    before: {
      ...summaryOf(entity),
      ...detailsOf(entity),
      roleBindingsRemoved: bindings,
      contactsLeftWithoutClient: Number(contacts.n),
    },
    requestId: ctx.requestId,
  });
}
