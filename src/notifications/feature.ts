/** Client Portal Notifications: the link to an entity's recipients, for those who may choose them. */
import { defineFeature } from '../host/index.js';
import { tellOfClientUpload } from './client-uploads.js';
import { notifyRecipientLinks } from './links.js';
import { notifyRecipientRoutes } from './routes.js';

export const notificationsFeature = defineFeature({
  id: 'notifications',
  register(r, deps) {
    r.routes(notifyRecipientRoutes(deps));
    r.slot('entity.links', ({ actor, entity }) => notifyRecipientLinks(actor, entity.id), 10);
    r.on('files.client_uploaded', tellOfClientUpload(deps.config.baseUrl));
  },
});
