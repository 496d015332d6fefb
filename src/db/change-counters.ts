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
export type Counter = Exclude<ChangeCounterTable['name'], `plugin:${string}`>;
/** The core counters, and `plugins`: the sum of every plugin's own (`plugin:<id>`, see `countPluginChange`). */
export type ChangeCounts = Record<Counter | 'plugins', number>;

/** A scalar subquery for one counter, to select alongside other columns. */
export function changeCountOf(db: Db, counter: Counter) {
  return db.selectFrom('change_counters').select('version').where('name', '=', counter);
}

/** The sum of the plugins' counters, as a scalar subquery: one number that moves when any of them does. */
export function pluginChangeCount(db: Db) {
  return db
    .selectFrom('change_counters')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('version'), eb.lit(0)).as('version'))
    .where('name', 'like', 'plugin:%');
}

/**
 * Counts a change to a plugin's own tables, in the caller's transaction (plugins have no triggers:
 * they say when they wrote). The firm's row first, as the triggers do, for one lock order.
 */
export async function countPluginChange(db: Db, pluginId: string): Promise<void> {
  await db
    .updateTable('organization')
    .set((eb) => ({ id: eb.ref('id') }))
    .where('id', '=', 1)
    .execute();
  await db
    .insertInto('change_counters')
    .values({ name: `plugin:${pluginId}`, version: 1 })
    .onConflict((oc) =>
      oc.column('name').doUpdateSet((eb) => ({ version: eb(eb.ref('change_counters.version'), '+', 1) })),
    )
    .execute();
}
