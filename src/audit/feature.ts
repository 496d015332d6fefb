/** The audit log's page (the log itself is written by recordAudit, from every feature). */
import { defineFeature } from '../host/index.js';
import { can } from '../permissions/index.js';
import { auditRoutes } from './routes.js';

export const auditFeature = defineFeature({
  id: 'audit',
  register(r, deps) {
    r.routes(auditRoutes(deps));
    r.nav({
      href: '/audit',
      label: 'Audit log',
      audience: 'staff',
      section: 'admin',
      visible: (actor) => can(actor, 'auditLog:R'),
      order: 80,
    });
  },
});
