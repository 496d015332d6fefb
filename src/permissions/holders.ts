/**
 * The other way round from `can`: which enabled staff members hold a permission at one entity. A
 * staff member's answer about an entity depends only on their bindings on its scope chain (the
 * system, the entity; staff are not held to the contact rule), so those bindings, for every candidate at
 * once, are loaded in one query and each person is asked `can` over them: the same answer `can`
 * gives with everything they hold, without loading anyone's other bindings or a query per person.
 */
import type { Db } from '../db/connect.js';
import type { User } from '../db/schema.js';
import { type Actor, type EffectiveBinding, loadRolePermissions } from './actor.js';
import { can, type ScopeChain } from './can.js';
import type { Permission } from './catalog.js';
import { entityChain } from './scopes.js';

export type Holder = Pick<User, 'id' | 'email' | 'first_name' | 'last_name'>;

/** Bindings on the chain (the system, the entity), given directly or to a group, of enabled staff. */
function bindingsOn(db: Db, chain: ScopeChain) {
  return db
    .selectFrom('role_bindings as rb')
    .innerJoin('roles as r', 'r.id', 'rb.role_id')
    .leftJoin('group_members as gm', 'gm.group_id', 'rb.group_id')
    .innerJoin('users as u', (join) =>
      join.on((eb) => eb.or([eb('u.id', '=', eb.ref('rb.user_id')), eb('u.id', '=', eb.ref('gm.user_id'))])),
    )
    .select(['u.id as user_id', 'u.email', 'u.first_name', 'u.last_name'])
    .select(['rb.id', 'rb.role_id', 'rb.scope_type', 'rb.scope_id'])
    .where('u.kind', '=', 'staff')
    .where('r.kind', '=', 'staff')
    .where('u.disabled_at', 'is', null)
    .where((eb) =>
      eb.or(
        chain.map((scope) =>
          scope.type === 'system'
            ? eb('rb.scope_type', '=', 'system')
            : eb.and([eb('rb.scope_type', '=', scope.type), eb('rb.scope_id', '=', scope.id)]),
        ),
      ),
    )
    .execute();
}

/**
 * Enabled staff who hold `permission` at the entity, by name; exactly those for whom
 * `can(<their actor>, permission, entityChain(entityId))` holds.
 * @example const offered = await staffHoldingAtEntity(db, 'entity.summary:R', entityId);
 */
export async function staffHoldingAtEntity(
  db: Db,
  permission: Permission,
  entityId: string,
): Promise<Holder[]> {
  // A binding at the entity's portal covers it too: the portal joins the scopes read, and each
  // person's actor carries that portal's one entity that matters here.
  const portal = await db
    .selectFrom('portal_entities')
    .select('portal_id')
    .where('entity_id', '=', entityId)
    .executeTakeFirst();
  const chain = entityChain(entityId);
  const rows = await bindingsOn(db, portal ? [...chain, { type: 'portal', id: portal.portal_id }] : chain);
  const portalEntities: Actor['portalEntities'] = new Map(
    portal ? [[portal.portal_id, new Set([entityId])]] : [],
  );
  const rolePermissions = await loadRolePermissions(
    db,
    rows.map((r) => r.role_id),
  );
  const people = new Map<string, { user: Holder; bindings: EffectiveBinding[] }>();
  for (const r of rows) {
    let person = people.get(r.user_id);
    if (!person) {
      person = {
        user: { id: r.user_id, email: r.email, first_name: r.first_name, last_name: r.last_name },
        bindings: [],
      };
      people.set(r.user_id, person);
    }
    // Which group a binding came through does not change the answer, only an explanation of it.
    person.bindings.push({
      bindingId: r.id,
      roleId: r.role_id,
      scope: { type: r.scope_type, id: r.scope_id },
      group: null,
    });
  }
  return [...people.values()]
    .filter(({ user, bindings }) => {
      const actor: Actor = { user: { ...user, kind: 'staff' }, bindings, rolePermissions, portalEntities };
      return can(actor, permission, chain);
    })
    .map((p) => p.user)
    .sort(
      (a, b) =>
        a.last_name.localeCompare(b.last_name) ||
        a.first_name.localeCompare(b.first_name) ||
        a.id.localeCompare(b.id),
    );
}
