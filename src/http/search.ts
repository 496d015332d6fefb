/** Case-insensitive "contains" search that behaves the same on SQLite and PostgreSQL. */
import { type Expression, type SqlBool, sql } from 'kysely';

export function escapeLike(term: string): string {
  return term.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** `lower(column) LIKE %term%`, with the term bound as a parameter and its wildcards escaped. */
export function containsInsensitive(column: Expression<string>, term: string): Expression<SqlBool> {
  return sql<SqlBool>`lower(${column}) like ${`%${escapeLike(term.toLowerCase())}%`} escape '\\'`;
}

export const PAGE_SIZE = 25;

export function pageNumber(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isInteger(n) && n >= 1 && n <= 100000 ? n : 1;
}
