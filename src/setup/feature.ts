/** First-run setup: the page that creates the firm and its first Admin. */
import { defineFeature } from '../host/index.js';
import { setupRoutes } from './routes.js';

export const setupFeature = defineFeature({
  id: 'setup',
  register(r, deps) {
    r.routes(setupRoutes(deps));
  },
});
