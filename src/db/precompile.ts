/**
 * Compiles a query once and then runs it with new argument values. On the hot path (every signed-in
 * request) Kysely's builder and compiler cost several times what SQLite takes to answer, so the
 * session and role-binding lookups are built once per app. Arguments stand in as unique marks at
 * compile time and are swapped into the parameter list by position; the SQL never changes.
 */
import type { Compilable, CompiledQuery } from 'kysely';
import type { Db } from './connect.js';

export function precompile<A extends unknown[], R>(
  db: Db,
  arity: A['length'],
  build: (...args: A) => Compilable<R>,
) {
  let compiled: { query: CompiledQuery<R>; slots: number[] } | undefined;
  return async function run(...args: A): Promise<R[]> {
    if (!compiled) {
      const marks = Array.from({ length: arity }, (_, i) => `\u0000precompiled-argument-${i}\u0000`);
      const query = build(...(marks as A)).compile();
      const slots = query.parameters.map((p) => marks.indexOf(p as string));
      for (let i = 0; i < arity; i++) {
        if (!slots.includes(i))
          throw new Error(`precompile: argument ${i} does not reach the query as a parameter`);
      }
      compiled = { query, slots };
    }
    const { query, slots } = compiled;
    const parameters = query.parameters.map((p, i) => (slots[i]! >= 0 ? args[slots[i]!] : p));
    return (await db.executeQuery<R>({ ...query, parameters })).rows;
  };
}
