/**
 * Who may enter the client portal. A contact may sign in (by link, by any path) only while they
 * hold at least one contact role other than Associated at an entity or a portal (portal
 * membership), directly or through a contact group: Associated contacts are "linked to an entity; cannot sign in". Whether their Client portal
 * switch is on and whether they are disabled are facts about the person, checked beside this by the
 * sign-in link service; this is the permission half of that answer.
 */
import type { Actor } from './actor.js';
import { checkedActor, Forbidden } from './guard.js';

/** The role that links a contact to an entity without letting them in. */
export const ASSOCIATED_ROLE = 'associated';

/** True when the actor is a contact holding a role other than Associated at an entity or a portal. */
export function mayEnterPortal(actor: Actor): boolean {
  return (
    actor.user.kind === 'contact' &&
    actor.bindings.some(
      (b) => (b.scope.type === 'entity' || b.scope.type === 'portal') && b.roleId !== ASSOCIATED_ROLE,
    )
  );
}

/**
 * The portal's door: a signed-in contact who may enter; staff are refused (the portal is the
 * clients' side, as staff pages are refused to contacts), the anonymous are sent to sign in.
 */
export function requirePortalContact(c: Parameters<typeof checkedActor>[0]): Actor {
  const actor = checkedActor(c);
  if (!mayEnterPortal(actor)) throw new Forbidden();
  return actor;
}
