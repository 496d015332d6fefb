/**
 * Password hashing (argon2id with OWASP's parameters) and the password rule. When an email is
 * unknown the caller verifies against a dummy hash so the time taken reveals nothing.
 */
type Argon2 = typeof import('@node-rs/argon2');
let argon2: Promise<Argon2> | undefined;
/** Loaded at the first sign-in, not at start: it is ~10 MB that most requests never need. */
const loadArgon2 = () => {
  argon2 ??= import('@node-rs/argon2');
  return argon2;
};

const OPTIONS = { memoryCost: 19456, timeCost: 2, outputLen: 32, parallelism: 1 } as const;

export const PASSWORD_MIN = 12;
export const PASSWORD_MAX = 256;

export async function hashPassword(password: string): Promise<string> {
  return (await loadArgon2()).hash(password, OPTIONS);
}

let dummy: Promise<string> | undefined;

/** Verifies against `stored`, or against a dummy hash when there is none, taking the same time. */
export async function verifyPassword(stored: string | null, password: string): Promise<boolean> {
  dummy ??= hashPassword('portico-dummy-password-for-timing');
  const target = stored ?? (await dummy);
  try {
    const ok = await (await loadArgon2()).verify(target, password);
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
