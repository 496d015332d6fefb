/** Telling a broken unique rule apart from other database errors, on both dialects. */

/** True for a unique or primary-key violation (SQLite SQLITE_CONSTRAINT_*, PostgreSQL 23505). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/**
 * Runs a write and turns a unique violation into the caller's error: the check before the write
 * gives the friendly message, this catches the request that raced past it.
 */
export async function uniqueOr<T>(write: Promise<T>, onViolation: () => Error): Promise<T> {
  try {
    return await write;
  } catch (error) {
    throw isUniqueViolation(error) ? onViolation() : error;
  }
}
