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
 * entities; `clients`: entities, contact profiles and sign-in links (the home page's panels);
 * `plugins`: every plugin's own tables, when a plugin says it wrote (`countPluginChange`);
 * `notifications`: people's notifications (written, or read).
 */
export type Counter = ChangeCounterTable['name'];
export type ChangeCounts = Record<Counter, number>;

/** A scalar subquery for one counter, to select alongside other columns. */
export function changeCountOf(db: Db, counter: Counter) {
  return db.selectFrom('change_counters').select('version').where('name', '=', counter);
}

/**
 * Counts a change to a plugin's own tables, in the caller's transaction (plugins have no triggers:
 * they say when they wrote). One `plugins` counter serves them all: a kept view of one plugin is
 * made afresh when any plugin writes, which is rare next to reading. The firm's row first, as the
 * triggers do, for one lock order.
 */
export async function countPluginChange(db: Db): Promise<void> {
  await db
    .updateTable('organization')
    .set((eb) => ({ id: eb.ref('id') }))
    .where('id', '=', 1)
    .execute();
  await db
    .insertInto('change_counters')
    .values({ name: 'plugins', version: 1 })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet((eb) => ({ version: eb(eb.ref('change_counters.version'), '+', 1) })),
    )
    .execute();
}
