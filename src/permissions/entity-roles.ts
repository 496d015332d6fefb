/**
 * Roles given at entities: the seed's "Assign to Entities" (pick entities, give a role, see what is
 * inherited) and "who has access to this entity, and through what". Sharing at an entity needs
 * Share (A) there, or Share (S), which only Owner carries and so only on what the actor owns; and
 * nobody gives or takes a role carrying a permission they do not hold at that entity. Every check
 * is made again inside the transaction, against the actor as they are after the permissions lock.
 */
import type { Db } from '../db/connect.js';
import type { UserKind } from '../db/schema.js';
import { type Actor, type EffectiveBinding, loadActor, loadRolePermissions, type Scope } from './actor.js';
import { chainOfScope } from './assign.js';
import { can, holdsToGrant, mayShareAt } from './can.js';
import type { Permission } from './catalog.js';
import { GrantError } from './errors.js';
import { addBinding, lockPermissions, type Principal } from './queries.js';
import { BUILT_IN_ROLES, type Level } from './roles.js';
import { canAnywhere, entityChain } from './scopes.js';

export interface EntityRoleChoice {
  id: string;
  name: string;
  description: string;
  builtIn: boolean;
  /** Where it may be given: the entity level always, the system level for some. */
  levels: readonly Level[];
  permissions: ReadonlySet<Permission>;
}

/**
 * The roles that may be given at an entity, or for every entity, to someone of `kind`: the
 * built-in ones the seed allows there, and custom ones (staff roles at both levels, contact roles
 * at an entity only: a contact belongs to their entities).
 */
export async function entityRoleChoices(db: Db, kind: UserKind): Promise<EntityRoleChoice[]> {
  const builtIn = Object.values(BUILT_IN_ROLES)
    .filter((r) => r.kind === kind && r.levels.includes('entity'))
    .map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      builtIn: true,
      levels: r.levels.filter((l) => l !== 'item'),
      permissions: r.permissions,
    }));
  const custom = await db
    .selectFrom('roles')
    .select(['id', 'name'])
    .where('built_in', '=', 0)
    .where('kind', '=', kind)
    .orderBy('name')
    .execute();
  const perms = await loadRolePermissions(
    db,
    custom.map((r) => r.id),
  );
  const customLevels: readonly Level[] = kind === 'staff' ? ['system', 'entity'] : ['entity'];
  return [
    ...builtIn,
    ...custom.map((r) => ({
      id: r.id,
      name: r.name,
      description: 'Custom role',
      builtIn: false,
      levels: customLevels,
      permissions: perms.get(r.id) ?? new Set<Permission>(),
    })),
  ];
}

/** May the actor give or take roles at some entity (to offer "Assign to Entities" at all)? */
export function mayShareAnywhere(actor: Actor): boolean {
  return canAnywhere(actor, 'entity:A') || canAnywhere(actor, 'entity:S');
}

/** May the actor give or take roles at this entity at all? */
export function mayShareEntity(actor: Actor, entityId: string): boolean {
  return mayShareAt(actor, entityChain(entityId));
}

/**
 * May the actor choose who hears of client activity in this entity (its Client Portal
 * Notifications)? Whoever may share it in the client portal (Share A, or S where they own, so an
 * entity's Owner), or may edit its details: the people who decide what its clients see.
 */
export function mayChooseNotifyRecipients(actor: Actor, entityId: string): boolean {
  return mayShareEntity(actor, entityId) || can(actor, 'entity.details:E', entityChain(entityId));
}

/** Where a role is given: an entity, or every entity (the system scope), with a name to show. */
export interface Target {
  scope: Scope;
  name: string;
}

/** Refuses (GrantError, beside the entities) unless the actor may give or take `role` at `target`. */
function assertMayGrant(actor: Actor, role: EntityRoleChoice, target: Target) {
  const chain = chainOfScope(target.scope);
  if (!mayShareAt(actor, chain)) throw new GrantError(`You cannot share ${target.name}.`, 'entities');
  if (!holdsToGrant(actor, role.permissions, chain)) {
    throw new GrantError(
      `You cannot give or take the ${role.name} role at ${target.name}: it carries permissions you do not hold there.`,
      'entities',
    );
  }
}

/**
 * Gives `roleId` to the principal at each target (entities the route has found visible to the
 * actor, or every entity). Returns the targets where the role was new. Refuses the whole request
 * when any one target is refused, or an entity was deleted meanwhile.
 */
export async function assignRole(
  db: Db,
  actor: Actor,
  principal: Principal,
  principalKind: UserKind,
  roleId: string,
  targets: readonly Target[],
): Promise<{ role: EntityRoleChoice; added: Target[] }> {
  await lockPermissions(db);
  const role = (await entityRoleChoices(db, principalKind)).find((r) => r.id === roleId);
  if (!role) throw new GrantError('Choose one of the roles listed.', 'role');
  if (targets.some((t) => t.scope.type === 'system') && !role.levels.includes('system'))
    throw new GrantError(`The ${role.name} role is given at one entity at a time.`, 'role');
  const fresh = await loadActor(db, actor.user);
  for (const target of targets) assertMayGrant(fresh, role, target);
  const entityIds = targets.filter((t) => t.scope.type === 'entity').map((t) => t.scope.id);
  const still =
    entityIds.length === 0
      ? []
      : await db.selectFrom('entities').select('id').where('id', 'in', entityIds).execute();
  if (still.length !== entityIds.length) throw new GrantError('Choose from the list.', 'entities');
  const held = (await principalBindings(db, principal)).filter((b) => b.roleId === roleId);
  const added = targets.filter(
    (t) => !held.some((b) => b.scope.type === t.scope.type && b.scope.id === t.scope.id),
  );
  for (const target of added) await addBinding(db, principal, roleId, target.scope, actor.user.id);
  return { role, added };
}

/**
 * Removes one binding (found by the route among the principal's own, or at the entity), when the
 * actor may take that role there.
 */
export async function removeRole(
  db: Db,
  actor: Actor,
  principalKind: UserKind,
  binding: { id: string; roleId: string; target: Target },
): Promise<EntityRoleChoice> {
  await lockPermissions(db);
  const role = (await entityRoleChoices(db, principalKind)).find((r) => r.id === binding.roleId) ?? {
    id: binding.roleId,
    name: binding.roleId,
    description: '',
    builtIn: false,
    levels: [],
    permissions:
      (await loadRolePermissions(db, [binding.roleId])).get(binding.roleId) ?? new Set<Permission>(),
  };
  assertMayGrant(await loadActor(db, actor.user), role, binding.target);
  const result = await db.deleteFrom('role_bindings').where('id', '=', binding.id).executeTakeFirst();
  if (Number(result.numDeletedRows) === 0) throw new GrantError('That role was already removed.', '_form');
  return role;
}

/** The principal's own bindings (not those through groups), at every scope. */
export async function principalBindings(db: Db, principal: Principal): Promise<EffectiveBinding[]> {
  const rows = await db
    .selectFrom('role_bindings')
    .select(['id', 'role_id', 'scope_type', 'scope_id'])
    .where(
      'userId' in principal ? 'user_id' : 'group_id',
      '=',
      'userId' in principal ? principal.userId : principal.groupId,
    )
    .execute();
  return rows.map((r) => ({
    bindingId: r.id,
    roleId: r.role_id,
    scope: { type: r.scope_type, id: r.scope_id },
    group: null,
  }));
}

export interface AccessRow {
  bindingId: string;
  roleId: string;
  roleName: string;
  /** 'system' when given for every entity; 'portal' at the entity's portal. */
  scope: 'system' | 'portal' | 'entity';
  /** The portal, for a binding at the entity's portal. */
  portal: { id: string; name: string } | null;
  user: { id: string; name: string; email: string; kind: UserKind } | null;
  group: { id: string; name: string; kind: UserKind; members: number } | null;
}

/**
 * Every binding that lets someone hold `permission` at the entity: bound at the entity itself, at
 * its portal or at the system scope, to a person or a group, of a role of the holder's own kind (as
 * `can` counts them). One query; what it lists is exactly what `explain` finds for each holder.
 */
export async function accessToEntity(db: Db, entityId: string, permission: Permission): Promise<AccessRow[]> {
  const [objectType, letter] = permission.split(':') as [string, string];
  const builtIn = Object.values(BUILT_IN_ROLES)
    .filter((r) => r.permissions.has(permission))
    .map((r) => r.id);
  const rows = await db
    .selectFrom('role_bindings as rb')
    .innerJoin('roles as r', 'r.id', 'rb.role_id')
    .leftJoin('users as u', 'u.id', 'rb.user_id')
    .leftJoin('groups as g', 'g.id', 'rb.group_id')
    .leftJoin('portals as p', (join) =>
      join.onRef('p.id', '=', 'rb.scope_id').on('rb.scope_type', '=', 'portal'),
    )
    .select([
      'p.name as portal_name',
      'rb.id',
      'rb.role_id',
      'rb.scope_type',
      'rb.scope_id',
      'r.name as role_name',
      'u.id as user_id',
      'u.first_name',
      'u.last_name',
      'u.email',
      'u.kind as user_kind',
      'g.id as group_id',
      'g.name as group_name',
      'g.kind as group_kind',
    ])
    .select((eb) =>
      eb
        .selectFrom('group_members as gm')
        .select((e) => e.fn.countAll<number>().as('n'))
        .whereRef('gm.group_id', '=', 'rb.group_id')
        .as('members'),
    )
    .where((eb) =>
      eb.or([
        eb('rb.scope_type', '=', 'system'),
        eb.and([eb('rb.scope_type', '=', 'entity'), eb('rb.scope_id', '=', entityId)]),
        eb.and([
          eb('rb.scope_type', '=', 'portal'),
          eb(
            'rb.scope_id',
            'in',
            eb.selectFrom('portal_entities').select('portal_id').where('entity_id', '=', entityId),
          ),
        ]),
      ]),
    )
    .where((eb) => eb.or([eb('r.kind', '=', eb.ref('u.kind')), eb('r.kind', '=', eb.ref('g.kind'))]))
    .where((eb) =>
      eb.or([
        ...(builtIn.length ? [eb('rb.role_id', 'in', builtIn)] : []),
        eb(
          'rb.role_id',
          'in',
          eb
            .selectFrom('role_permissions')
            .select('role_id')
            .where('object_type', '=', objectType)
            .where('letter', '=', letter),
        ),
      ]),
    )
    .orderBy('rb.scope_type', 'desc')
    .orderBy('r.name')
    .orderBy('rb.id')
    .execute();
  return rows.map((r) => ({
    bindingId: r.id,
    roleId: r.role_id,
    roleName: r.role_name,
    scope: r.scope_type === 'system' ? 'system' : r.scope_type === 'portal' ? 'portal' : 'entity',
    portal: r.scope_type === 'portal' ? { id: r.scope_id, name: r.portal_name ?? '' } : null,
    user:
      r.user_id && r.user_kind
        ? { id: r.user_id, name: `${r.first_name} ${r.last_name}`, email: r.email ?? '', kind: r.user_kind }
        : null,
    group:
      r.group_id && r.group_kind
        ? { id: r.group_id, name: r.group_name ?? '', kind: r.group_kind, members: Number(r.members ?? 0) }
        : null,
  }));
}
