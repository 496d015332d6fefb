/**
 * The usual starting point of an integration test: a fresh database (per dialect) with the firm
 * set up, its first Admin, and the app over it, made before each test and dropped after it.
 */
import type { Hono } from 'hono';
import { afterEach, beforeEach } from 'vitest';
import type { Db, Dialect } from '../../src/db/connect.js';
import type { User } from '../../src/db/schema.js';
import { buildApp } from './app.js';
import { freshDatabase, type TestDb } from './db.js';
import { buildOrganization, buildStaff, type buildUser } from './factories.js';

export interface Firm {
  t: TestDb;
  db: Db;
  app: Hono;
  admin: User;
}

export function useFirm(dialect: Dialect, options: { admin?: Parameters<typeof buildUser>[1] } = {}): Firm {
  const firm = {} as Firm;
  beforeEach(async () => {
    const t = await freshDatabase(dialect);
    await buildOrganization(t.db);
    const admin = await buildStaff(t.db, ['admin'], options.admin);
    Object.assign(firm, { t, db: t.db, admin, app: buildApp(t.db) });
  });
  afterEach(() => firm.t.close());
  return firm;
}
