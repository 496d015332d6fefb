/**
 * The tests StrykerJS runs against each mutant (`npm run test:mutation`): unit and integration on
 * SQLite only. Stryker's vitest runner runs every project of the config it is given, so this config
 * has none: the browser tests (a built server, Chromium) cannot see a mutant in src/ anyway.
 */
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.{ts,tsx}', 'test/integration/**/*.test.{ts,tsx}'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
