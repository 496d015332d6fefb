/** Telling a broken unique rule apart from other database errors, on both dialects. */

/** True for a unique or primary-key violation (SQLite SQLITE_CONSTRAINT_*, PostgreSQL 23505). */
export function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** True for a foreign-key violation (SQLite SQLITE_CONSTRAINT_FOREIGNKEY, PostgreSQL 23503). */
export function isForeignKeyViolation(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '23503' || code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}

/**
 * Runs a write and turns a unique violation (or the violation `is` names) into the caller's error:
 * the check before the write gives the friendly message, this catches the request that raced past it.
 */
export async function uniqueOr<T>(
  write: Promise<T>,
  onViolation: () => Error,
  is: (error: unknown) => boolean = isUniqueViolation,
): Promise<T> {
  try {
    return await write;
  } catch (error) {
    throw is(error) ? onViolation() : error;
  }
}
