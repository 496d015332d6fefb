/** Client Portal Notifications: the link to an entity's recipients, for those who may choose them. */
import { defineFeature } from '../host/index.js';
import { notifyRecipientLinks } from './links.js';

export const notificationsFeature = defineFeature({
  id: 'notifications',
  register(r) {
    r.slot('entity.links', ({ actor, entity }) => notifyRecipientLinks(actor, entity.id), 10);
  },
});
