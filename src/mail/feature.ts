/** The Outbox page: what was sent or kept, for Admins. */
import { defineFeature } from '../host/index.js';
import { HOUR } from '../kernel/durations.js';
import { can } from '../permissions/index.js';
import { forgetOldOutboxMessages } from './outbox.js';
import { outboxRoutes } from './routes.js';

export const outboxFeature = defineFeature({
  id: 'outbox',
  register(r, deps) {
    r.routes(outboxRoutes(deps));
    r.schedule({ name: 'outbox.forget-old', everyMs: HOUR, run: (db) => forgetOldOutboxMessages(db) });
    // The outbox holds sign-in links: Admins only, as the audit log (see routes.tsx).
    r.nav({
      href: '/outbox',
      label: 'Outbox',
      audience: 'staff',
      section: 'admin',
      visible: (actor) => can(actor, 'auditLog:R'),
      order: 90,
    });
  },
});
