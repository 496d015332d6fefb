/**
 * How many times a group of tables has changed, as counted by the database's own triggers (migration 0002).
 * The counts travel with the session lookup every signed-in request makes anyway, so reading them
 * costs no extra round trip, and they are read *before* any rows a page shows: a fragment built
 * from those rows is at least as new as the count it is filed under, never older.
 */
import type { Db } from './connect.js';
import type { ChangeCounterTable } from './schema.js';

/**
 * `users`: the users table; `permissions`: role bindings, group members, groups, roles and portal
 * entities; `clients`: entities, contact profiles and sign-in links (the home page's panels).
 */
export type Counter = ChangeCounterTable['name'];
export type ChangeCounts = Record<Counter, number>;

/** A scalar subquery for one counter, to select alongside other columns. */
export function changeCountOf(db: Db, counter: Counter) {
  return db.selectFrom('change_counters').select('version').where('name', '=', counter);
}
