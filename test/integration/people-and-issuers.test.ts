/**
 * Who a person is (src/permissions/lookups.ts), and whether a password or set-password link
 * someone gave them still counts (src/permissions/credentials.ts): only while the giver exists, is
 * enabled and may still manage them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { issuerMayStillManage } from '../../src/permissions/credentials.js';
import { personById, personByNormalizedEmail } from '../../src/permissions/lookups.js';
import { DIALECTS, freshDatabase, type TestDb } from '../helpers/db.js';
import { buildStaff } from '../helpers/factories.js';

describe.each(DIALECTS)('people and the links they were given (%s)', (dialect) => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDatabase(dialect);
  });
  afterEach(() => t.close());

  const disable = (id: string) =>
    t.db.updateTable('users').set({ disabled_at: Date.now() }).where('id', '=', id).execute();

  it('finds a person by id or email, saying whether they are disabled', async () => {
    const ann = await buildStaff(t.db, [], { email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' });
    const found = { id: ann.id, kind: 'staff', email: 'ann@example.com', firstName: 'Ann', lastName: 'Lee' };
    expect(await personById(t.db, ann.id)).toEqual({ ...found, disabled: false });
    await disable(ann.id);
    expect(await personByNormalizedEmail(t.db, 'ann@example.com')).toEqual({ ...found, disabled: true });
    expect(await personById(t.db, ann.id)).toEqual({ ...found, disabled: true });
    expect(await personById(t.db, 'nobody')).toBeUndefined();
  });

  it('a link counts while its giver may manage the person; not once the giver is disabled or gone', async () => {
    const giver = await buildStaff(t.db, ['staff_admin']);
    const hire = await buildStaff(t.db, []);
    expect(await issuerMayStillManage(t.db, null, hire.id)).toBe(true);
    expect(await issuerMayStillManage(t.db, hire.id, hire.id)).toBe(true);
    expect(await issuerMayStillManage(t.db, giver.id, hire.id)).toBe(true);
    expect(await issuerMayStillManage(t.db, 'no-such-giver', hire.id)).toBe(false);
    expect(await issuerMayStillManage(t.db, giver.id, 'no-such-person')).toBe(false);
    await disable(giver.id);
    expect(await issuerMayStillManage(t.db, giver.id, hire.id)).toBe(false);
  });

  it("a person's own credential is never judged as a giver's, even once they are disabled", async () => {
    // Refusing a disabled account is the sign-in gate's job, which records why in the audit log; a
    // giver check here would refuse first, silently, as it does a wrong password.
    const self = await buildStaff(t.db, []);
    await disable(self.id);
    expect(await issuerMayStillManage(t.db, self.id, self.id)).toBe(true);
    expect(await issuerMayStillManage(t.db, null, self.id)).toBe(true);
  });
});
