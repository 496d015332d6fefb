/**
 * SQLite's planner statistics: gathered on opening and by the hourly cleanup for the tables whose
 * shape matters (users, bindings), never kept for the volatile ones. Statistics taken while the
 * sessions table held two rows made every signed-in request scan it as it grew.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSession } from '../../src/auth/sessions.js';
import { type Db, openDatabase } from '../../src/db/connect.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { tidyKernel } from '../../src/host/tidy.js';
import { buildStaff } from '../helpers/factories.js';

/** How SQLite would run the session lookup of every signed-in request. */
async function sessionLookupPlan(db: Db): Promise<string> {
  const rows = await sql<{ detail: string }>`explain query plan
    select s.id, u.email from sessions s join users u on u.id = s.user_id where s.id = ${'x'}`.execute(db);
  return rows.rows.map((r) => r.detail).join('; ');
}

const statisticsOf = async (db: Db) =>
  (await sql<{ tbl: string }>`select distinct tbl from sqlite_stat1 order by tbl`.execute(db)).rows.map(
    (r) => r.tbl,
  );

describe('planner statistics (sqlite)', () => {
  let dir: string;
  let url: string;
  let db: Db;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-plan-'));
    url = `sqlite:${path.join(dir, 'portico.db')}`;
    db = openDatabase(url);
    await migrateToLatest(db);
    for (let i = 0; i < 30; i++) await buildStaff(db);
    const someone = await buildStaff(db);
    await createSession(db, someone.id);
    await createSession(db, someone.id);
    await db.destroy();
    db = openDatabase(url);
  });

  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('on opening: statistics for users, none for sessions, so the lookup seeks its session by key', async () => {
    const tables = await statisticsOf(db);
    expect(tables).toContain('users');
    expect(tables).not.toContain('sessions');
    expect(await sessionLookupPlan(db)).toMatch(/SEARCH s USING (INDEX|PRIMARY KEY)/);
  });

  it('after the hourly cleanup re-analyzes, the same', async () => {
    // What the cleanup's PRAGMA optimize would do to a table it finds changed.
    await sql`analyze sessions`.execute(db);
    await tidyKernel(db);
    expect(await statisticsOf(db)).not.toContain('sessions');
    expect(await sessionLookupPlan(db)).toMatch(/SEARCH s USING (INDEX|PRIMARY KEY)/);
  });
});
