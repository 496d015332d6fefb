/**
 * Who is asking: the signed-in user and every role binding that applies to them, directly or
 * through a group, loaded in one query per request, and for each portal they hold a binding at,
 * the entities in that portal (one more query, only for those who hold one). Nothing here
 * decides; `can` does.
 */
import type { Db } from '../db/connect.js';
import { precompiled } from '../db/precompile.js';
import type { ScopeType, User, UserKind } from '../db/schema.js';
import { VersionedCache } from '../db/versioned-cache.js';
import type { Permission } from './catalog.js';
import { builtInRole } from './roles.js';

export interface Scope {
  type: ScopeType;
  /** '' for the system scope. */
  id: string;
}

export const SYSTEM: Scope = { type: 'system', id: '' };

export interface EffectiveBinding {
  bindingId: string;
  roleId: string;
  scope: Scope;
  /** null for a binding given to the user directly. */
  group: { id: string; name: string } | null;
}

export interface Actor {
  user: Pick<User, 'id' | 'kind' | 'email' | 'first_name' | 'last_name'>;
  bindings: readonly EffectiveBinding[];
  /** Permissions of every role the actor holds, by role id (built-in and custom). */
  rolePermissions: ReadonlyMap<string, ReadonlySet<Permission>>;
  /**
   * For each portal the actor holds a binding at, the ids of its entities: a portal binding covers
   * them (system → portal → entity), so callers describe an entity's chain without its portal.
   */
  portalEntities: ReadonlyMap<string, ReadonlySet<string>>;
}

const NO_PORTALS: ReadonlyMap<string, ReadonlySet<string>> = new Map();

/** The entities of each of these portals (an empty set for a portal with none). */
export async function loadPortalEntities(
  db: Db,
  portalIds: Iterable<string>,
): Promise<ReadonlyMap<string, ReadonlySet<string>>> {
  const ids = [...new Set(portalIds)];
  if (ids.length === 0) return NO_PORTALS;
  const rows = await db
    .selectFrom('portal_entities')
    .select(['portal_id', 'entity_id'])
    .where('portal_id', 'in', ids)
    .execute();
  const result = new Map(ids.map((id) => [id, new Set<string>()]));
  for (const r of rows) result.get(r.portal_id)?.add(r.entity_id);
  return result;
}

/**
 * Every binding that applies to the user, directly or through a group, of a role made for their
 * kind: a staff role bound to a contact (or the reverse) is left out here, as the SQL filter and
 * `can` leave it out (defence in depth: assigning roles must refuse such a binding too).
 */
const findBindings = precompiled(2, (db: Db, userId: string, kind: UserKind) => {
  const direct = db
    .selectFrom('role_bindings as rb')
    .innerJoin('roles as r', 'r.id', 'rb.role_id')
    .select(['rb.id', 'rb.role_id', 'rb.scope_type', 'rb.scope_id'])
    .select((eb) => [
      eb.val<string | null>(null).as('group_id'),
      eb.val<string | null>(null).as('group_name'),
    ])
    .where('rb.user_id', '=', userId)
    .where('r.kind', '=', kind);
  const viaGroup = db
    .selectFrom('role_bindings as rb')
    .innerJoin('roles as r', 'r.id', 'rb.role_id')
    .innerJoin('group_members as gm', 'gm.group_id', 'rb.group_id')
    .innerJoin('groups as g', 'g.id', 'gm.group_id')
    .select([
      'rb.id',
      'rb.role_id',
      'rb.scope_type',
      'rb.scope_id',
      'g.id as group_id',
      'g.name as group_name',
    ])
    .where('gm.user_id', '=', userId)
    .where('r.kind', '=', kind);
  return direct.unionAll(viaGroup);
});

type BindingRow = Awaited<ReturnType<typeof findBindings>>[number];

function toBinding(r: BindingRow): EffectiveBinding {
  return {
    bindingId: r.id,
    roleId: r.role_id,
    scope: { type: r.scope_type, id: r.scope_id },
    group: r.group_id ? { id: r.group_id, name: r.group_name ?? '' } : null,
  };
}

export async function loadBindings(db: Db, user: Pick<User, 'id' | 'kind'>): Promise<EffectiveBinding[]> {
  return (await findBindings(db, user.id, user.kind)).map(toBinding);
}

/** Built-in roles come from code; only custom roles cost a query, and only when held. */
export async function loadRolePermissions(
  db: Db,
  roleIds: Iterable<string>,
): Promise<Map<string, ReadonlySet<Permission>>> {
  const result = new Map<string, ReadonlySet<Permission>>();
  const custom: string[] = [];
  for (const id of new Set(roleIds)) {
    const role = builtInRole(id);
    if (role) result.set(id, role.permissions);
    else custom.push(id);
  }
  if (custom.length > 0) {
    const rows = await db
      .selectFrom('role_permissions')
      .select(['role_id', 'object_type', 'letter'])
      .where('role_id', 'in', custom)
      .execute();
    for (const id of custom) result.set(id, new Set());
    for (const r of rows)
      (result.get(r.role_id) as Set<Permission>).add(`${r.object_type}:${r.letter}` as Permission);
  }
  return result;
}

export async function loadActor(db: Db, user: Actor['user']): Promise<Actor> {
  const bindings = await loadBindings(db, user);
  const [rolePermissions, portalEntities] = await Promise.all([
    loadRolePermissions(
      db,
      bindings.map((b) => b.roleId),
    ),
    loadPortalEntities(
      db,
      bindings.filter((b) => b.scope.type === 'portal').map((b) => b.scope.id),
    ),
  ]);
  return { user, bindings, rolePermissions, portalEntities };
}

/**
 * `loadActor` for every signed-in request, keeping each person's bindings (and their portals'
 * entities) while the database's `permissions` count (read with the session,
 * src/db/change-counters.ts) is unchanged. Any change to a binding, group, membership, role or
 * portal's entities moves that count, so a revocation is seen on the very next request, by every
 * process.
 */
export function actorLoader(db: Db, maxPeople = 1000) {
  const cache = new VersionedCache<Omit<Actor, 'user'>>(maxPeople);
  return async function loadActorCached(user: Actor['user'], permissionsVersion: number): Promise<Actor> {
    const { bindings, rolePermissions, portalEntities } = await cache.get(user.id, permissionsVersion, () =>
      loadActor(db, user),
    );
    return { user, bindings, rolePermissions, portalEntities };
  };
}
