/**
 * Sharing a file or a whole folder with a contact, and stopping, as both routes do it: the rule is
 * src/permissions' (shareWithContact: File A, or S where they own; one item role per contact per
 * item), the audit line names the item, and a contact newly given it is emailed once, a folder's
 * email naming the folder, with a link that signs them in at the client.
 */
import type { Context } from 'hono';
import { recordAudit } from '../audit/record.js';
import { fileSharedLetter, noneTold, portalAccessOf, tellWith, toldMessage } from '../client-portal/index.js';
import type { Db } from '../db/connect.js';
import { auditActor } from '../http/service-ctx.js';
import { type Config, DEFAULT_LINKS } from '../kernel/config.js';
import {
  type Actor,
  builtInRole,
  contactsAtEntity,
  contactsSharedWith,
  ITEM_CONTACT_ROLES,
  mayShareFile,
  type ScopeChain,
  shareWithContact,
  unshareWithContact,
} from '../permissions/index.js';
import type { Sharing } from './views.js';

export interface ShareableItem {
  type: 'file' | 'folder';
  id: string;
  name: string;
  entityId: string;
}

const scopeOf = (item: ShareableItem) =>
  ({ type: item.type === 'file' ? 'item' : 'folder', id: item.id }) as const;
const called = (item: ShareableItem) =>
  item.type === 'folder' ? `the folder “${item.name}”` : `“${item.name}”`;

/** Who has the item, and for those who may share it, whom they may give it to. */
export async function sharingOf(
  db: Db,
  actor: Actor,
  item: ShareableItem,
  chain: ScopeChain,
): Promise<Sharing> {
  const may = mayShareFile(actor, chain);
  return {
    shared: await contactsSharedWith(db, scopeOf(item)),
    choices: may ? await contactsAtEntity(db, item.entityId) : [],
    roles: ITEM_CONTACT_ROLES.map((id) => ({ value: id, label: builtInRole(id)?.name ?? id })),
    may,
  };
}

/** Gives the contact the role on the item; what to tell the person sharing. Throws GrantError. */
export async function shareItem(
  trx: Db,
  c: Context,
  config: Config,
  actor: Actor,
  item: ShareableItem,
  chain: ScopeChain,
  values: { contact: string; role: string },
): Promise<string> {
  const site = {
    firmName: c.get('organization')?.name ?? 'Portico',
    baseUrl: config.baseUrl,
    invitationMs: (config.links ?? DEFAULT_LINKS).invitationMs,
  };
  const added = await shareWithContact(trx, actor, values.contact, values.role, chain);
  const person = await trx
    .selectFrom('users')
    .select(['id', 'first_name', 'last_name'])
    .where('id', '=', values.contact)
    .executeTakeFirstOrThrow();
  const name = `${person.first_name} ${person.last_name}`;
  const role = builtInRole(values.role)?.name ?? values.role;
  const said = [`${capitalized(called(item))} is shared with ${name} as ${role}.`];
  if (!added) return said.join(' ');
  await recordAudit(trx, {
    actor: auditActor(c),
    action: 'access.granted',
    object: { type: item.type, id: item.id, label: item.name },
    after: { to: name, role },
    requestId: c.get('requestId'),
  });
  // Told by email, as an entity shared with them is: a link that signs them in at this client.
  const entity = await trx
    .selectFrom('entities')
    .select('name')
    .where('id', '=', item.entityId)
    .executeTakeFirstOrThrow();
  const outcome = noneTold();
  const contact = {
    id: person.id,
    firstName: person.first_name,
    lastName: person.last_name,
    portalOn: await portalAccessOf(trx, person.id),
  };
  const letter = fileSharedLetter(site.firmName, {
    name: item.type === 'folder' ? `the folder ${item.name}` : item.name,
    entityId: item.entityId,
    entityName: entity.name,
  });
  await tellWith(trx, site, letter, contact, outcome);
  return [...said, ...toldMessage(config, outcome)].join(' ');
}

/** Takes the contact's role on the item away; the contact's name, or null for no such role here. */
export async function unshareItem(
  trx: Db,
  c: Context,
  actor: Actor,
  item: ShareableItem,
  chain: ScopeChain,
  bindingId: string,
): Promise<string | null> {
  const taken = await unshareWithContact(trx, actor, bindingId, chain);
  if (!taken) return null;
  const person = await trx
    .selectFrom('users')
    .select(['first_name', 'last_name'])
    .where('id', '=', taken.userId)
    .executeTakeFirst();
  const name = person ? `${person.first_name} ${person.last_name}` : 'a contact';
  await recordAudit(trx, {
    actor: auditActor(c),
    action: 'access.revoked',
    object: { type: item.type, id: item.id, label: item.name },
    before: { from: name, role: builtInRole(taken.roleId)?.name ?? taken.roleId },
    requestId: c.get('requestId'),
  });
  return name;
}

const capitalized = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
