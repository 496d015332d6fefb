/**
 * One model, three answers, in random worlds: fast-check builds staff and contacts, groups with
 * random members, entities (each in one of two portals, or in none), custom roles with random
 * letters (for staff or for contacts) and random bindings (to a user or a group; at the system, a
 * portal, an entity or an item; built-in or custom roles),
 * writes them into a fresh database and, for every user loaded by the real loader, proves that
 *  - the loader holds exactly the bindings that apply to them (directly or through a group) of a
 *    role made for their kind;
 *  - the SQL list filter returns exactly {e : can(actor, p, entityChain(e))} for each permission
 *    an entity list uses, and exactly the entities the world itself says they hold p at (a role of
 *    their kind granting p, bound to them or a group of theirs, at the system, that entity or its
 *    portal):
 *    the filter is built from the loaded actor, so this second oracle, read from the world and not
 *    from the loader, is what proves the role permissions were loaded right;
 *  - explain is non-empty exactly when can is true, on the system, every entity and item chains
 *    (items are ids only: bindings name them, no table holds them);
 *  - the other way round, the staff staffHoldingAtEntity names for each entity and list
 *    permission are exactly the staff for whom can says yes there.
 * A failure prints the shrunk world (readable ids: staff s0, contact c1, group g2, portal p0,
 * entity e0, role custom1, item e1/i0) and the question.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import type { ScopeType, UserKind } from '../../src/db/schema.js';
import { type Actor, loadActor, type Scope, SYSTEM } from '../../src/permissions/actor.js';
import { can, explain, type ScopeChain } from '../../src/permissions/can.js';
import type { Permission } from '../../src/permissions/catalog.js';
import { staffHoldingAtEntity } from '../../src/permissions/holders.js';
import { addBinding } from '../../src/permissions/queries.js';
import { BUILT_IN_ROLE_IDS, builtInRole, type Level } from '../../src/permissions/roles.js';
import { entityChain, itemChain, visibleEntities } from '../../src/permissions/scopes.js';
import { DIALECTS, freshDatabase } from '../helpers/db.js';
import { buildEntity } from '../helpers/factories.js';

const NUM_RUNS = { sqlite: 60, postgres: 15 } as const;

interface User {
  id: string;
  kind: UserKind;
}

/** Two staff and two contacts; s… and c… say which. */
const USERS = [
  { id: 's0', kind: 'staff' },
  { id: 's1', kind: 'staff' },
  { id: 'c0', kind: 'contact' },
  { id: 'c1', kind: 'contact' },
] as const satisfies readonly User[];
const USER_IDS = USERS.map((u) => u.id);
const GROUP_IDS = ['g0', 'g1', 'g2'] as const;
const ENTITY_IDS = ['e0', 'e1', 'e2'] as const;
const PORTAL_IDS = ['p0', 'p1'] as const;
const CUSTOM_ROLE_IDS = ['custom0', 'custom1', 'custom2'] as const;
/** Items that bindings may name (in two of the entities); `<entity>/i1` is never bound. */
const BOUND_ITEMS = ['e0/i0', 'e1/i0'];
const LEVELS: readonly Level[] = ['system', 'portal', 'entity', 'item'];

/** The permissions an entity list uses. */
const LIST_PERMISSIONS = ['entity.summary:R', 'entity.details:R'] as const satisfies readonly Permission[];
/** What custom roles pick from, and what explain is asked about. */
const POOL = [
  ...LIST_PERMISSIONS,
  'entity.summary:E',
  'file:R',
  'file:E',
  'file:D',
  'activity:R',
] as const satisfies readonly Permission[];

const CONTACT_ROLES = BUILT_IN_ROLE_IDS.filter((id) => builtInRole(id)?.kind === 'contact');
const STAFF_ROLES = BUILT_IN_ROLE_IDS.filter((id) => builtInRole(id)?.kind === 'staff');

interface World {
  /** The portal each entity is in (by ENTITY_IDS' order), or null. */
  portalOf: (string | null)[];
  groups: { id: string; kind: UserKind; members: string[] }[];
  customRoles: { id: string; kind: UserKind; permissions: Permission[] }[];
  /** `to` is a user or group id; `at` is 'system', 'entity:<id>' or 'item:<entity>/<item>'. */
  bindings: { to: string; role: string; at: string }[];
}

const kind = fc.constantFrom<UserKind>('staff', 'contact');

/** Where a role fits, by level: entity roles land where items are bound, so they meet. */
const SCOPES_AT: Record<Level, string[]> = {
  system: ['system'],
  portal: PORTAL_IDS.map((p) => `portal:${p}`),
  entity: ['entity:e0', 'entity:e1'],
  item: BOUND_ITEMS.map((i) => `item:${i}`),
};
const ANY_SCOPE = ['system', ...SCOPES_AT.portal, ...ENTITY_IDS.map((e) => `entity:${e}`), ...SCOPES_AT.item];

/**
 * A binding of any role to any user or group, mostly at a level the role may be given at (so a
 * contact often holds an entity role and an item role in the same entity), sometimes anywhere.
 */
const binding: fc.Arbitrary<World['bindings'][number]> = fc
  .record({
    to: fc.oneof({ arbitrary: fc.constantFrom(...USER_IDS), weight: 2 }, fc.constantFrom(...GROUP_IDS)),
    role: fc.oneof(
      { arbitrary: fc.constantFrom(...STAFF_ROLES), weight: 2 },
      { arbitrary: fc.constantFrom(...CONTACT_ROLES), weight: 2 },
      fc.constantFrom(...CUSTOM_ROLE_IDS),
    ),
  })
  .chain(({ to, role }) => {
    const fitting = (builtInRole(role)?.levels ?? LEVELS).flatMap((level) => SCOPES_AT[level]);
    return fc
      .oneof(
        { arbitrary: fc.constantFrom(...fitting), weight: 3 },
        { arbitrary: fc.constantFrom(...ANY_SCOPE), weight: 1 },
      )
      .map((at) => ({ to, role, at }));
  });

const world: fc.Arbitrary<World> = fc.record({
  portalOf: fc.tuple(...ENTITY_IDS.map(() => fc.constantFrom<string | null>(null, ...PORTAL_IDS))),
  groups: fc.tuple(
    ...GROUP_IDS.map((id) => fc.record({ id: fc.constant(id), kind, members: fc.subarray([...USER_IDS]) })),
  ),
  customRoles: fc.tuple(
    ...CUSTOM_ROLE_IDS.map((id) =>
      fc.record({ id: fc.constant(id), kind, permissions: fc.subarray<Permission>([...POOL]) }),
    ),
  ),
  bindings: fc.uniqueArray(binding, {
    size: '+1',
    maxLength: 24,
    selector: (b) => `${b.to} ${b.role} ${b.at}`,
  }),
});

function scopeOf(at: string): Scope {
  if (at === 'system') return SYSTEM;
  const [type, id] = at.split(':') as [ScopeType, string];
  return { type, id };
}

async function writeWorld(db: Db, w: World): Promise<void> {
  const now = Date.now();
  await db
    .insertInto('users')
    .values(
      USERS.map((u) => ({
        id: u.id,
        kind: u.kind,
        email: `${u.id}@example.com`,
        email_normalized: `${u.id}@example.com`,
        first_name: u.id,
        last_name: u.kind,
        password_hash: null,
        password_set_by: null,
        disabled_at: null,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  for (const id of ENTITY_IDS) await buildEntity(db, `Entity ${id}`, { id });
  await db
    .insertInto('portals')
    .values(
      PORTAL_IDS.map((id) => ({
        id,
        name: `Portal ${id}`,
        name_key: `portal ${id}`,
        administrator_id: 's0',
        send_as_id: null,
        created_by: null,
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  const inPortals = ENTITY_IDS.flatMap((entityId, i) => {
    const portalId = w.portalOf[i];
    return portalId ? [{ portal_id: portalId, entity_id: entityId }] : [];
  });
  if (inPortals.length > 0) await db.insertInto('portal_entities').values(inPortals).execute();
  await db
    .insertInto('groups')
    .values(
      w.groups.map((g) => ({
        id: g.id,
        kind: g.kind,
        name: `Group ${g.id}`,
        name_normalized: `group ${g.id}`,
        description: '',
        created_at: now,
        updated_at: now,
      })),
    )
    .execute();
  const members = w.groups.flatMap((g) =>
    g.members.map((userId) => ({ group_id: g.id, user_id: userId, created_at: now })),
  );
  if (members.length > 0) await db.insertInto('group_members').values(members).execute();
  await db
    .insertInto('roles')
    .values(
      w.customRoles.map((r) => ({
        id: r.id,
        name: `Custom ${r.id}`,
        kind: r.kind,
        built_in: 0,
        created_at: now,
      })),
    )
    .execute();
  const letters = w.customRoles.flatMap((r) =>
    r.permissions.map((p) => {
      const [objectType, letter] = p.split(':') as [string, string];
      return { role_id: r.id, object_type: objectType, letter };
    }),
  );
  if (letters.length > 0) await db.insertInto('role_permissions').values(letters).execute();
  for (const b of w.bindings) {
    const principal = b.to.startsWith('g') ? { groupId: b.to } : { userId: b.to };
    await addBinding(db, principal, b.role, scopeOf(b.at), null);
  }
}

/** What the loader must hold for a user, as comparable strings: "role at (via group)". */
function expectedBindings(w: World, user: User): string[] {
  const roleKind = (role: string) =>
    builtInRole(role)?.kind ?? w.customRoles.find((r) => r.id === role)?.kind;
  const groupsOf = new Set(w.groups.filter((g) => g.members.includes(user.id)).map((g) => g.id));
  return w.bindings
    .filter((b) => (b.to === user.id || groupsOf.has(b.to)) && roleKind(b.role) === user.kind)
    .map((b) => `${b.role} ${b.at} ${b.to === user.id ? 'direct' : `via ${b.to}`}`)
    .sort();
}

/** The entities a user holds `permission` at, read from the world alone (no loader, no `can`). */
function expectedVisible(w: World, user: User, permission: Permission): string[] {
  const role = (id: string) => {
    const builtIn = builtInRole(id);
    if (builtIn) return { kind: builtIn.kind, grants: builtIn.permissions.has(permission) };
    const custom = w.customRoles.find((r) => r.id === id);
    return { kind: custom?.kind, grants: custom?.permissions.includes(permission) ?? false };
  };
  const groupsOf = new Set(w.groups.filter((g) => g.members.includes(user.id)).map((g) => g.id));
  const at = w.bindings
    .filter((b) => b.to === user.id || groupsOf.has(b.to))
    .filter((b) => role(b.role).kind === user.kind && role(b.role).grants)
    .map((b) => b.at);
  return ENTITY_IDS.filter(
    (e, i) =>
      at.includes('system') || at.includes(`entity:${e}`) || at.includes(`portal:${w.portalOf[i] ?? '-'}`),
  );
}

function loadedBindings(actor: Actor): string[] {
  return actor.bindings
    .map((b) => {
      const at = b.scope.type === 'system' ? 'system' : `${b.scope.type}:${b.scope.id}`;
      return `${b.roleId} ${at} ${b.group ? `via ${b.group.id}` : 'direct'}`;
    })
    .sort();
}

async function listed(db: Db, actor: Actor, permission: Permission): Promise<string[]> {
  const rows = await db
    .selectFrom('entities as e')
    .select('e.id')
    .where(visibleEntities(db, actor, permission, 'e.id'))
    .orderBy('e.id')
    .execute();
  return rows.map((r) => r.id);
}

const CHAINS: [label: string, chain: ScopeChain][] = [
  ['the system', [SYSTEM]],
  ...PORTAL_IDS.map((p): [string, ScopeChain] => [`portal ${p}`, [SYSTEM, { type: 'portal', id: p }]]),
  ...ENTITY_IDS.map((e): [string, ScopeChain] => [`entity ${e}`, entityChain(e)]),
  ...ENTITY_IDS.flatMap((e): [string, ScopeChain][] => [
    [`item ${e}/i0`, itemChain(e, `${e}/i0`)],
    [`item ${e}/i1`, itemChain(e, `${e}/i1`)],
  ]),
];

async function checkWorld(db: Db, w: World): Promise<void> {
  await writeWorld(db, w);
  const staff: Actor[] = [];
  for (const user of USERS) {
    const actor = await loadActor(db, {
      id: user.id,
      kind: user.kind,
      email: `${user.id}@example.com`,
      first_name: user.id,
      last_name: user.kind,
    });
    if (user.kind === 'staff') staff.push(actor);
    const who = `${user.id} (${user.kind})`;
    expect(loadedBindings(actor), `the bindings loaded for ${who}`).toEqual(expectedBindings(w, user));
    for (const permission of LIST_PERMISSIONS) {
      const allowed = ENTITY_IDS.filter((e) => can(actor, permission, entityChain(e)));
      const shown = await listed(db, actor, permission);
      expect(shown, `the entities listed for ${who} with ${permission}`).toEqual(allowed);
      expect(shown, `the entities the world lets ${who} see with ${permission}`).toEqual(
        expectedVisible(w, user, permission),
      );
    }
    for (const permission of POOL) {
      for (const [label, chain] of CHAINS) {
        expect(
          explain(actor, permission, chain).length > 0,
          `explain is non-empty exactly when can is true, for ${who} with ${permission} on ${label}`,
        ).toBe(can(actor, permission, chain));
      }
    }
  }
  for (const permission of LIST_PERMISSIONS) {
    for (const e of ENTITY_IDS) {
      const holders = (await staffHoldingAtEntity(db, permission, e)).map((h) => h.id).sort();
      const allowed = staff.filter((a) => can(a, permission, entityChain(e))).map((a) => a.user.id);
      expect(holders, `the staff holding ${permission} at ${e}`).toEqual(allowed.sort());
    }
  }
}

describe.each(DIALECTS)('the permission model in random worlds (%s)', (dialect) => {
  it('the loader, the SQL list filter, can and explain agree for every user', async () => {
    await fc.assert(
      fc.asyncProperty(world, async (w) => {
        const t = await freshDatabase(dialect);
        try {
          await checkWorld(t.db, w);
        } finally {
          await t.close();
        }
      }),
      { numRuns: NUM_RUNS[dialect] },
    );
  }, 120_000);
});
