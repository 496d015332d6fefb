/**
 * The rules for portals (MYOB's "To create a portal"): a unique name; one or more clients, each in
 * no other portal; an administrator (the creator unless chosen); members, each with full access or
 * as a contributor, given as role bindings at the portal; a new contact made on the way ("Create
 * new user"); a default "send as" sender, notify list and bulk task assignees. Creating and editing
 * check the same rules. Everything happens in the route's transaction, after the permissions lock
 * and against the actor as they are then, so a portal is written whole or not at all; each member
 * it gains has their Client portal switch turned on and is emailed "Sign in to your portal".
 */
import type { Expression, SqlBool } from 'kysely';
import { recordAudit } from '../audit/record.js';
import { contactWhoMaySignIn, sendLink } from '../auth/index.js';
import { portalAccessOf, type Site, setPortalAccess } from '../client-portal/index.js';
import { createContact } from '../contacts/index.js';
import type { Db } from '../db/connect.js';
import { uniqueOr } from '../db/errors.js';
import type { Portal } from '../db/schema.js';
import { RuleError } from '../http/rule-error.js';
import type { ServiceCtx } from '../http/service-ctx.js';
import { generateId } from '../kernel/tokens.js';
import {
  type Actor,
  loadActor,
  lockPermissions,
  mayCreateContactAt,
  mayManagePortal,
  mayManagePortalAt,
  type PortalAccess,
  removeScopeBindings,
  setPortalMembers,
  staffHoldingAtEntity,
} from '../permissions/index.js';
import {
  contactsAmong,
  enabledStaff,
  entityChoices,
  type Member,
  nameKey,
  portalEntityIds,
  portalMembers,
  portalNameTaken,
  portalPeople,
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
  /**
   * Editing: the contacts the form offered (ticked or not). A member not offered (one the actor
   * may not see) is left as they are; null when creating.
   */
  membersShown: string[] | null;
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
async function checkEntities(trx: Db, actor: Actor, input: PortalInput, portalId: string | null) {
  const ids = [...new Set(input.entityIds)];
  if (ids.length === 0)
    throw new RuleError('entities', `Add at least one ${input.entityWord} to the portal.`);
  const found = await entityChoices(trx, input.seenEntities, ids, '');
  if (found.length !== ids.length)
    throw new RuleError('entities', `Choose ${input.entityWord}s only from the list.`);
  for (const e of found) {
    if (e.portal && e.portalId !== portalId)
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

/**
 * The administrator, sender and notify list: enabled staff who can see every one of the portal's
 * `entities`, each refused beside their own field. They are told of its clients' activity or speak
 * for the firm to them, so none may be someone the clients' records are hidden from.
 */
async function checkStaff(
  trx: Db,
  actor: Actor,
  input: PortalInput,
  entities: readonly { id: string; name: string }[],
) {
  const staff = new Map((await enabledStaff(trx)).map((s) => [s.id, s]));
  const administratorId = input.administratorId ?? actor.user.id;
  if (!staff.has(administratorId))
    throw new RuleError('administrator', 'Choose the administrator from the staff listed.');
  if (input.sendAsId && !staff.has(input.sendAsId))
    throw new RuleError('sendAs', 'Choose the “send as” sender from the staff listed.');
  if (input.notifyIds.some((id) => !staff.has(id)))
    throw new RuleError('notify', 'Choose the people to notify from the staff listed.');
  const chosen: [field: string, id: string][] = [
    ['administrator', administratorId],
    ...(input.sendAsId ? [['sendAs', input.sendAsId] as [string, string]] : []),
    ...input.notifyIds.map((id): [string, string] => ['notify', id]),
  ];
  for (const entity of entities) {
    const seeing = new Set((await staffHoldingAtEntity(trx, 'entity.summary:R', entity.id)).map((h) => h.id));
    const blind = chosen.find(([, id]) => !seeing.has(id));
    if (!blind) continue;
    const person = staff.get(blind[1]);
    throw new RuleError(
      blind[0],
      `${person?.first_name} ${person?.last_name} cannot see ${entity.name}, so cannot be told of its activity or speak for the firm in this portal.`,
    );
  }
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

async function setPeople(
  trx: Db,
  table: 'portal_notify' | 'portal_bulk_assignees',
  portalId: string,
  ids: string[],
) {
  await trx.deleteFrom(table).where('portal_id', '=', portalId).execute();
  const unique = [...new Set(ids)];
  if (unique.length)
    await trx
      .insertInto(table)
      .values(unique.map((user_id) => ({ portal_id: portalId, user_id })))
      .execute();
}

type Person = { id: string; firstName: string; lastName: string; email: string; access: PortalAccess };

/** A member as the audit log keeps them: named, so the entry still reads once the contact is gone. */
const memberRecord = (m: Person | Member) => ({
  id: m.id,
  name: 'name' in m ? m.name : `${m.firstName} ${m.lastName}`,
  access: m.access,
});

/** Every rule checked, in the form's order, and the contact "Create new user" asked for made. */
async function prepare(trx: Db, ctx: ServiceCtx, input: PortalInput, portal: Portal | null) {
  await lockPermissions(trx);
  const actor = await loadActor(trx, ctx.actor.user);
  if (await portalNameTaken(trx, input.name, portal?.id)) throw nameTaken(input.name);
  const entities = await checkEntities(trx, actor, input, portal?.id ?? null);
  const { administratorId, staff } = await checkStaff(trx, actor, input, entities);
  const ticked = await checkMembers(trx, input);
  const created: Person[] = await createNewUser(trx, ctx, actor, input, entities);
  const staffName = (userId: string | null) => {
    const s = userId ? staff.get(userId) : undefined;
    return s ? `${s.first_name} ${s.last_name}` : null;
  };
  return { actor, entities, administratorId, ticked, created, staffName };
}

/** The bulk task assignees must be among the portal's members once the change is made. */
function checkBulk(input: PortalInput, memberIds: readonly string[]) {
  if (input.bulkIds.some((id) => !memberIds.includes(id)))
    throw new RuleError('bulk', 'Choose bulk task assignees among the portal’s members.');
}

const described = (
  input: PortalInput,
  p: Awaited<ReturnType<typeof prepare>>,
  members: (Person | Member)[],
) => ({
  name: input.name,
  entities: p.entities.map((e) => e.name).sort(),
  administrator: p.staffName(p.administratorId),
  members: members.map(memberRecord).sort((a, b) => a.id.localeCompare(b.id)),
  sendAs: p.staffName(input.sendAsId),
  notify: [...new Set(input.notifyIds)].map(p.staffName).sort(),
  bulkAssignees: [...new Set(input.bulkIds)].sort(),
});

const entityTaken = (input: PortalInput) => () =>
  new RuleError('entities', `One of these ${input.entityWord}s was put in another portal a moment ago.`);

/** Makes the portal; returns its id and the addresses invited. */
export async function createPortal(
  trx: Db,
  ctx: ServiceCtx,
  input: PortalInput,
  site: Site,
  invitationMs: number,
): Promise<{ id: string; invited: string[] }> {
  const p = await prepare(trx, ctx, input, null);
  const members = [...p.ticked, ...p.created];
  checkBulk(
    input,
    p.ticked.map((m) => m.id),
  );
  const id = generateId();
  const now = Date.now();
  await uniqueOr(
    trx
      .insertInto('portals')
      .values({
        id,
        name: input.name,
        name_key: nameKey(input.name),
        administrator_id: p.administratorId,
        send_as_id: input.sendAsId,
        created_by: p.actor.user.id,
        created_at: now,
        updated_at: now,
      })
      .execute(),
    () => nameTaken(input.name),
  );
  await uniqueOr(
    trx
      .insertInto('portal_entities')
      .values(p.entities.map((e) => ({ portal_id: id, entity_id: e.id })))
      .execute(),
    entityTaken(input),
  );
  await setPeople(trx, 'portal_notify', id, input.notifyIds);
  await setPeople(trx, 'portal_bulk_assignees', id, input.bulkIds);
  await setPortalMembers(
    trx,
    p.actor,
    { id, entityIds: p.entities.map((e) => e.id) },
    { set: members.map((m) => ({ userId: m.id, access: m.access })), remove: [] },
  );
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'portal.created',
    object: { type: 'portal', id, label: input.name },
    after: described(input, p, members),
    requestId: ctx.requestId,
  });
  return { id, invited: await invite(trx, ctx, members, site, invitationMs) };
}

/**
 * Changes the portal: its name, clients, people and members. Members the form offered but left
 * unticked leave the portal; those it did not offer stay as they are. The actor must be able to
 * manage a portal holding its clients before and after the change. Members it gains are invited.
 */
export async function updatePortal(
  trx: Db,
  ctx: ServiceCtx,
  portal: Portal,
  input: PortalInput,
  site: Site,
  invitationMs: number,
): Promise<{ invited: string[] }> {
  const p = await prepare(trx, ctx, input, portal);
  const beforeEntities = await portalEntityIds(trx, portal.id);
  const afterEntities = p.entities.map((e) => e.id);
  const before = await portalMembers(trx, portal.id);
  const offered = new Set([...(input.membersShown ?? []), ...p.ticked.map((m) => m.id)]);
  // The form's list of what it offered comes from the browser: take away only members it may see.
  const seen = new Set((await contactsAmong(trx, [...offered], input.seenContacts)).map((r) => r.id));
  const remove = before
    .filter((m) => seen.has(m.id) && !p.ticked.some((t) => t.id === m.id))
    .map((m) => m.id);
  const set = [...p.ticked, ...p.created].filter(
    (m) => !before.some((b) => b.id === m.id && b.access === m.access),
  );
  const after = [...before.filter((b) => !remove.includes(b.id) && !set.some((m) => m.id === b.id)), ...set];
  checkBulk(
    input,
    after.map((m) => m.id),
  );
  const beforeDescribed = {
    name: portal.name,
    entities: beforeEntities,
    administrator: portal.administrator_id,
    members: before.map(memberRecord),
    sendAs: portal.send_as_id,
    notify: await portalPeople(trx, 'portal_notify', portal.id),
    bulkAssignees: await portalPeople(trx, 'portal_bulk_assignees', portal.id),
  };
  await uniqueOr(
    trx
      .updateTable('portals')
      .set({
        name: input.name,
        name_key: nameKey(input.name),
        administrator_id: p.administratorId,
        send_as_id: input.sendAsId,
        updated_at: Date.now(),
      })
      .where('id', '=', portal.id)
      .execute(),
    () => nameTaken(input.name),
  );
  await setPortalMembers(
    trx,
    p.actor,
    { id: portal.id, entityIds: [...new Set([...beforeEntities, ...afterEntities])] },
    { set: set.map((m) => ({ userId: m.id, access: m.access })), remove },
  );
  const dropped = beforeEntities.filter((id) => !afterEntities.includes(id));
  if (dropped.length)
    await trx
      .deleteFrom('portal_entities')
      .where('portal_id', '=', portal.id)
      .where('entity_id', 'in', dropped)
      .execute();
  const added = afterEntities.filter((id) => !beforeEntities.includes(id));
  if (added.length)
    await uniqueOr(
      trx
        .insertInto('portal_entities')
        .values(added.map((entity_id) => ({ portal_id: portal.id, entity_id })))
        .execute(),
      entityTaken(input),
    );
  await setPeople(trx, 'portal_notify', portal.id, input.notifyIds);
  await setPeople(trx, 'portal_bulk_assignees', portal.id, input.bulkIds);
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'portal.updated',
    object: { type: 'portal', id: portal.id, label: input.name },
    before: beforeDescribed,
    after: {
      name: input.name,
      entities: afterEntities,
      administrator: p.administratorId,
      members: after.map(memberRecord),
      sendAs: input.sendAsId,
      notify: [...new Set(input.notifyIds)].sort(),
      bulkAssignees: [...new Set(input.bulkIds)].sort(),
    },
    requestId: ctx.requestId,
  });
  const joined = [...p.ticked, ...p.created].filter((m) => !before.some((b) => b.id === m.id));
  return { invited: await invite(trx, ctx, joined, site, invitationMs) };
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
      members: members.map(memberRecord),
    },
    requestId: ctx.requestId,
  });
}
