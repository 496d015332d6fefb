/**
 * tus's lock on an upload, held in the database so it works whichever process a chunk reaches.
 * A holder renews its row while it works; one that died stops renewing and its row is taken over
 * once `held_until` passes. A request that wants a held lock sets `release_wanted`, and the holder,
 * seeing it at its next renewal, lets go (tus cancels its request): that is how a phone that lost its
 * connection mid-chunk resumes at once, instead of waiting for the server to notice the dead socket.
 */
import { ERRORS, type Lock, type Locker, type RequestRelease } from '@tus/utils';
import type { Db } from '../../db/connect.js';
import { isUniqueViolation } from '../../db/errors.js';
import { generateId } from '../../kernel/tokens.js';

export interface LockTimings {
  /** How long a row holds without renewal: past it, the holder is taken to be gone. */
  holdMs: number;
  /** How often a holder renews, and a waiter asks again. */
  pollMs: number;
  /** How long a request waits for a lock before it is refused. */
  waitMs: number;
}

export const LOCK_TIMINGS: LockTimings = { holdMs: 15_000, pollMs: 250, waitMs: 30_000 };

export class DbLocker implements Locker {
  constructor(
    private readonly db: Db,
    private readonly timings: LockTimings = LOCK_TIMINGS,
  ) {}

  newLock(id: string): Lock {
    return new DbLock(this.db, id, this.timings);
  }
}

class DbLock implements Lock {
  readonly #holder = generateId();
  #renewal: NodeJS.Timeout | undefined;

  constructor(
    private readonly db: Db,
    private readonly id: string,
    private readonly timings: LockTimings,
  ) {}

  async lock(stop: AbortSignal, release: RequestRelease): Promise<void> {
    const giveUpAt = Date.now() + this.timings.waitMs;
    while (!(await this.#take())) {
      if (stop.aborted || Date.now() > giveUpAt) throw ERRORS.ERR_LOCK_TIMEOUT;
      await this.db
        .updateTable('upload_locks')
        .set({ release_wanted: 1 })
        .where('id', '=', this.id)
        .execute();
      await new Promise((resolve) => setTimeout(resolve, this.timings.pollMs));
    }
    this.#renewal = setInterval(() => void this.#renew(release), this.timings.pollMs);
    this.#renewal.unref();
  }

  async unlock(): Promise<void> {
    clearInterval(this.#renewal);
    await this.db
      .deleteFrom('upload_locks')
      .where('id', '=', this.id)
      .where('holder', '=', this.#holder)
      .execute();
  }

  /** Takes the lock if no one holds it, or if its holder stopped renewing. */
  async #take(): Promise<boolean> {
    const now = Date.now();
    const row = {
      id: this.id,
      holder: this.#holder,
      held_until: now + this.timings.holdMs,
      release_wanted: 0,
    };
    try {
      await this.db.insertInto('upload_locks').values(row).execute();
      return true;
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
    }
    const taken = await this.db
      .updateTable('upload_locks')
      .set({ holder: this.#holder, held_until: row.held_until, release_wanted: 0 })
      .where('id', '=', this.id)
      .where('held_until', '<', now)
      .executeTakeFirst();
    return taken.numUpdatedRows === 1n;
  }

  async #renew(release: RequestRelease): Promise<void> {
    try {
      const row = await this.db
        .updateTable('upload_locks')
        .set({ held_until: Date.now() + this.timings.holdMs })
        .where('id', '=', this.id)
        .where('holder', '=', this.#holder)
        .returning('release_wanted')
        .executeTakeFirst();
      if (row?.release_wanted) await release();
    } catch {
      // A renewal that fails (the database busy a moment) is tried again at the next tick; past
      // `holdMs` without one, another request may take the lock, which tus's offsets make safe.
    }
  }
}
