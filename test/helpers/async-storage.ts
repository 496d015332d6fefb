/**
 * Counts AsyncLocalStorage.run calls. No page may make one: hono's `html` given a JSX node, or JSX
 * <head>, <svg>, <meta> or <title>, renders through it, and on Node 20 its first use switches promise
 * hooks on for the whole process, for good (every await of every later request costs ~2.5×).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { vi } from 'vitest';

export async function asyncStorageRuns(render: () => Promise<unknown>): Promise<number> {
  const runs = vi.spyOn(AsyncLocalStorage.prototype, 'run');
  try {
    await render();
    return runs.mock.calls.length;
  } finally {
    runs.mockRestore();
  }
}
