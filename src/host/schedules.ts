/**
 * Work that runs every so often (each feature's hourly sweep of its expired rows). Each app process ticks, and
 * each tick queues the run for the current period under one key, so however many processes tick,
 * one job per period exists and one worker runs it.
 */
import type { Db } from '../db/connect.js';
import { enqueue } from '../jobs/queue.js';
import type { JobHandler } from '../jobs/worker.js';
import type { Logger } from '../kernel/log.js';

declare module '../jobs/queue.js' {
  interface JobKinds {
    /** One period's run of a schedule. */
    'schedule.run': { name: string };
  }
}

export interface Schedule {
  /** Unique across the app: `<feature or plugin id>.<what>`. */
  name: string;
  everyMs: number;
  run(db: Db): Promise<void>;
}

export class ScheduleRegistry {
  readonly #entries: (Schedule & { by: string })[] = [];

  add(by: string, schedule: Schedule): void {
    if (this.#entries.some((s) => s.name === schedule.name))
      throw new Error(`schedule ${schedule.name} is registered twice`);
    this.#entries.push({ ...schedule, by });
  }

  ranBy(by: string): string[] {
    return this.#entries.filter((s) => s.by === by).map((s) => s.name);
  }

  /** Queues each schedule's run for the period `now` falls in, unless some process already has. */
  async tick(db: Db, now = Date.now()): Promise<void> {
    for (const s of this.#entries) {
      const period = Math.floor(now / s.everyMs);
      await enqueue(
        db,
        'schedule.run',
        { name: s.name },
        { key: `schedule:${s.name}:${period}`, runAt: now },
      );
    }
  }

  /** Ticks now and then every `tickMs` (a minute: no schedule runs more often); returns a stop function. */
  start(db: Db, log: Logger, tickMs = 60_000): () => void {
    const tick = () =>
      this.tick(db).catch((error: unknown) => log.error('could not queue scheduled work', { error }));
    void tick();
    const timer = setInterval(tick, tickMs);
    timer.unref();
    return () => clearInterval(timer);
  }

  jobHandler(db: Db): JobHandler<{ name: string }> {
    return {
      run: async ({ name }) => {
        // A schedule since removed (a plugin turned off) has nothing left to run.
        await this.#entries.find((s) => s.name === name)?.run(db);
      },
    };
  }
}
