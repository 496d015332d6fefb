/** Questions about people that staff and contacts share: one email is one person, whichever kind. */
import type { Db } from '../db/connect.js';
import { RuleError } from '../http/rule-error.js';
import { normalizeEmail } from '../kernel/names.js';
import { type Actor, can, contactChain, mayShareEntity } from '../permissions/index.js';

export async function emailTaken(db: Db, email: string, exceptUserId?: string): Promise<boolean> {
  let q = db.selectFrom('users').select('id').where('email_normalized', '=', normalizeEmail(email));
  if (exceptUserId) q = q.where('id', '<>', exceptUserId);
  return (await q.executeTakeFirst()) !== undefined;
}

export const emailTakenError = () => new RuleError('email', 'Someone already uses this email address.');

export async function groupsOf(db: Db, userId: string): Promise<{ id: string; name: string }[]> {
  return db
    .selectFrom('group_members as gm')
    .innerJoin('groups as g', 'g.id', 'gm.group_id')
    .select(['g.id', 'g.name'])
    .where('gm.user_id', '=', userId)
    .orderBy('g.name')
    .execute();
}

/** The person (staff or contact) with this email address, whatever its case. */
export function personWithEmail(db: Db, email: string) {
  return db
    .selectFrom('users as u')
    .leftJoin('contact_profiles as cp', 'cp.user_id', 'u.id')
    .select([
      'u.id',
      'u.kind',
      'u.email',
      'u.first_name',
      'u.last_name',
      'u.disabled_at',
      'cp.client_entity_id',
    ])
    .where('u.email_normalized', '=', normalizeEmail(email))
    .executeTakeFirst();
}

/**
 * The person with this email, when the viewer may know of them: any staff member (a sharer picks
 * staff to share with), or a contact they see or whose entity they may share. Anyone else reads
 * as no one, so a lookup never tells that an address is someone's.
 */
export async function knownPersonWithEmail(db: Db, actor: Actor, email: string) {
  const person = await personWithEmail(db, email);
  if (!person) return null;
  if (person.kind === 'staff') return person;
  const client = person.client_entity_id;
  const known =
    can(actor, 'contact.summary:R', contactChain(client)) ||
    (client !== null && mayShareEntity(actor, client));
  return known ? person : null;
}
