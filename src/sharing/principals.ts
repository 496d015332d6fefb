/**
 * Who roles can be given to from "Assign to Entities": a staff member, a contact, a staff group or
 * a contact group. Each is found when the caller may see it on its own page, or may share where it
 * belongs (the seed has an entity's Owner give its contacts access, and pick staff to share with,
 * without being a Staff or Entities Admin); otherwise it answers exactly like a missing id.
 */
import { findContact } from '../contacts/index.js';
import type { Db } from '../db/connect.js';
import type { UserKind } from '../db/schema.js';
import { findGroup } from '../groups/index.js';
import {
  type Actor,
  can,
  canAnywhere,
  contactChain,
  mayShareAnywhere,
  mayShareEntity,
  type Principal,
} from '../permissions/index.js';
import { findStaff } from '../staff/index.js';

export const PRINCIPAL_PATHS = ['/staff', '/contacts', '/groups', '/contact-groups'] as const;
export type PrincipalPath = (typeof PRINCIPAL_PATHS)[number];

export interface LoadedPrincipal {
  principal: Principal;
  /** The kind of roles it may hold. */
  kind: UserKind;
  name: string;
  /** Its own page. */
  href: string;
  /** The person, for a user (whose roles through groups are inherited); null for a group. */
  user: Actor['user'] | null;
}

export async function loadPrincipal(
  db: Db,
  actor: Actor,
  path: PrincipalPath,
  id: string,
): Promise<LoadedPrincipal | null> {
  const href = `${path}/${id}`;
  switch (path) {
    case '/staff': {
      const seen = can(actor, 'staff.summary:R') || mayShareAnywhere(actor);
      const user = seen ? await findStaff(db, id) : undefined;
      if (!user) return null;
      return {
        principal: { userId: id },
        kind: 'staff',
        name: `${user.first_name} ${user.last_name}`,
        href,
        user,
      };
    }
    case '/contacts': {
      const contact = await findContact(db, id);
      const seen =
        contact &&
        (can(actor, 'contact.summary:R', contactChain(contact.clientId)) ||
          (contact.clientId !== null && mayShareEntity(actor, contact.clientId)));
      if (!contact || !seen) return null;
      return {
        principal: { userId: id },
        kind: 'contact',
        name: `${contact.firstName} ${contact.lastName}`,
        href,
        user: {
          id,
          kind: 'contact',
          email: contact.email,
          first_name: contact.firstName,
          last_name: contact.lastName,
        },
      };
    }
    case '/groups':
    case '/contact-groups': {
      const kind: UserKind = path === '/groups' ? 'staff' : 'contact';
      const allowed =
        mayShareAnywhere(actor) ||
        (kind === 'staff' ? can(actor, 'staff.details:R') : canAnywhere(actor, 'contact.summary:R'));
      const group = allowed ? await findGroup(db, id, kind) : undefined;
      if (!group) return null;
      return { principal: { groupId: id }, kind, name: group.name, href, user: null };
    }
  }
}
