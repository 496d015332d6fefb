/**
 * Compiles a query once per dialect and then runs it with new argument values. On the hot path
 * (every signed-in request) Kysely's builder and compiler cost several times what SQLite takes to
 * answer, so the session, role-binding and first-page queries are compiled once. Arguments stand in
 * as unique marks at compile time and are swapped into the parameter list by position; the SQL
 * text never changes, so no value can reach it.
 *
 * @example
 * const findSession = precompiled(1, (db, id: string) => db.selectFrom('sessions').selectAll().where('id', '=', id));
 * const rows = await findSession(db, hashedId);
 */
import type { Compilable, CompiledQuery, DialectAdapter } from 'kysely';
import type { Db } from './connect.js';

export function precompiled<A extends unknown[], R>(
  arity: A['length'],
  build: (db: Db, ...args: A) => Compilable<R>,
): (db: Db, ...args: A) => Promise<R[]> {
  const byDialect = new WeakMap<DialectAdapter, { query: CompiledQuery<R>; slots: number[] }>();
  return async function run(db, ...args) {
    const adapter = db.getExecutor().adapter;
    let compiled = byDialect.get(adapter);
    if (!compiled) {
      const marks = Array.from({ length: arity }, (_, i) => `\u0000precompiled-argument-${i}\u0000`);
      const query = build(db, ...(marks as A)).compile();
      const slots = query.parameters.map((p) => marks.indexOf(p as string));
      for (let i = 0; i < arity; i++) {
        if (!slots.includes(i))
          throw new Error(`precompiled: argument ${i} does not reach the query as a parameter`);
      }
      compiled = { query, slots };
      byDialect.set(adapter, compiled);
    }
    const { query, slots } = compiled;
    const parameters = query.parameters.map((p, i) => (slots[i]! >= 0 ? args[slots[i]!] : p));
    return (await db.executeQuery<R>({ ...query, parameters })).rows;
  };
}
