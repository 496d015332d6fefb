/**
 * Events announce what happened, after the change commits. `emit` queues the event in the caller's
 * transaction (as a job, like the mail queue), so a rolled-back change announces nothing and a
 * crash after commit loses nothing. A worker then queues one delivery per listener, keyed by
 * event and listener, so each listener's delivery is retried on its own; a delivery is recorded
 * in the same transaction as the listener's own database work, so a retry never doubles it.
 * Delivery is at least once for work outside the database: listeners get the event id to
 * recognise a repeat.
 *
 * Each event's name and payload is declared, by declaration merging, beside the code that emits it:
 * @example declare module '../host/events.js' { interface Events { 'entity.created': { entityId: string } } }
 */
import type { Db } from '../db/connect.js';
import { enqueue } from '../jobs/queue.js';
import type { JobHandler } from '../jobs/worker.js';
import type { Logger } from '../kernel/log.js';
import { generateId } from '../kernel/tokens.js';
import type { Problems } from './problems.js';

// biome-ignore lint/suspicious/noEmptyInterface: filled by the emitters' declarations
export interface Events {}
export type EventName = keyof Events;

interface QueuedEvent {
  id: string;
  name: string;
  payload: unknown;
  at: number;
}

declare module '../jobs/queue.js' {
  interface JobKinds {
    /** An event to hand to each of its listeners. */
    'event.dispatch': QueuedEvent;
    /** An event for one listener. */
    'event.deliver': QueuedEvent & { listener: string };
  }
}

export interface EventContext {
  /** The same on every retry of this delivery: for recognising a repeat of work outside the database. */
  eventId: string;
  /** When the event happened (ms since the epoch). */
  at: number;
  /** The transaction that records the delivery: database work done through it happens exactly once. */
  db: Db;
}

export type Listener<K extends EventName> = (payload: Events[K], ctx: EventContext) => void | Promise<void>;

/** A listener still running after this long has failed, and is retried. */
export const LISTENER_TIMEOUT_MS = 30_000;

/**
 * Announces `name` once the caller's transaction commits. Call it inside that transaction.
 * @example await emit(trx, 'entity.created', { entityId });
 */
export async function emit<K extends EventName>(
  db: Db,
  name: K,
  payload: Events[K],
  at = Date.now(),
): Promise<string> {
  const id = generateId();
  await enqueue(db, 'event.dispatch', { id, name, payload, at });
  return id;
}

interface Entry {
  id: string;
  by: string;
  name: EventName;
  listener: Listener<never>;
  timeoutMs: number;
  when?: () => Promise<boolean>;
}

export interface ListenerOptions {
  timeoutMs?: number;
  /**
   * Asked before the delivery's transaction opens (it may read the database, which on SQLite a
   * transaction in hand would block): false delivers nothing and records the delivery as done.
   */
  when?: () => Promise<boolean>;
}

export class EventRegistry {
  readonly #entries: Entry[] = [];

  /** `by` names the feature or plugin in logs and on the Plugins page. */
  on<K extends EventName>(name: K, by: string, listener: Listener<K>, options: ListenerOptions = {}): void {
    // The id must be the same in every process and after a restart: it keys the delivery.
    const n = this.#entries.filter((e) => e.by === by && e.name === name).length;
    this.#entries.push({
      id: `${by}/${name}/${n + 1}`,
      by,
      name,
      listener: listener as Listener<never>,
      timeoutMs: options.timeoutMs ?? LISTENER_TIMEOUT_MS,
      ...(options.when ? { when: options.when } : {}),
    });
  }

  /** Whether anyone listens to `name`: nothing is queued for an event nobody hears. */
  wants(name: string): boolean {
    return this.#entries.some((e) => e.name === name);
  }

  listenersOf(name: string): readonly Entry[] {
    return this.#entries.filter((e) => e.name === name);
  }

  /** The events `by` listens to: for the Plugins page. */
  heardBy(by: string): EventName[] {
    return [...new Set(this.#entries.filter((e) => e.by === by).map((e) => e.name))];
  }

  /** The worker's two handlers: one fans an event out to its listeners, one delivers it to one. */
  jobHandlers(
    db: Db,
    log: Logger,
    problems: Problems,
  ): {
    'event.dispatch': JobHandler<QueuedEvent>;
    'event.deliver': JobHandler<QueuedEvent & { listener: string }>;
  } {
    return {
      'event.dispatch': {
        run: async (event) => {
          for (const entry of this.listenersOf(event.name))
            await enqueue(
              db,
              'event.deliver',
              { ...event, listener: entry.id },
              { key: `${event.id}:${entry.id}` },
            );
        },
      },
      'event.deliver': {
        run: async (delivery) => {
          const entry = this.#entries.find((e) => e.id === delivery.listener);
          // A plugin no longer enabled: nobody is left to hear it.
          if (!entry) return;
          try {
            const wanted = entry.when ? await entry.when() : true;
            await db.transaction().execute(async (trx) => {
              const marked = await trx
                .insertInto('event_deliveries')
                .values({ event_id: delivery.id, listener: entry.id, delivered_at: Date.now() })
                .onConflict((oc) => oc.columns(['event_id', 'listener']).doNothing())
                .executeTakeFirst();
              if (Number(marked.numInsertedOrUpdatedRows ?? 0) === 0 || !wanted) return;
              await withTimeout(
                Promise.resolve(
                  entry.listener(delivery.payload as never, {
                    eventId: delivery.id,
                    at: delivery.at,
                    db: trx,
                  }),
                ),
                entry.timeoutMs,
              );
            });
          } catch (error) {
            log.error('an event listener failed; it will be retried', {
              event: entry.name,
              listener: entry.id,
              by: entry.by,
              error,
            });
            problems.record(entry.by, `listener ${entry.name}`, error);
            throw error;
          }
        },
      },
    };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
