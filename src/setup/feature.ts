/** First-run setup: the page that creates the firm and its first Admin. */
import { defineFeature } from '../host/index.js';
import { HOUR } from '../kernel/durations.js';
import { setupRoutes } from './routes.js';
import { forgetSetupTokens } from './service.js';

export const setupFeature = defineFeature({
  id: 'setup',
  register(r, deps) {
    r.routes(setupRoutes(deps));
    // A token issued by a process that started before setup was done is no use once it is.
    r.schedule({ name: 'setup.forget-tokens', everyMs: HOUR, run: (db) => forgetSetupTokens(db) });
  },
});
