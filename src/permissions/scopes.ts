/**
 * Where an object sits in the scope chain (system → portal → entity → folder → item), and the SQL
 * side of `can`: a filter true exactly for the objects of a scope type an actor holds a permission
 * on, evaluated inside the query that lists them (never load-then-filter, never a query per row).
 * Later object types plug in by declaring their chain here; `can` itself never changes.
 */
import { type Expression, PostgresAdapter, type SqlBool, sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { type Actor, type Scope, SYSTEM } from './actor.js';
import { grantedBy, type ScopeChain } from './can.js';
import type { Permission } from './catalog.js';
import { entitiesHeld, heldAnywhere } from './held.js';

export function entityChain(entityId: string): ScopeChain {
  return [SYSTEM, { type: 'entity', id: entityId }];
}

/**
 * The chain of an item (a file or an activity) in an entity, inside the given folders (outermost
 * first). Only ids are needed, so items and folders plug in without a table here.
 * @example can(actor, 'file:R', itemChain(entityId, fileId))
 */
export function itemChain(entityId: string, itemId: string, folderIds: readonly string[] = []): ScopeChain {
  return [
    ...entityChain(entityId),
    ...folderIds.map((id): Scope => ({ type: 'folder', id })),
    { type: 'item', id: itemId },
  ];
}

/** True when the actor holds the permission at any scope at all (to offer a list page or a nav item). */
export function canAnywhere(actor: Actor | null, permission: Permission): boolean {
  if (!actor) return false;
  return heldAnywhere(actor, permission, (b) => grantedBy(actor, b).has(permission));
}

/**
 * Where-clause for a list of entities: exactly those on which `can(actor, permission,
 * entityChain(id))` holds. `column` names the entity id column of the query (a code constant).
 * The contact rule never applies here: it concerns bindings inside an entity, which do not cover
 * the entity itself. The answer comes from the bindings the actor already holds in memory (the
 * ones `can` reads), so the filter agrees with `can` by construction: everything when a system
 * binding grants the permission, else the ids of the entities bound with a role that grants it,
 * passed as one parameter (a JSON array read by json_each on SQLite, a text[] on PostgreSQL). It
 * stays one query: no object is loaded, only ids of bindings the actor holds.
 * @example query.where(visibleEntities(db, actor, 'entity.summary:R', 'e.id'))
 */
export function visibleEntities(
  db: Db,
  actor: Actor,
  permission: Permission,
  column: string,
): Expression<SqlBool> {
  const held = entitiesHeld(actor, permission, (b) => grantedBy(actor, b).has(permission));
  if (held.all) return sql<SqlBool>`1 = 1`;
  return idIn(db, column, held.ids);
}

const idsAsJson = new WeakMap<readonly string[], string>();

/** `column` is one of `ids`, with the whole list bound as a single parameter. */
export function idIn(db: Db, column: string, ids: readonly string[]): Expression<SqlBool> {
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    return sql<SqlBool>`${sql.ref(column)} = any(${ids}::text[])`;
  }
  let json = idsAsJson.get(ids);
  if (json === undefined) {
    json = JSON.stringify(ids);
    idsAsJson.set(ids, json);
  }
  return sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${json}))`;
}
