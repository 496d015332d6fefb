/** Expired sessions, links and sign-in counts are deleted; live ones stay. */
import { describe, expect, it } from 'vitest';
import { createPasswordToken } from '../../src/auth/password-tokens.js';
import { createSession } from '../../src/auth/sessions.js';
import { claimAttempt } from '../../src/auth/throttle.js';
import { cleanupExpired } from '../../src/jobs/cleanup.js';
import { DIALECTS } from '../helpers/db.js';
import { useFirm } from '../helpers/firm.js';

const DAY = 24 * 60 * 60 * 1000;

describe.each(DIALECTS)('cleanup (%s)', (dialect) => {
  const firm = useFirm(dialect);

  it('deletes only what has expired', async () => {
    const now = Date.now();
    await createSession(firm.db, firm.admin.id, now - 31 * DAY);
    const live = await createSession(firm.db, firm.admin.id, now);
    await createPasswordToken(firm.db, firm.admin.id, null, now - 4 * DAY);
    await claimAttempt(firm.db, ['ip:198.51.100.1'], now - 2 * DAY);
    await claimAttempt(firm.db, ['ip:198.51.100.2'], now);
    await firm.db.insertInto('setup_tokens').values({ id: 'stale', created_at: now }).execute();

    await cleanupExpired(firm.db, now);

    expect((await firm.db.selectFrom('sessions').select('id').execute()).map((r) => r.id)).toEqual([live.id]);
    expect(await firm.db.selectFrom('password_tokens').selectAll().execute()).toEqual([]);
    expect((await firm.db.selectFrom('sign_in_throttle').select('key').execute()).map((r) => r.key)).toEqual([
      'ip:198.51.100.2',
    ]);
    expect(await firm.db.selectFrom('setup_tokens').selectAll().execute()).toEqual([]);
  });
});
