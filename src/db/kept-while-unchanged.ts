/**
 * Answers kept while the SQLite database has not changed (`changeToken`): any write of this
 * connection, or a commit of another, drops them all, so a kept answer is exactly what asking again
 * would return. On PostgreSQL, which has no such signal as cheap as the answers, nothing is kept.
 * For answers asked far more often than anything is written: a session's row, a folder's count.
 */
import { changeToken, type Db } from './connect.js';

export class KeptWhileUnchanged<T> {
  readonly #kept = new WeakMap<Db, { token: string; answers: Map<string, T> }>();

  /**
   * `maxKept` bounds the answers kept between two changes; past it, answers are asked, not kept.
   * "Nothing found" (undefined) is never kept, so keys made up by a stranger (a random cookie) do
   * not fill the room.
   */
  constructor(private readonly maxKept: number) {}

  /** The answer for `key`, from `ask` unless it is kept. The token is read first: see changeToken. */
  async get(db: Db, key: string, ask: () => Promise<T>): Promise<T> {
    const token = changeToken(db);
    if (token === null) return ask();
    let seen = this.#kept.get(db);
    if (seen?.token !== token) {
      seen = { token, answers: new Map() };
      this.#kept.set(db, seen);
    }
    const hit = seen.answers.get(key);
    if (hit !== undefined) return hit;
    const answer = await ask();
    if (answer !== undefined && seen.answers.size < this.maxKept) seen.answers.set(key, answer);
    return answer;
  }
}
