/**
 * The directory's search index (migration 0008) answers exactly what "contains, ignoring case"
 * answers, whatever wrote the rows: rows written before the migration (its backfill), inserts,
 * renames and deletes made straight in SQL, short terms (read without the index), and terms with
 * the characters that mean something to FTS, LIKE or JSON.
 */
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { containsInsensitive, searchMatches } from '../../src/http/search.js';
import { DIALECTS, freshDatabase, type TestDb } from '../helpers/db.js';
import { buildContact, buildEntity } from '../helpers/factories.js';

async function entitiesMatching(db: Db, term: string): Promise<string[]> {
  const rows = await db
    .selectFrom('entities as e')
    .select('e.name')
    .where(searchMatches(db, 'entity', 'e', term))
    .orderBy('e.name')
    .execute();
  return rows.map((r) => r.name);
}

async function peopleMatching(db: Db, term: string): Promise<string[]> {
  const rows = await db
    .selectFrom('users as u')
    .select('u.email')
    .where(searchMatches(db, 'user', 'u', term))
    .orderBy('u.email')
    .execute();
  return rows.map((r) => r.email);
}

describe.each(DIALECTS)('the directory search index (%s)', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDatabase(dialect);
  });
  afterEach(() => t.close());

  it('finds an entity by any part of its name, reference or email, ignoring case', async () => {
    await buildEntity(t.db, 'Riverside Holdings', {
      reference: 'RV-204',
      email: 'accounts@riverside.example',
    });
    await buildEntity(t.db, 'Harbour Trust', { reference: 'HB-1', email: 'info@harbour.example' });
    expect(await entitiesMatching(t.db, 'SIDE HOL')).toEqual(['Riverside Holdings']);
    expect(await entitiesMatching(t.db, 'rv-2')).toEqual(['Riverside Holdings']);
    expect(await entitiesMatching(t.db, 'example')).toEqual(['Harbour Trust', 'Riverside Holdings']);
    expect(await entitiesMatching(t.db, 'hb')).toEqual(['Harbour Trust']);
    expect(await entitiesMatching(t.db, 'trusty')).toEqual([]);
  });

  it('follows renames and deletes made by any writer', async () => {
    const id = await buildEntity(t.db, 'Riverside Holdings');
    await t.db.updateTable('entities').set({ name: 'Lakeside Partners' }).where('id', '=', id).execute();
    expect(await entitiesMatching(t.db, 'riverside')).toEqual([]);
    expect(await entitiesMatching(t.db, 'lakeside')).toEqual(['Lakeside Partners']);
    await t.db.deleteFrom('entities').where('id', '=', id).execute();
    expect(await entitiesMatching(t.db, 'lakeside')).toEqual([]);
  });

  it('finds a person by email, first name, last name or "first last", and follows changes', async () => {
    const grace = await buildContact(t.db, null, {
      firstName: 'Grace',
      lastName: 'Hopper',
      email: 'grace@navy.example',
    });
    await buildContact(t.db, null, { firstName: 'Ada', lastName: 'Lovelace', email: 'ada@engine.example' });
    expect(await peopleMatching(t.db, 'grace hop')).toEqual(['grace@navy.example']);
    expect(await peopleMatching(t.db, 'LOVE')).toEqual(['ada@engine.example']);
    expect(await peopleMatching(t.db, 'navy.ex')).toEqual(['grace@navy.example']);
    await t.db.updateTable('users').set({ last_name: 'Brewster' }).where('id', '=', grace.id).execute();
    expect(await peopleMatching(t.db, 'hopper')).toEqual([]);
    expect(await peopleMatching(t.db, 'grace brew')).toEqual(['grace@navy.example']);
    await t.db.deleteFrom('users').where('id', '=', grace.id).execute();
    expect(await peopleMatching(t.db, 'grace')).toEqual([]);
  });

  it('treats quotes, wildcards and FTS syntax in a term as plain text', async () => {
    await buildEntity(t.db, 'O"Brien & Sons 100%', { reference: 'A_B' });
    await buildEntity(t.db, 'Other', { reference: 'AXB' });
    expect(await entitiesMatching(t.db, 'o"brien')).toEqual(['O"Brien & Sons 100%']);
    expect(await entitiesMatching(t.db, '100%')).toEqual(['O"Brien & Sons 100%']);
    expect(await entitiesMatching(t.db, 'a_b')).toEqual(['O"Brien & Sons 100%']);
    expect(await entitiesMatching(t.db, '%')).toEqual(['O"Brien & Sons 100%']);
    expect(await entitiesMatching(t.db, 'sons OR other')).toEqual([]);
    expect(await entitiesMatching(t.db, '"*')).toEqual([]);
  });

  it.runIf(dialect === 'sqlite')('indexes the rows that were there before the migration', async () => {
    // Undo 0006, write rows, and run it again: its backfill must index them.
    const { down, up } = await import('../../migrations/0008_search.js');
    await down(t.db);
    await buildEntity(t.db, 'Riverside Holdings');
    await buildContact(t.db, null, { firstName: 'Grace', lastName: 'Hopper', email: 'grace@navy.example' });
    await up(t.db);
    expect(await entitiesMatching(t.db, 'riverside')).toEqual(['Riverside Holdings']);
    expect(await peopleMatching(t.db, 'grace hop')).toEqual(['grace@navy.example']);
    const { rows } = await sql<{ n: number }>`select count(*) as n from entity_search_rows`.execute(t.db);
    expect(Number(rows[0]?.n)).toBe(1);
  });

  it('a term holding NUL matches nothing, long or short, and never fails the query', async () => {
    await buildEntity(t.db, 'Clearwater Holdings');
    await buildContact(t.db, null, { firstName: 'Grace', lastName: 'Hopper', email: 'grace@navy.example' });
    for (const term of ['a\u0000b', 'Clear\u0000water', '\u0000', 'Clearwater\u0000']) {
      expect(await entitiesMatching(t.db, term), JSON.stringify(term)).toEqual([]);
      expect(await peopleMatching(t.db, term), JSON.stringify(term)).toEqual([]);
      const rows = await t.db
        .selectFrom('entities as e')
        .select('e.name')
        .where((eb) => containsInsensitive(eb.ref('e.name'), term))
        .execute();
      expect(rows).toEqual([]);
    }
  });

  it.runIf(dialect === 'postgres')(
    'serves a search from the pg_trgm indexes when the extension is there',
    async () => {
      const { rows } = await sql<{ n: string }>`select count(*) as n from pg_indexes
      where schemaname = current_schema() and indexname like '%_search_%'`.execute(t.db);
      expect(Number(rows[0]?.n)).toBe(7);
    },
  );
});
