/**
 * Password hashing (argon2id with OWASP's parameters) and the password rule. When an email is
 * unknown the caller verifies against a dummy hash so the time taken reveals nothing.
 */
import { hash, verify } from '@node-rs/argon2';

const OPTIONS = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 } as const;

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

let dummy: Promise<string> | undefined;

/** Verifies against `stored`, or against a dummy hash when there is none, taking the same time. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  dummy ??= hash('portico-dummy-password-for-timing', OPTIONS);
  const target = stored ?? (await dummy);
  try {
    const ok = await verify(target, password);
    return stored !== null && ok;
  } catch {
    return false;
  }
}

/** The message to show beside a password field, or null when the password is acceptable. */
export function passwordProblem(password: string): string | null {
  if (password.length < PASSWORD_MIN) return `Use at least ${PASSWORD_MIN} characters.`;
  if (password.length > PASSWORD_MAX) return `Use at most ${PASSWORD_MAX} characters.`;
  return null;
}
