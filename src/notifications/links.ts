/** The link to an entity's Client Portal Notifications, for those who may change them. */
import type { ActionLink } from '../../views/action-links.js';
import { type Actor, mayChooseNotifyRecipients } from '../permissions/index.js';

export function notifyRecipientLinks(actor: Actor, entityId: string): ActionLink[] {
  return mayChooseNotifyRecipients(actor, entityId)
    ? [{ href: `/entities/${entityId}/notifications`, label: 'Client Portal Notifications' }]
    : [];
}
