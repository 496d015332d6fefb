/** Importing clients and contacts from a CSV file. */
import { defineFeature } from '../host/index.js';
import { importRoutes } from './routes.js';

export const importFeature = defineFeature({
  id: 'import',
  register(r, deps) {
    r.routes(importRoutes(deps));
  },
});
