/**
 * Read-only look-ups of core objects for plugins (ctx.lookup): the plugin's handle cannot reach the
 * core's tables, so what a plugin may know of them comes through here, as plain data.
 */
import type { Db } from '../db/connect.js';

export interface PersonFound {
  id: string;
  kind: 'staff' | 'contact';
  email: string;
  firstName: string;
  lastName: string;
  disabled: boolean;
}

/** The person whose email this is, compared as Portico compares emails (`normalized`: already trimmed and lowercased). */
export async function personByNormalizedEmail(db: Db, normalized: string): Promise<PersonFound | undefined> {
  return personWhere(db, 'email_normalized', normalized);
}

/** The person with this id, if any. */
export async function personById(db: Db, id: string): Promise<PersonFound | undefined> {
  return personWhere(db, 'id', id);
}

async function personWhere(
  db: Db,
  column: 'id' | 'email_normalized',
  value: string,
): Promise<PersonFound | undefined> {
  const u = await db
    .selectFrom('users')
    .select(['id', 'kind', 'email', 'first_name', 'last_name', 'disabled_at'])
    .where(column, '=', value)
    .executeTakeFirst();
  return u
    ? {
        id: u.id,
        kind: u.kind,
        email: u.email,
        firstName: u.first_name,
        lastName: u.last_name,
        disabled: u.disabled_at !== null,
      }
    : undefined;
}
