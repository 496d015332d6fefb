/**
 * The rules for contacts: one email is one person (staff or contact), and each change writes its
 * own audit event inside the transaction its route opened. Which client entity a contact may be
 * put in is the route's question (it may only name entities the actor may see and edit under).
 */

import { recordAudit } from '../audit/record.js';
import { voidLinks } from '../auth/index.js';
import type { Db } from '../db/connect.js';
import { uniqueOr } from '../db/errors.js';
import type { ServiceCtx } from '../http/service-ctx.js';
import { normalizeEmail, userLabel } from '../kernel/names.js';
import { generateId } from '../kernel/tokens.js';
import { emailTaken, emailTakenError } from '../people/index.js';
import { countUserBindings } from '../permissions/index.js';
import type { Contact } from './queries.js';
import type { DetailsInput } from './schema.js';

export interface ContactSummary {
  firstName: string;
  lastName: string;
  email: string;
  client: { id: string; name: string } | null;
}

const EMPTY_DETAILS: DetailsInput = { phone: '', address: '', notes: '' };

const label = (s: { firstName: string; lastName: string; email: string }) =>
  userLabel({ first_name: s.firstName, last_name: s.lastName, email: s.email });

const summaryOf = (s: ContactSummary | Contact) => ({
  firstName: s.firstName,
  lastName: s.lastName,
  email: s.email,
  client: 'client' in s ? (s.client?.name ?? null) : s.clientName,
});

const detailsOf = (d: DetailsInput) => ({ phone: d.phone, address: d.address, notes: d.notes });

export async function createContact(
  trx: Db,
  ctx: ServiceCtx,
  summary: ContactSummary,
  details: DetailsInput = EMPTY_DETAILS,
): Promise<string> {
  if (await emailTaken(trx, summary.email)) throw emailTakenError();
  const now = Date.now();
  const id = generateId();
  await uniqueOr(
    trx
      .insertInto('users')
      .values({
        id,
        kind: 'contact',
        email: summary.email,
        email_normalized: normalizeEmail(summary.email),
        first_name: summary.firstName,
        last_name: summary.lastName,
        password_hash: null,
        password_set_by: null,
        disabled_at: null,
        created_at: now,
        updated_at: now,
      })
      .execute(),
    emailTakenError,
  );
  await trx
    .insertInto('contact_profiles')
    .values({ user_id: id, client_entity_id: summary.client?.id ?? null, ...detailsOf(details) })
    .execute();
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'contact.created',
    object: { type: 'user', id, label: label(summary) },
    after: { ...summaryOf(summary), ...detailsOf(details) },
    requestId: ctx.requestId,
  });
  return id;
}

export async function updateSummary(trx: Db, ctx: ServiceCtx, contact: Contact, input: ContactSummary) {
  const emailChanged = normalizeEmail(input.email) !== contact.emailNormalized;
  if (emailChanged && (await emailTaken(trx, input.email, contact.id))) throw emailTakenError();
  // A link goes to one address: once the address changes, no link sent before works, even should
  // the address change back.
  if (emailChanged) await voidLinks(trx, contact.id);
  await uniqueOr(
    trx
      .updateTable('users')
      .set({
        first_name: input.firstName,
        last_name: input.lastName,
        email: input.email,
        email_normalized: normalizeEmail(input.email),
        updated_at: Date.now(),
      })
      .where('id', '=', contact.id)
      .execute(),
    emailTakenError,
  );
  await trx
    .updateTable('contact_profiles')
    .set({ client_entity_id: input.client?.id ?? null })
    .where('user_id', '=', contact.id)
    .execute();
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'contact.updated',
    object: { type: 'user', id: contact.id, label: label(input) },
    before: summaryOf(contact),
    after: summaryOf(input),
    requestId: ctx.requestId,
  });
}

export async function updateDetails(trx: Db, ctx: ServiceCtx, contact: Contact, input: DetailsInput) {
  await trx.updateTable('contact_profiles').set(detailsOf(input)).where('user_id', '=', contact.id).execute();
  await trx.updateTable('users').set({ updated_at: Date.now() }).where('id', '=', contact.id).execute();
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'contact.updated',
    object: { type: 'user', id: contact.id, label: label(contact) },
    before: detailsOf(contact),
    after: detailsOf(input),
    requestId: ctx.requestId,
  });
}

/** Deleting the person removes their sessions, group memberships and role bindings with them. */
export async function deleteContact(trx: Db, ctx: ServiceCtx, contact: Contact) {
  const bindings = await countUserBindings(trx, contact.id);
  await trx.deleteFrom('users').where('id', '=', contact.id).execute();
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'contact.deleted',
    object: { type: 'user', id: contact.id, label: label(contact) },
    before: { ...summaryOf(contact), ...detailsOf(contact), roleBindingsRemoved: bindings },
    requestId: ctx.requestId,
  });
}
