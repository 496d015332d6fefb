/**
 * The rules for portals (MYOB's "To create a portal"): a unique name; one or more clients, each in
 * no other portal; an administrator (the creator unless chosen); members, each with full access or
 * as a contributor, given as role bindings at the portal; a new contact made on the way ("Create
 * new user"); a default "send as" sender, notify list and bulk task assignees. Everything happens
 * in the route's transaction, after the permissions lock and against the actor as they are then,
 * so a portal is made whole or not at all; creating it turns each member's Client portal switch on
 * and emails them "Sign in to your portal".
 */
import type { Expression, SqlBool } from 'kysely';
import { recordAudit } from '../audit/record.js';
import { contactWhoMaySignIn, sendLink } from '../auth/sign-in-links.js';
import { generateId } from '../auth/tokens.js';
import { createContact } from '../contacts/service.js';
import type { Db } from '../db/connect.js';
import { uniqueOr } from '../db/errors.js';
import type { Portal } from '../db/schema.js';
import { RuleError } from '../http/rule-error.js';
import type { ServiceCtx } from '../http/service-ctx.js';
import {
  type Actor,
  addPortalMembers,
  loadActor,
  lockPermissions,
  mayCreateContactAt,
  mayManagePortal,
  mayManagePortalAt,
  type PortalAccess,
  removeScopeBindings,
} from '../permissions/index.js';
import { portalAccessOf } from '../portal/queries.js';
import { type Site, setPortalAccess } from '../portal/service.js';
import {
  contactsAmong,
  enabledStaff,
  entityChoices,
  nameKey,
  portalEntityIds,
  portalMembers,
  portalNameTaken,
} from './queries.js';

export interface PortalInput {
  name: string;
  entityIds: string[];
  /** null: the creator. */
  administratorId: string | null;
  members: { id: string; access: PortalAccess }[];
  newUser: {
    firstName: string;
    lastName: string;
    email: string;
    clientId: string;
    access: PortalAccess;
  } | null;
  sendAsId: string | null;
  notifyIds: string[];
  bulkIds: string[];
  /** What the actor may see: entities (on `e.id`) and contacts (on `cp.client_entity_id`). */
  seenEntities: Expression<SqlBool>;
  seenContacts: Expression<SqlBool>;
  /** How the firm calls an entity ("client"), for messages. */
  entityWord: string;
}

const nameTaken = (name: string) =>
  new RuleError('name', `Another portal is already called “${name.trim()}”: a portal name must be unique.`);

/** The chosen entities, when each may go in this portal; otherwise the reason, beside Clients. */
async function checkEntities(trx: Db, actor: Actor, input: PortalInput) {
  const ids = [...new Set(input.entityIds)];
  if (ids.length === 0)
    throw new RuleError('entities', `Add at least one ${input.entityWord} to the portal.`);
  const found = await entityChoices(trx, input.seenEntities, ids, '');
  if (found.length !== ids.length)
    throw new RuleError('entities', `Choose ${input.entityWord}s only from the list.`);
  for (const e of found) {
    if (e.portal)
      throw new RuleError(
        'entities',
        `${e.name} is already in portal “${e.portal}”: a ${input.entityWord} can be in one portal only.`,
      );
    if (!mayManagePortalAt(actor, e.id))
      throw new RuleError(
        'entities',
        `You cannot give people access to ${e.name}, so you cannot put it in a portal.`,
      );
  }
  return found;
}

/** The administrator, sender and notify list: enabled staff, each beside their own field. */
async function checkStaff(trx: Db, actor: Actor, input: PortalInput) {
  const staff = new Map((await enabledStaff(trx)).map((s) => [s.id, s]));
  const administratorId = input.administratorId ?? actor.user.id;
  if (!staff.has(administratorId))
    throw new RuleError('administrator', 'Choose the administrator from the staff listed.');
  if (input.sendAsId && !staff.has(input.sendAsId))
    throw new RuleError('sendAs', 'Choose the “send as” sender from the staff listed.');
  if (input.notifyIds.some((id) => !staff.has(id)))
    throw new RuleError('notify', 'Choose the people to notify from the staff listed.');
  return { administratorId, staff };
}

/** The ticked members, when each is a contact the actor may see and whose account is enabled. */
async function checkMembers(trx: Db, input: PortalInput) {
  const ids = input.members.map((m) => m.id);
  if (ids.length === 0) return [];
  const rows = await contactsAmong(trx, ids, input.seenContacts);
  if (rows.length !== new Set(ids).size)
    throw new RuleError('members', 'Choose members only from the contacts listed.');
  const disabled = rows.find((r) => r.disabled_at !== null);
  if (disabled)
    throw new RuleError(
      'members',
      `${disabled.first_name} ${disabled.last_name}’s account is disabled, so they could not sign in to the portal.`,
    );
  return rows.map((r) => ({
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    email: r.email,
    access: input.members.find((m) => m.id === r.id)?.access ?? 'contributor',
  }));
}

/** "Create new user": a contact in one of the portal's entities, through the contacts service. */
async function createNewUser(
  trx: Db,
  ctx: ServiceCtx,
  actor: Actor,
  input: PortalInput,
  entities: { id: string; name: string }[],
) {
  const user = input.newUser;
  if (!user) return [];
  const client = entities.find((e) => e.id === user.clientId);
  if (!client)
    throw new RuleError('newClient', `Choose one of the portal’s ${input.entityWord}s for the new user.`);
  if (!mayCreateContactAt(actor, client.id))
    throw new RuleError('newClient', `You cannot add contacts to ${client.name}.`);
  try {
    const id = await createContact(trx, ctx, { ...user, client: { id: client.id, name: client.name } });
    return [
      { id, firstName: user.firstName, lastName: user.lastName, email: user.email, access: user.access },
    ];
  } catch (error) {
    // One email is one person, staff or contact: said beside the new user's email.
    if (error instanceof RuleError && error.field === 'email')
      throw new RuleError(
        'newEmail',
        `${error.message} Each person in a portal needs their own email address.`,
      );
    throw error;
  }
}

async function addPeople(
  trx: Db,
  table: 'portal_notify' | 'portal_bulk_assignees',
  portalId: string,
  ids: string[],
) {
  const unique = [...new Set(ids)];
  if (unique.length)
    await trx
      .insertInto(table)
      .values(unique.map((user_id) => ({ portal_id: portalId, user_id })))
      .execute();
}

/** Makes the portal; returns its id and the addresses invited. */
export async function createPortal(
  trx: Db,
  ctx: ServiceCtx,
  input: PortalInput,
  site: Site,
  invitationMs: number,
): Promise<{ id: string; invited: string[] }> {
  await lockPermissions(trx);
  const actor = await loadActor(trx, ctx.actor.user);
  if (await portalNameTaken(trx, input.name)) throw nameTaken(input.name);
  const entities = await checkEntities(trx, actor, input);
  const { administratorId, staff } = await checkStaff(trx, actor, input);
  const existing = await checkMembers(trx, input);
  const created = await createNewUser(trx, ctx, actor, input, entities);
  const members = [...existing, ...created];
  if (input.bulkIds.some((id) => !existing.some((m) => m.id === id)))
    throw new RuleError('bulk', 'Choose bulk task assignees among the portal’s members.');

  const id = generateId();
  const now = Date.now();
  await uniqueOr(
    trx
      .insertInto('portals')
      .values({
        id,
        name: input.name,
        name_key: nameKey(input.name),
        administrator_id: administratorId,
        send_as_id: input.sendAsId,
        created_by: actor.user.id,
        created_at: now,
        updated_at: now,
      })
      .execute(),
    () => nameTaken(input.name),
  );
  await uniqueOr(
    trx
      .insertInto('portal_entities')
      .values(entities.map((e) => ({ portal_id: id, entity_id: e.id })))
      .execute(),
    () =>
      new RuleError('entities', `One of these ${input.entityWord}s was put in another portal a moment ago.`),
  );
  await addPeople(trx, 'portal_notify', id, input.notifyIds);
  await addPeople(trx, 'portal_bulk_assignees', id, input.bulkIds);
  await addPortalMembers(
    trx,
    actor,
    { id, entityIds: entities.map((e) => e.id) },
    members.map((m) => ({ userId: m.id, access: m.access })),
  );

  const staffName = (userId: string | null) => {
    const s = userId ? staff.get(userId) : undefined;
    return s ? `${s.first_name} ${s.last_name}` : null;
  };
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'portal.created',
    object: { type: 'portal', id, label: input.name },
    after: {
      name: input.name,
      entities: entities.map((e) => e.name),
      administrator: staffName(administratorId),
      members: members.map((m) => ({ id: m.id, email: m.email, access: m.access })),
      sendAs: staffName(input.sendAsId),
      notify: input.notifyIds.map(staffName),
      bulkAssignees: input.bulkIds,
    },
    requestId: ctx.requestId,
  });
  return { id, invited: await invite(trx, ctx, members, site, invitationMs) };
}

/**
 * "An email will be sent to your client(s) and user(s) inviting them": each member's Client portal
 * switch is turned on (audited as the switch is), since creating the portal is inviting them, and
 * each is emailed a "Sign in to your portal" link. Returns the addresses invited.
 */
async function invite(
  trx: Db,
  ctx: ServiceCtx,
  members: { id: string; firstName: string; lastName: string; email: string }[],
  site: Site,
  invitationMs: number,
): Promise<string[]> {
  const invited: string[] = [];
  for (const m of members) {
    if (!(await portalAccessOf(trx, m.id))) {
      const outcome = await setPortalAccess(trx, ctx, m, true, site, invitationMs, 'portal_invitation');
      if (outcome === 'invited') invited.push(m.email);
      continue;
    }
    const person = await contactWhoMaySignIn(trx, m.id);
    if (!person) continue;
    await sendLink(trx, site, person, 'portal_invitation', invitationMs);
    invited.push(m.email);
  }
  return invited;
}

/** Deletes the portal and the roles given at it; its entities and contacts stay. */
export async function deletePortal(trx: Db, ctx: ServiceCtx, portal: Portal): Promise<void> {
  await lockPermissions(trx);
  const actor = await loadActor(trx, ctx.actor.user);
  const entityIds = await portalEntityIds(trx, portal.id);
  if (!mayManagePortal(actor, entityIds))
    throw new RuleError('confirm', 'You cannot delete this portal: it holds clients you cannot share.');
  const members = await portalMembers(trx, portal.id);
  await removeScopeBindings(trx, { type: 'portal', id: portal.id });
  await trx.deleteFrom('portals').where('id', '=', portal.id).execute();
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'portal.deleted',
    object: { type: 'portal', id: portal.id, label: portal.name },
    before: {
      name: portal.name,
      entities: entityIds,
      members: members.map((m) => ({ id: m.id, access: m.access })),
    },
    requestId: ctx.requestId,
  });
}
