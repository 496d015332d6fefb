/** The link to an entity's Client Portal Notifications, for those who may change them. */
import type { ActionLink } from '../../views/action-links.js';
import { type Actor, can, entityChain } from '../permissions/index.js';

/** Whoever may edit the entity's details chooses who is told of its client activity. */
export const NOTIFY_PERMISSION = 'entity.details:E';

export function notifyRecipientLinks(actor: Actor, entityId: string): ActionLink[] {
  return can(actor, NOTIFY_PERMISSION, entityChain(entityId))
    ? [{ href: `/entities/${entityId}/notifications`, label: 'Client Portal Notifications' }]
    : [];
}
