/**
 * Reading for "Share in Client Portal": the contacts of an entity (those whose client it is, those
 * holding a contact role there, and those who see it some other way) with the entity-level contact
 * roles that share it with them, and what else lets them see it (a portal membership, a contact
 * group). Who sees the entity is the permission module's answer (accessToEntity, the list "Who can
 * see it" shows), never worked out here, so the two pages cannot disagree. The route has already
 * found the caller may share this entity.
 */
import type { Db } from '../db/connect.js';
import { ASSOCIATED_ROLE, accessToEntity, contactBindingsAtEntity } from '../permissions/index.js';

/** Access to the entity that sharing here neither gave nor can take away. */
export interface Through {
  kind: 'portal' | 'group';
  id: string;
  name: string;
  /** The role's name ("Portal - Contributor", "Contact - Entity Access"). */
  role: string;
  /** For a group's role given at a portal: that portal. */
  portal: { id: string; name: string } | null;
}

/** A contact of the entity, and the bindings here that let them into it (not Associated). */
export interface EntityContact {
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  portalOn: boolean;
  disabled: boolean;
  /** Their own entity-level contact roles here other than Associated: what sharing is. */
  shares: { id: string; roleId: string }[];
  /** What else lets them see the entity: portal memberships, contact groups' roles. */
  through: Through[];
}

/**
 * Contacts who see the entity other than by a role of their own at it, and through what: from the
 * permission module's list of every binding behind seeing it (a contact group's by its members).
 */
async function seenOtherwise(db: Db, entityId: string): Promise<Map<string, Through[]>> {
  const rows = await accessToEntity(db, entityId, 'entity.summary:R');
  const byUser = new Map<string, Through[]>();
  const add = (userId: string, t: Through) => byUser.set(userId, [...(byUser.get(userId) ?? []), t]);
  const groups = rows.filter((r) => r.group?.kind === 'contact');
  const members = groups.length
    ? await db
        .selectFrom('group_members')
        .select(['group_id', 'user_id'])
        .where(
          'group_id',
          'in',
          groups.map((r) => r.group?.id ?? ''),
        )
        .execute()
    : [];
  for (const r of rows) {
    if (r.user?.kind === 'contact' && r.portal)
      add(r.user.id, {
        kind: 'portal',
        id: r.portal.id,
        name: r.portal.name,
        role: r.roleName,
        portal: null,
      });
    if (r.group?.kind === 'contact') {
      const group = r.group;
      for (const m of members.filter((m) => m.group_id === group.id))
        add(m.user_id, { kind: 'group', id: group.id, name: group.name, role: r.roleName, portal: r.portal });
    }
  }
  return byUser;
}

/** An entity has a handful of contacts; the list is capped all the same. */
const MAX_CONTACTS = 200;

export async function entityContacts(db: Db, entityId: string): Promise<EntityContact[]> {
  const [otherwise, bound] = await Promise.all([
    seenOtherwise(db, entityId),
    contactBindingsAtEntity(db, entityId),
  ]);
  const boundIds = [...new Set(bound.map((b) => b.userId))];
  const rows = await db
    .selectFrom('users as u')
    .innerJoin('contact_profiles as cp', 'cp.user_id', 'u.id')
    .select([
      'u.id',
      'u.first_name as firstName',
      'u.last_name as lastName',
      'u.email',
      'u.disabled_at',
      'cp.portal_access',
    ])
    .where('u.kind', '=', 'contact')
    .where((eb) =>
      eb.or([
        eb('cp.client_entity_id', '=', entityId),
        ...(boundIds.length ? [eb('u.id', 'in', boundIds)] : []),
        ...(otherwise.size ? [eb('u.id', 'in', [...otherwise.keys()])] : []),
      ]),
    )
    .orderBy('u.last_name')
    .orderBy('u.first_name')
    .orderBy('u.id')
    .limit(MAX_CONTACTS)
    .execute();
  const shares = bound.filter((b) => b.roleId !== ASSOCIATED_ROLE);
  return rows.map(({ disabled_at, portal_access, ...r }) => ({
    ...r,
    portalOn: portal_access === 1,
    disabled: disabled_at !== null,
    shares: shares.filter((b) => b.userId === r.id).map((b) => ({ id: b.id, roleId: b.roleId })),
    through: otherwise.get(r.id) ?? [],
  }));
}
