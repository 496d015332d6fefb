/** Questions about people that staff and contacts share: one email is one person, whichever kind. */
import type { Db } from '../db/connect.js';
import { RuleError } from '../http/rule-error.js';
import { normalizeEmail } from '../kernel/names.js';

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
