/**
 * Case-insensitive "contains" search that behaves the same on SQLite and PostgreSQL, and the
 * directory's indexed form of it (migration 0008): a row matches when the term occurs in one of
 * its searched fields. Queries call these; they never decide access.
 */
import { type Expression, PostgresAdapter, type SqlBool, sql } from 'kysely';
import type { Db } from '../db/connect.js';

export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/**
 * No stored text holds NUL (the boundary refuses it; PostgreSQL cannot store it), so a term with
 * one matches nothing, and is never sent: an FTS5 phrase and a PostgreSQL parameter both choke on it.
 */
const holdsNul = (term: string) => term.includes('\u0000');

/** `lower(column) LIKE %term%`, with the term bound as a parameter and its wildcards escaped. */
export function containsInsensitive(column: Expression<string>, term: string): Expression<SqlBool> {
  // No stored text holds NUL (see holdsNul), and PostgreSQL refuses one in a parameter.
  if (holdsNul(term)) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`lower(${column}) like ${`%${escapeLike(term.toLowerCase())}%`} escape '\\'`;
}

/** The searched fields of each indexed table, as the FTS columns of migration 0008 hold them. */
const INDEXES = {
  entity: { fts: 'entity_search', idColumn: 'entity_id', fields: ['name', 'reference', 'email'] },
  user: {
    fts: 'user_search',
    idColumn: 'user_id',
    fields: ['email', 'first_name', 'last_name', 'full_name'],
  },
} as const;

/** A field as an expression on the table's alias in the query (`full_name` is "first last"). */
function field(alias: string, name: string): Expression<string> {
  if (name === 'full_name')
    return sql<string>`${sql.ref(`${alias}.first_name`)} || ' ' || ${sql.ref(`${alias}.last_name`)}`;
  return sql.ref(`${alias}.${name}`);
}

/**
 * Rows of `entities` (index 'entity') or `users` (index 'user'), named `alias` in the query, with
 * `term` in a searched field (case-insensitive; entities: name, reference, email; people: email,
 * first name, last name, "first last"). The same answer everywhere, read from an index where there
 * is one: on SQLite a term of three characters or more is looked up in the trigram FTS table (a
 * trigram index cannot look up shorter ones, which fall back to reading every row), and on
 * PostgreSQL the planner serves this LIKE from the pg_trgm indexes when the extension is there.
 * @example query.where(searchMatches(db, 'entity', 'e', q))
 */
export function searchMatches(
  db: Db,
  index: keyof typeof INDEXES,
  alias: string,
  term: string,
): Expression<SqlBool> {
  if (holdsNul(term)) return sql<SqlBool>`1 = 0`;
  const { fts, idColumn, fields } = INDEXES[index];
  const indexed = !(db.getExecutor().adapter instanceof PostgresAdapter) && [...term].length >= 3;
  if (indexed) {
    // One FTS phrase: the trigram tokenizer matches it as a substring of one column.
    const phrase = `"${term.replaceAll('"', '""')}"`;
    return sql<SqlBool>`${sql.ref(`${alias}.id`)} in (select r.${sql.raw(idColumn)} from ${sql.raw(`${fts}_rows`)} r
      where r.rowid in (select rowid from ${sql.raw(fts)} where ${sql.raw(fts)} match ${phrase}))`;
  }
  return sql<SqlBool>`(${sql.join(
    fields.map((f) => containsInsensitive(field(alias, f), term)),
    sql` or `,
  )})`;
}

export const PAGE_SIZE = 25;

/** Every match's count beside each row of a page: `count(*) over ()`, as `total`. */
export const windowCount = sql<number>`count(*) over ()`.as('total');

/**
 * A page whose rows carry `total` (windowCount) as rows and a total. A later page past the last
 * match has no row to carry it: only then does `count` run, as a statement of its own.
 */
export async function withTotal<Row extends { total: number | string }>(
  rows: Row[],
  page: number,
  count: () => Promise<number>,
): Promise<{ rows: Omit<Row, 'total'>[]; total: number }> {
  const total = rows[0] ? Number(rows[0].total) : page > 1 ? await count() : 0;
  return { rows: rows.map(({ total: _, ...row }) => row), total };
}

export function pageNumber(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 100000 ? n : 1;
}
