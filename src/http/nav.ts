/** The navigation a user sees: only the places the permission module lets them use. */
import type { NavItem } from '../../views/layout.js';
import type { Actor } from '../permissions/index.js';
import { can, canAnywhere, mayListPortals } from '../permissions/index.js';

export function navFor(actor: Actor | null, entitiesLabel: string): NavItem[] {
  if (!actor) return [];
  // Contacts have their own side: the portal, and no staff navigation at all.
  if (actor.user.kind === 'contact') return [{ href: '/portal', label: 'Client portal' }];
  const items: NavItem[] = [{ href: '/', label: 'Home' }];
  // Contacts reach their entities through the client portal, not the staff directory.
  if (actor.user.kind === 'staff' && canAnywhere(actor, 'entity.summary:R'))
    items.push({ href: '/entities', label: entitiesLabel });
  if (actor.user.kind === 'staff' && canAnywhere(actor, 'contact.summary:R'))
    items.push(
      { href: '/contacts', label: 'Contacts' },
      { href: '/contact-groups', label: 'Contact groups' },
    );
  // The seed's "Contacts → Portal list".
  if (mayListPortals(actor)) items.push({ href: '/portals', label: 'Portals' });
  if (can(actor, 'staff.summary:R')) items.push({ href: '/staff', label: 'Staff' });
  // Who is in which group, with which roles, is part of Staff - Details.
  if (can(actor, 'staff.details:R')) items.push({ href: '/groups', label: 'Staff groups' });
  if (can(actor, 'organization:R')) items.push({ href: '/settings', label: 'Settings' });
  if (can(actor, 'auditLog:R')) items.push({ href: '/audit', label: 'Audit log' });
  // The outbox holds sign-in links: Admins only, as the audit log (see src/mail/routes.tsx).
  if (can(actor, 'auditLog:R')) items.push({ href: '/outbox', label: 'Outbox' });
  return items;
}
