/** Precompiled queries give the same answers as built ones, with each call's own values. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.js';
import { precompiled } from '../../src/db/precompile.js';
import { DIALECTS, freshDatabase, type TestDb } from '../helpers/db.js';
import { buildStaff } from '../helpers/factories.js';

const byEmailAndKind = precompiled(2, (db: Db, email: string, kind: 'staff' | 'contact') =>
  db
    .selectFrom('users')
    .select(['id', 'email'])
    .where('email_normalized', '=', email)
    .where('kind', '=', kind)
    .limit(5),
);

describe.each(DIALECTS)('precompiled queries (%s)', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDatabase(dialect);
  });
  afterEach(() => t.close());

  it('runs with each call’s own arguments, keeping constant parameters', async () => {
    const a = await buildStaff(t.db, [], { email: 'a@example.com' });
    const b = await buildStaff(t.db, [], { email: 'b@example.com' });
    expect(await byEmailAndKind(t.db, 'a@example.com', 'staff')).toEqual([
      { id: a.id, email: 'a@example.com' },
    ]);
    expect(await byEmailAndKind(t.db, 'b@example.com', 'staff')).toEqual([
      { id: b.id, email: 'b@example.com' },
    ]);
    expect(await byEmailAndKind(t.db, 'b@example.com', 'contact')).toEqual([]);
    expect(await byEmailAndKind(t.db, "' or 1=1 --", 'staff')).toEqual([]);
  });

  it('refuses a query whose argument never becomes a parameter', async () => {
    const broken = precompiled(1, (db: Db, _unused: string) => db.selectFrom('users').select('id'));
    await expect(broken(t.db, 'x')).rejects.toThrow(/argument 0 does not reach the query/);
  });
});
