/**
 * Sharing a file or a whole folder with a contact or a staff member, and stopping, as both routes
 * do it: the rule is src/permissions' (shareWithPerson: File A, or S where they own; one item role
 * per person per item), the audit line names the item, and a contact newly given it is emailed
 * once, a folder's email naming the folder, with a link that signs them in at the client. Staff
 * are found by their email address; a contact is chosen from those who see the client.
 */
import type { Context } from 'hono';
import { recordAudit } from '../audit/record.js';
import { fileSharedLetter, noneTold, portalAccessOf, tellWith, toldMessage } from '../client-portal/index.js';
import type { Db } from '../db/connect.js';
import { auditActor } from '../http/service-ctx.js';
import { type Config, DEFAULT_LINKS } from '../kernel/config.js';
import { personWithEmail } from '../people/index.js';
import {
  type Actor,
  builtInRole,
  contactsAtEntity,
  GrantError,
  ITEM_CONTACT_ROLES,
  ITEM_STAFF_ROLES,
  mayShareFile,
  peopleSharedWith,
  type ScopeChain,
  shareWithPerson,
  unshareWithPerson,
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
  const options = (ids: readonly string[]) =>
    ids.map((id) => ({ value: id, label: builtInRole(id)?.name ?? id }));
  return {
    shared: await peopleSharedWith(db, scopeOf(item)),
    choices: may ? await contactsAtEntity(db, item.entityId) : [],
    roles: options(ITEM_CONTACT_ROLES),
    staffRoles: options(ITEM_STAFF_ROLES),
    may,
  };
}

/**
 * Gives the person the role on the item: the contact chosen (`contact`), or the staff member whose
 * address is `email`. What to tell the person sharing; throws GrantError.
 */
export async function shareItem(
  trx: Db,
  c: Context,
  config: Config,
  actor: Actor,
  item: ShareableItem,
  chain: ScopeChain,
  values: { contact?: string; email?: string; role: string },
): Promise<string> {
  const site = {
    firmName: c.get('organization')?.name ?? 'Portico',
    baseUrl: config.baseUrl,
    invitationMs: (config.links ?? DEFAULT_LINKS).invitationMs,
  };
  let personId = values.contact ?? '';
  if (values.email !== undefined) {
    const found = values.email.trim() ? await personWithEmail(trx, values.email) : undefined;
    if (found?.kind !== 'staff')
      throw new GrantError(
        values.email.trim()
          ? 'No staff member has this email address.'
          : 'Enter the email address of the staff member.',
        'email',
      );
    personId = found.id;
  }
  const added = await shareWithPerson(trx, actor, personId, values.role, chain);
  const person = await trx
    .selectFrom('users')
    .select(['id', 'kind', 'first_name', 'last_name'])
    .where('id', '=', personId)
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
  // Staff are not emailed: they find it among the client's files.
  if (person.kind === 'staff') return said.join(' ');
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

/** Takes a person's role on the item away; their name, or null for no such role here. */
export async function unshareItem(
  trx: Db,
  c: Context,
  actor: Actor,
  item: ShareableItem,
  chain: ScopeChain,
  bindingId: string,
): Promise<string | null> {
  const taken = await unshareWithPerson(trx, actor, bindingId, chain);
  if (!taken) return null;
  const person = await trx
    .selectFrom('users')
    .select(['first_name', 'last_name'])
    .where('id', '=', taken.userId)
    .executeTakeFirst();
  const name = person ? `${person.first_name} ${person.last_name}` : 'someone';
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
