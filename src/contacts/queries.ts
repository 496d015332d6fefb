/** Reading contacts. Queries never decide access: routes pass the permission module's filter in. */
import type { Expression, SqlBool } from 'kysely';
import type { Db } from '../db/connect.js';
import { PAGE_SIZE, searchMatches, windowCount, withTotal } from '../http/search.js';

export interface ContactRow {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  clientId: string | null;
  clientName: string | null;
}

/** `visible` filters on `cp.client_entity_id` (contacts are seen through their client entity). */
function matching(db: Db, visible: Expression<SqlBool>, q: string) {
  const base = db
    .selectFrom('users as u')
    .innerJoin('contact_profiles as cp', 'cp.user_id', 'u.id')
    .where('u.kind', '=', 'contact')
    .where(visible);
  if (!q) return base;
  return base.where(searchMatches(db, 'user', 'u', q));
}

/**
 * One page of the contacts `visible` lets through, in name order, and how many match in all; a
 * search in one statement, as listEntities does and for the same reasons.
 */
export async function listContacts(
  db: Db,
  options: { visible: Expression<SqlBool>; q: string; page: number },
): Promise<{ rows: ContactRow[]; total: number }> {
  const q = options.q.trim();
  const page = matching(db, options.visible, q)
    .leftJoin('entities as e', 'e.id', 'cp.client_entity_id')
    .select([
      'u.id',
      'u.first_name as firstName',
      'u.last_name as lastName',
      'u.email',
      'e.id as clientId',
      'e.name as clientName',
    ])
    .orderBy('u.last_name')
    .orderBy('u.first_name')
    .orderBy('u.id')
    .limit(PAGE_SIZE)
    .offset((options.page - 1) * PAGE_SIZE);
  const count = () =>
    matching(db, options.visible, q)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
      .then((c) => Number(c.n));
  if (q) return withTotal(await page.select(windowCount).execute(), options.page, count);
  const [rows, total] = await Promise.all([page.execute(), count()]);
  return { rows, total };
}

export interface Contact {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  emailNormalized: string;
  disabled: boolean;
  clientId: string | null;
  clientName: string | null;
  phone: string;
  address: string;
  notes: string;
  /** When they last signed in; null: never. */
  lastSignedInAt: number | null;
}

export async function findContact(db: Db, id: string): Promise<Contact | undefined> {
  const row = await db
    .selectFrom('users as u')
    .innerJoin('contact_profiles as cp', 'cp.user_id', 'u.id')
    .leftJoin('entities as e', 'e.id', 'cp.client_entity_id')
    .select([
      'u.id',
      'u.first_name as firstName',
      'u.last_name as lastName',
      'u.email',
      'u.email_normalized as emailNormalized',
      'u.disabled_at',
      'u.last_signed_in_at as lastSignedInAt',
      'e.id as clientId',
      'e.name as clientName',
      'cp.phone',
      'cp.address',
      'cp.notes',
    ])
    .where('u.id', '=', id)
    .where('u.kind', '=', 'contact')
    .executeTakeFirst();
  if (!row) return undefined;
  const { disabled_at, ...rest } = row;
  return { ...rest, disabled: disabled_at !== null };
}

/**
 * The entities `visible` lets through whose name or reference is exactly `term` (case-insensitive):
 * how a typed client name becomes an entity. At most two, enough to tell "one" from "several".
 */
export function entitiesNamed(db: Db, visible: Expression<SqlBool>, term: string) {
  const t = term.trim().toLowerCase();
  return db
    .selectFrom('entities as e')
    .select(['e.id', 'e.name'])
    .where(visible)
    .where((eb) => eb.or([eb('e.name_normalized', '=', t), eb(eb.fn('lower', ['e.reference']), '=', t)]))
    .orderBy('e.id')
    .limit(2)
    .execute();
}
