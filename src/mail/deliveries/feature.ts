/**
 * Mail deliveries: what Resend's webhooks say became of each email it accepted (delivered,
 * bounced, …), for the notifications that tell of those emails. Its one route is Resend's.
 */
import { defineFeature } from '../../host/index.js';
import { HOUR } from '../../kernel/durations.js';
import { forgetOldDeliveries } from './queries.js';
import { resendWebhookRoutes } from './routes.js';
import { settleHeldOutcomes } from './service.js';

export const mailDeliveriesFeature = defineFeature({
  id: 'mail-deliveries',
  register(r, deps) {
    r.routes(resendWebhookRoutes(deps));
    r.schedule({
      name: 'mail-deliveries.forget-old',
      everyMs: HOUR,
      run: async (db) => {
        await settleHeldOutcomes(db);
        await forgetOldDeliveries(db);
      },
    });
  },
});
