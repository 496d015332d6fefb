/** The links that lead to the access pages, shown only to those who may use them. */
import type { ActionLink } from '../../views/action-links.js';
import type { entityWords } from '../http/entity-words.js';
import { type Actor, mayShareAnywhere, mayShareEntity } from '../permissions/index.js';

/** "Assign to clients" on a staff member's, contact's or group's page (`href`: that page). */
export function assignLinks(actor: Actor, href: string, words: ReturnType<typeof entityWords>): ActionLink[] {
  return mayShareAnywhere(actor)
    ? [{ href: `${href}/entities`, label: `Assign to ${words.many.toLowerCase()}` }]
    : [];
}

/** "Who can see it" on an entity's page. */
export function accessLinks(actor: Actor, entityId: string): ActionLink[] {
  return mayShareEntity(actor, entityId)
    ? [{ href: `/entities/${entityId}/access`, label: 'Who can see it' }]
    : [];
}
