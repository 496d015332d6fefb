/**
 * The firm's one settings row, kept in memory for a moment: it is read on every request and changes
 * rarely. This process forgets it at once when it changes it; other processes see a change within
 * FRESH_MS.
 */
import type { Db } from './connect.js';
import type { Organization } from './schema.js';

const FRESH_MS = 2000;

export interface OrganizationCache {
  get(): Promise<Organization | null>;
  /** Call after changing the organization row. */
  forget(): void;
}

export function organizationCache(db: Db): OrganizationCache {
  let cached: { org: Organization | null; at: number } | null = null;
  return {
    async get() {
      const now = Date.now();
      if (cached && now - cached.at < FRESH_MS) return cached.org;
      const org =
        (await db.selectFrom('organization').selectAll().where('id', '=', 1).executeTakeFirst()) ?? null;
      cached = { org, at: now };
      return org;
    },
    forget() {
      cached = null;
    },
  };
}
