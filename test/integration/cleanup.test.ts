/**
 * Expired sessions, links, sign-in counts and old email jobs are deleted, each by the schedule of
 * the feature that owns them (run here as the app's tick and worker run them); live ones stay.
 */
import { describe, expect, it } from 'vitest';
import { createPasswordToken } from '../../src/auth/password-tokens.js';
import { createSession } from '../../src/auth/sessions.js';
import { claimAttempt } from '../../src/auth/throttle.js';
import { DIALECTS } from '../helpers/db.js';
import { useFirm } from '../helpers/firm.js';
import { runSchedules } from '../helpers/jobs.js';

const DAY = 24 * 60 * 60 * 1000;

describe.each(DIALECTS)('cleanup (%s)', (dialect) => {
  const firm = useFirm(dialect);

  it('deletes only what has expired', async () => {
    const now = Date.now();
    await createSession(firm.db, firm.admin.id, now - 31 * DAY);
    const live = await createSession(firm.db, firm.admin.id, now);
    await createPasswordToken(firm.db, firm.admin.id, null, undefined, now - 4 * DAY);
    await claimAttempt(firm.db, ['ip:198.51.100.1'], now - 2 * DAY);
    await claimAttempt(firm.db, ['ip:198.51.100.2'], now);
    await firm.db.insertInto('setup_tokens').values({ id: 'stale', created_at: now }).execute();
    const link = (id: string, expiresAt: number) => ({
      id,
      user_id: firm.admin.id,
      email_normalized: firm.admin.email_normalized,
      purpose: 'sign_in' as const,
      created_at: expiresAt - 600_000,
      expires_at: expiresAt,
      used_at: null,
    });
    // An ended link is kept a day, so its page can still send a new one to the same address.
    await firm.db
      .insertInto('sign_in_links')
      .values([link('ended-long-ago', now - DAY - 1), link('ended-lately', now - 1000)])
      .execute();

    await runSchedules(firm.db, firm.assembly.host, now);

    expect((await firm.db.selectFrom('sign_in_links').select('id').execute()).map((r) => r.id)).toEqual([
      'ended-lately',
    ]);

    expect((await firm.db.selectFrom('sessions').select('id').execute()).map((r) => r.id)).toEqual([live.id]);
    expect(await firm.db.selectFrom('password_tokens').selectAll().execute()).toEqual([]);
    expect((await firm.db.selectFrom('sign_in_throttle').select('key').execute()).map((r) => r.key)).toEqual([
      'ip:198.51.100.2',
    ]);
    expect(await firm.db.selectFrom('setup_tokens').selectAll().execute()).toEqual([]);
  });

  it('forgets sent emails after a week, failed ones and outbox messages after 30 days; never a queued one', async () => {
    const now = Date.now();
    const job = (id: string, status: 'queued' | 'done' | 'failed', age: number) => ({
      id,
      kind: 'mail.send',
      payload: '{}',
      status,
      run_at: now - age,
      attempts: 1,
      max_attempts: 10,
      locked_by: null,
      locked_until: null,
      last_error: null,
      created_at: now - age,
      done_at: status === 'queued' ? null : now - age,
    });
    await firm.db
      .insertInto('jobs')
      .values([
        job('sent-old', 'done', 8 * DAY),
        job('sent-new', 'done', 6 * DAY),
        job('failed-old', 'failed', 31 * DAY),
        job('failed-new', 'failed', 8 * DAY),
        job('queued-old', 'queued', 60 * DAY),
      ])
      .execute();
    const message = (id: string, age: number) => ({
      id,
      to_address: 'a@example.com',
      from_address: 'p@example.com',
      reply_to: null,
      subject: 's',
      text_body: 't',
      html_body: 'h',
      kind: 'test',
      created_at: now - age,
    });
    await firm.db
      .insertInto('outbox_messages')
      .values([message('old', 31 * DAY), message('new', 29 * DAY)])
      .execute();

    await runSchedules(firm.db, firm.assembly.host, now);

    const jobs = await firm.db
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', 'mail.send')
      .orderBy('id')
      .execute();
    expect(jobs.map((r) => r.id)).toEqual(['failed-new', 'queued-old', 'sent-new']);
    const kept = await firm.db.selectFrom('outbox_messages').select('id').execute();
    expect(kept.map((r) => r.id)).toEqual(['new']);
  });
});
