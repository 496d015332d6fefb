/**
 * "Share in Client Portal" on an entity: ticked contacts get Contact - Entity Access there, unticked
 * ones lose their entity-level contact roles there (not Associated), each through the permission
 * module (assignRole / removeRole, so who may give which role is decided there and nowhere else),
 * each audited, and each newly shared contact who may sign in is emailed a "Go to Client Portal"
 * invitation link, all in the transaction the route opened. Never emails a contact whose Client
 * portal switch is off: they get access, and the sharer is told.
 */
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/connect.js';
import { RuleError } from '../http/rule-error.js';
import type { ServiceCtx } from '../http/service-ctx.js';
import type { Config } from '../kernel/config.js';
import { listOf } from '../kernel/names.js';
import {
  type Actor,
  assignRole,
  canAnywhere,
  lockPermissions,
  mayShareEntity,
  removeRole,
  type Target,
} from '../permissions/index.js';
import type { Site } from './service.js';
import { type EntityContact, entityContacts, type Through } from './share-queries.js';
import type { PortalShareProps } from './share-views.js';
import { noneTold, type TellOutcome, tellShared, toldMessage } from './tell-shared.js';

/** The role sharing gives. */
export const SHARE_ROLE = 'contact_entity_access';

export interface ShareInput {
  /** The contacts ticked. */
  ticked: readonly string[];
  /** The contacts the form offered: only these may be unshared. */
  shown: readonly string[];
}

/** Who was shared with and unshared, and of those shared with, who was emailed and who not and why. */
export interface ShareOutcome extends TellOutcome<EntityContact> {
  shared: EntityContact[];
  unshared: EntityContact[];
}

const nameOf = (c: EntityContact) => `${c.firstName} ${c.lastName}`;

export async function shareInPortal(
  trx: Db,
  ctx: ServiceCtx,
  site: Site & { invitationMs: number },
  words: { one: string; many: string; lower: string },
  entity: { id: string; name: string },
  input: ShareInput,
): Promise<ShareOutcome> {
  // Read after the lock, so what is shared is what the changes below start from.
  await lockPermissions(trx);
  const contacts = await entityContacts(trx, entity.id);
  const byId = new Map(contacts.map((c) => [c.id, c]));
  // Another entity's contact, a staff member or a made-up id: all the same "not one of these".
  if ([...input.ticked, ...input.shown].some((id) => !byId.has(id)))
    throw new RuleError('contacts', 'Choose from the contacts listed.');
  const ticked = new Set(input.ticked);
  const toShare = contacts.filter((c) => ticked.has(c.id) && c.shares.length === 0);
  const toUnshare = contacts.filter(
    (c) => input.shown.includes(c.id) && !ticked.has(c.id) && c.shares.length > 0,
  );
  const target: Target = { scope: { type: 'entity', id: entity.id }, name: entity.name };
  const object = { type: 'entity', id: entity.id, label: entity.name };
  const outcome: ShareOutcome = { shared: [], unshared: [], ...noneTold<EntityContact>() };

  for (const contact of toUnshare) {
    const roles: string[] = [];
    for (const binding of contact.shares)
      roles.push((await removeRole(trx, ctx.actor, 'contact', { ...binding, target })).name);
    await recordAudit(trx, {
      actor: ctx.audit,
      action: 'portal.unshared',
      object,
      before: { contact: nameOf(contact), contactId: contact.id, roles },
      requestId: ctx.requestId,
    });
    outcome.unshared.push(contact);
  }

  for (const contact of toShare) {
    const { role } = await assignRole(trx, ctx.actor, { userId: contact.id }, 'contact', SHARE_ROLE, [
      target,
    ]);
    const emailed = await tellShared(trx, site, words, [entity], contact, outcome);
    await recordAudit(trx, {
      actor: ctx.audit,
      action: 'portal.shared',
      object,
      after: { contact: nameOf(contact), contactId: contact.id, role: role.name, emailed },
      requestId: ctx.requestId,
    });
    outcome.shared.push(contact);
  }
  return outcome;
}

const names = (list: EntityContact[]) => listOf(list.map(nameOf));
const throughName = (t: Through) => (t.kind === 'portal' ? `portal ${t.name}` : `contact group ${t.name}`);

/** What the sharer is told, naming everyone who was not emailed and why. */
export function shareMessage(config: Config, entityName: string, o: ShareOutcome): string {
  if (o.shared.length === 0 && o.unshared.length === 0) return 'Nothing changed.';
  return [
    o.shared.length ? `${entityName} is now shared with ${names(o.shared)}.` : '',
    ...toldMessage(config, o),
    o.unshared.length ? `No longer shared with ${names(o.unshared)}.` : '',
    ...o.unshared
      .filter((c) => c.through.length)
      .map((c) => `${nameOf(c)} still sees it through ${listOf(c.through.map(throughName))}.`),
  ]
    .filter(Boolean)
    .join(' ');
}

/** Contact groups' pages are for staff who may see contacts somewhere (see src/groups/contact-routes.tsx). */
export const mayOpenContactGroups = (actor: Actor) => canAnywhere(actor, 'contact.summary:R');

/** The form's props for the entity's page, or null when the actor may not share it. */
export async function portalShareFor(
  db: Db,
  actor: Actor,
  entity: { id: string; name: string },
): Promise<PortalShareProps | null> {
  if (!mayShareEntity(actor, entity.id)) return null;
  return { entity, contacts: await entityContacts(db, entity.id), groupLinks: mayOpenContactGroups(actor) };
}
