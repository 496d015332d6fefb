/**
 * The sign-in throttle's arithmetic, told apart by mutation testing: free attempts, then a wait
 * that doubles; a refusal under one key counts nothing under the others; a count is forgotten
 * after an hour without attempts; a success clears the account's count and gives the address its
 * attempt back; IPv6 clients are keyed by their /64, however their address is written.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  accountKey,
  addressKey,
  claimAttempt,
  clearAfterSuccess,
  forgetOldAttempts,
  secondsToWait,
} from '../../src/auth/throttle.js';
import { freshDatabase, type TestDb } from '../helpers/db.js';

const MINUTE = 60 * 1000;
const EMAIL = 'grace@example.com';
const IP = '203.0.113.9';

describe('the sign-in throttle', () => {
  let t: TestDb;
  beforeEach(async () => {
    t = await freshDatabase('sqlite');
  });
  afterEach(() => t.close());

  const count = async (key: string) =>
    (await t.db.selectFrom('sign_in_throttle').selectAll().where('key', '=', key).executeTakeFirst()) ?? null;
  const attempts = async (keys: string[], n: number, at: number) => {
    const waits: number[] = [];
    for (let i = 0; i < n; i++) waits.push(await claimAttempt(t.db, keys, at));
    return waits;
  };

  it('lets five attempts through, then makes the sixth wait a second, doubling after', async () => {
    const keys = [accountKey(EMAIL), addressKey(IP)];
    const now = Date.now();
    expect(await attempts(keys, 5, now)).toEqual([0, 0, 0, 0, 0]);
    expect(await claimAttempt(t.db, keys, now)).toBe(1000);
    expect(await claimAttempt(t.db, keys, now + 1000)).toBe(0);
    expect(await claimAttempt(t.db, keys, now + 1000)).toBe(2000);
  });

  it('a wait owed under one key refuses the attempt and counts nothing under the others', async () => {
    const now = Date.now();
    // Six failures from this address against other accounts.
    for (let i = 0; i < 6; i++)
      await claimAttempt(t.db, [accountKey(`other${i}@example.com`), addressKey(IP)], now);
    expect(await claimAttempt(t.db, [accountKey(EMAIL), addressKey(IP)], now)).toBeGreaterThan(0);
    expect(await count(accountKey(EMAIL))).toBeNull();
  });

  it('starts a count again after an hour without attempts, and keeps it until then', async () => {
    const keys = [accountKey(EMAIL)];
    const now = Date.now();
    await attempts(keys, 7, now - 61 * MINUTE);
    expect(await claimAttempt(t.db, keys, now)).toBe(0);
    expect((await count(accountKey(EMAIL)))?.failures).toBe(1);
    // Within the hour the count stands: four more a minute later, and the next one waits.
    expect(await attempts(keys, 4, now + MINUTE)).toEqual([0, 0, 0, 0]);
    expect(await claimAttempt(t.db, keys, now + MINUTE)).toBe(1000);
  });

  it('a count whose last attempt was exactly an hour ago still stands', async () => {
    const keys = [accountKey(EMAIL)];
    const now = Date.now();
    await attempts(keys, 5, now - 60 * MINUTE);
    expect(await claimAttempt(t.db, keys, now)).toBe(0);
    expect((await count(accountKey(EMAIL)))?.failures).toBe(6);
  });

  it('a success clears the account’s count and gives the address its attempt back', async () => {
    const keys = [accountKey(EMAIL), addressKey(IP)];
    const now = Date.now();
    await attempts(keys, 4, now);
    await clearAfterSuccess(t.db, EMAIL, IP);
    expect(await count(accountKey(EMAIL))).toBeNull();
    expect((await count(addressKey(IP)))?.failures).toBe(3);
    // A count at zero stays at zero.
    await t.db.updateTable('sign_in_throttle').set({ failures: 0 }).execute();
    await clearAfterSuccess(t.db, EMAIL, IP);
    expect((await count(addressKey(IP)))?.failures).toBe(0);
  });

  it('forgets a count only once nobody has added to it for an hour and the longest wait', async () => {
    const now = Date.now();
    await claimAttempt(t.db, [addressKey('198.51.100.1')], now - 50 * MINUTE);
    await claimAttempt(t.db, [addressKey('198.51.100.2')], now - 80 * MINUTE);
    await forgetOldAttempts(t.db, now);
    const kept = await t.db.selectFrom('sign_in_throttle').select('key').execute();
    expect(kept.map((r) => r.key)).toEqual(['ip:198.51.100.1']);
  });

  it.each([
    ['::1', 'ip:0:0:0:0::/64'],
    ['2001:db8::', 'ip:2001:db8:0:0::/64'],
    ['::ffff:198.51.100.7', 'ip:198.51.100.7'],
  ])('keys %s as %s', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });

  it.each([
    [1, 1, '1 second'],
    [1000, 1, '1 second'],
    [1001, 2, '2 seconds'],
    [15 * MINUTE, 900, '900 seconds'],
  ])('tells a wait of %i ms as %i (%s), rounded up', (ms, seconds, words) => {
    expect(secondsToWait(ms)).toEqual({ seconds, words });
  });
});
