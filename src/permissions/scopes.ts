/**
 * Where an object sits in the scope chain (system → portal → entity → folder → item), and the SQL
 * side of `can`: a filter true exactly for the objects of a scope type an actor holds a permission
 * on, evaluated inside the query that lists them (never load-then-filter, never a query per row).
 * Later object types plug in by declaring their chain here; `can` itself never changes.
 */
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from '../db/connect.js';
import type { ScopeType } from '../db/schema.js';
import { type Actor, type Scope, SYSTEM } from './actor.js';
import { can, grantedBy, type ScopeChain } from './can.js';
import type { Permission } from './catalog.js';
import { BUILT_IN_ROLES } from './roles.js';

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
  return actor.bindings.some((b) => grantedBy(actor, b).has(permission));
}

/**
 * Ids of the objects of `scopeType` on which the user holds `permission` through a binding at that
 * very scope, directly or through a group, of a role made for the user's kind (as the loader and
 * `can` count them): a subquery to use as `column in (…)`. Built-in roles are chosen in code;
 * custom roles by their role_permissions rows and roles.kind. Direct and group bindings are two
 * branches of a UNION ALL, not one OR: each branch then reads its own index (role_bindings_user,
 * role_bindings_group), where the OR made SQLite walk every binding of the scope type (half a
 * second at 500,000 bindings; `npm run bench:directory`).
 */
function boundScopeIds(db: Db, user: Actor['user'], permission: Permission, scopeType: ScopeType) {
  const [objectType, letter] = permission.split(':') as [string, string];
  const builtIn = Object.values(BUILT_IN_ROLES)
    .filter((r) => r.kind === user.kind && r.permissions.has(permission))
    .map((r) => r.id);
  const bindings = (principal: 'user' | 'group') =>
    db
      .selectFrom('role_bindings as rb')
      .select('rb.scope_id')
      .where('rb.scope_type', '=', scopeType)
      .where((eb) =>
        principal === 'user'
          ? eb('rb.user_id', '=', user.id)
          : eb(
              'rb.group_id',
              'in',
              eb.selectFrom('group_members').select('group_id').where('user_id', '=', user.id),
            ),
      )
      .where((eb) =>
        eb.or([
          ...(builtIn.length > 0 ? [eb('rb.role_id', 'in', builtIn)] : []),
          eb(
            'rb.role_id',
            'in',
            eb
              .selectFrom('role_permissions as rp')
              .innerJoin('roles as r', 'r.id', 'rp.role_id')
              .select('rp.role_id')
              .where('rp.object_type', '=', objectType)
              .where('rp.letter', '=', letter)
              .where('r.kind', '=', user.kind),
          ),
        ]),
      );
  return bindings('user').unionAll(bindings('group'));
}

/**
 * Where-clause for a list of entities: exactly those on which `can(actor, permission,
 * entityChain(id))` holds. `column` names the entity id column of the query (a code constant).
 * The contact rule never applies here: it concerns bindings inside an entity, which do not cover
 * the entity itself.
 * @example query.where(visibleEntities(db, actor, 'entity.summary:R', 'e.id'))
 */
export function visibleEntities(
  db: Db,
  actor: Actor,
  permission: Permission,
  column: string,
): Expression<SqlBool> {
  if (can(actor, permission, [SYSTEM])) return sql<SqlBool>`1 = 1`;
  return sql<SqlBool>`${sql.ref(column)} in (${boundScopeIds(db, actor.user, permission, 'entity')})`;
}
