/** Passwords are argon2id; an unknown account is verified against a dummy hash, taking the same work. */
import { afterEach, describe, expect, it, vi } from 'vitest';

const verifyCalls: string[] = [];
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const real = await importOriginal<typeof import('@node-rs/argon2')>();
  return {
    ...real,
    verify: (hash: string, password: string) => {
      verifyCalls.push(hash);
      return real.verify(hash, password);
    },
  };
});

const { hashPassword, passwordProblem, verifyPassword } = await import('../../src/auth/password.js');

describe('passwords', () => {
  afterEach(() => {
    verifyCalls.length = 0;
  });

  it('hashes with argon2id and verifies only the right password', async () => {
    const hash = await hashPassword('a long enough password');
    expect(hash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(hash, 'a long enough password')).toBe(true);
    expect(await verifyPassword(hash, 'a long enough passworD')).toBe(false);
  });

  it('runs a full argon2 verification even when there is no account, and says no', async () => {
    expect(await verifyPassword(null, 'whatever it is')).toBe(false);
    expect(verifyCalls).toHaveLength(1);
    expect(verifyCalls[0]).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it('asks for at least 12 characters', () => {
    expect(passwordProblem('short')).toBe('Use at least 12 characters.');
    expect(passwordProblem('twelve chars')).toBeNull();
  });
});
