/**
 * Values kept in memory while the data they were made from is unchanged. Each entry is filed under
 * the change count (src/db/change-counters.ts) read before its rows were, so an entry is served
 * only while the database says nothing it depends on has changed since, whichever process changed
 * it. One cache per app, since counts of different databases mean nothing to each other.
 *
 * @example
 * const teams = new VersionedCache<string>(1);
 * const html = await teams.get('team', counts.users, () => renderTeam(db));
 */
export class VersionedCache<T> {
  readonly #entries = new Map<string, { version: number; value: T }>();

  constructor(private readonly maxEntries = 100) {}

  async get(key: string, version: number, build: () => Promise<T>): Promise<T> {
    const hit = this.#entries.get(key);
    if (hit && hit.version === version) return hit.value;
    const value = inOnePiece(await build());
    // A slower request may finish after a newer one: keep whichever saw the later count.
    const now = this.#entries.get(key);
    if (!now || now.version <= version) {
      if (!now && this.#entries.size >= this.maxEntries) {
        this.#entries.delete(this.#entries.keys().next().value as string);
      }
      this.#entries.set(key, { version, value });
    }
    return value;
  }
}

/**
 * A kept string (or hono's String of markup), stored in one piece. Markup is built by appending
 * hundreds of small pieces, which V8 keeps as a tree of them; every page that writes a kept tree
 * walks it again (~5 µs a page for the three home panels, `npm run bench`). Measuring the string's
 * UTF-8 length makes V8 copy it into one piece, in place, once.
 */
export function inOnePiece<T>(value: T): T {
  if (typeof value === 'string' || value instanceof String) Buffer.byteLength(String(value));
  return value;
}
