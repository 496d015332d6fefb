/**
 * Roles given at entities: the seed's "Assign to Entities" (pick entities, give a role, see what is
 * inherited) and "who has access to this entity, and through what". Sharing at an entity needs
 * Share (A) there, or Share (S), which only Owner carries and so only on what the actor owns; and
 * nobody gives or takes a role carrying a permission they do not hold at that entity. Every check
 * is made again inside the transaction, against the actor as they are after the permissions lock.
 */
import type { Db } from '../db/connect.js';
import type { UserKind } from '../db/schema.js';
import { type Actor, type EffectiveBinding, loadActor, loadRolePermissions } from './actor.js';
import { GrantError } from './assign.js';
import { can } from './can.js';
import type { Permission } from './catalog.js';
import { addBinding, lockPermissions, type Principal } from './queries.js';
import { BUILT_IN_ROLES } from './roles.js';
import { canAnywhere, entityChain } from './scopes.js';

export interface EntityRoleChoice {
  id: string;
  name: string;
  description: string;
  builtIn: boolean;
  permissions: ReadonlySet<Permission>;
}

/** The roles that may be given at an entity to someone of `kind`: built-in ones the seed allows there, and custom ones. */
export async function entityRoleChoices(db: Db, kind: UserKind): Promise<EntityRoleChoice[]> {
  const builtIn = Object.values(BUILT_IN_ROLES)
    .filter((r) => r.kind === kind && r.levels.includes('entity'))
    .map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      builtIn: true,
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
  return [
    ...builtIn,
    ...custom.map((r) => ({
      id: r.id,
      name: r.name,
      description: 'Custom role',
      builtIn: false,
      permissions: perms.get(r.id) ?? new Set<Permission>(),
    })),
  ];
}

/** May the actor give or take roles at some entity (to offer "Assign to Entities" at all)? */
export function mayShareAnywhere(actor: Actor): boolean {
  return canAnywhere(actor, 'entity:A') || canAnywhere(actor, 'entity:S');
}

/** May the actor give or take roles at this entity at all? */
export function mayShareAt(actor: Actor, entityId: string): boolean {
  const chain = entityChain(entityId);
  return can(actor, 'entity:A', chain) || can(actor, 'entity:S', chain);
}

/** True when the actor holds every one of the role's permissions at the entity. */
function holdsAt(actor: Actor, permissions: ReadonlySet<Permission>, entityId: string): boolean {
  const chain = entityChain(entityId);
  for (const p of permissions) if (!can(actor, p, chain)) return false;
  return true;
}

/** Refuses (GrantError) unless the actor may give or take `role` at `entity`. */
function assertMayGrant(actor: Actor, role: EntityRoleChoice, entity: { id: string; name: string }) {
  if (!mayShareAt(actor, entity.id)) throw new GrantError(`You cannot share ${entity.name}.`);
  if (!holdsAt(actor, role.permissions, entity.id)) {
    throw new GrantError(
      `You cannot give or take the ${role.name} role at ${entity.name}: it carries permissions you do not hold there.`,
    );
  }
}

/**
 * Gives `roleId` to the principal at each entity (entities the route has already found visible to
 * the actor). Returns the entities where the role was new. Refuses the whole request when any one
 * entity is refused.
 */
export async function assignAtEntities(
  db: Db,
  actor: Actor,
  principal: Principal,
  principalKind: UserKind,
  roleId: string,
  entities: readonly { id: string; name: string }[],
): Promise<{ role: EntityRoleChoice; added: { id: string; name: string }[] }> {
  await lockPermissions(db);
  const role = (await entityRoleChoices(db, principalKind)).find((r) => r.id === roleId);
  if (!role) throw new GrantError('Choose one of the roles listed.');
  const fresh = await loadActor(db, actor.user);
  for (const entity of entities) assertMayGrant(fresh, role, entity);
  const existing = new Set(
    (await principalBindings(db, principal))
      .filter((b) => b.roleId === roleId && b.scope.type === 'entity')
      .map((b) => b.scope.id),
  );
  const added = entities.filter((e) => !existing.has(e.id));
  for (const entity of added)
    await addBinding(db, principal, roleId, { type: 'entity', id: entity.id }, actor.user.id);
  return { role, added };
}

/**
 * Removes one binding at an entity (found by the route among the principal's own), when the actor
 * may take that role there.
 */
export async function removeEntityBinding(
  db: Db,
  actor: Actor,
  principalKind: UserKind,
  binding: { id: string; roleId: string; entity: { id: string; name: string } },
): Promise<EntityRoleChoice> {
  await lockPermissions(db);
  const role = (await entityRoleChoices(db, principalKind)).find((r) => r.id === binding.roleId) ?? {
    id: binding.roleId,
    name: binding.roleId,
    description: '',
    builtIn: false,
    permissions:
      (await loadRolePermissions(db, [binding.roleId])).get(binding.roleId) ?? new Set<Permission>(),
  };
  assertMayGrant(await loadActor(db, actor.user), role, binding.entity);
  await db.deleteFrom('role_bindings').where('id', '=', binding.id).execute();
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
  /** 'system' when given for every entity. */
  scope: 'system' | 'entity';
  user: { id: string; name: string; email: string; kind: UserKind } | null;
  group: { id: string; name: string; kind: UserKind; members: number } | null;
}

/**
 * Every binding that lets someone hold `permission` at the entity: bound at the entity itself or
 * at the system scope, to a person or a group, of a role of the holder's own kind (as `can` counts
 * them). One query; what it lists is exactly what `explain` finds for each holder.
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
    .select([
      'rb.id',
      'rb.role_id',
      'rb.scope_type',
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
    scope: r.scope_type === 'system' ? 'system' : 'entity',
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
