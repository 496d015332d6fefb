/**
 * Named places on pages that other features and plugins fill, so a page shows their parts without
 * importing them. The feature that owns a page declares its slots, with what a filler is given and
 * what it gives back, by declaration merging:
 * @example
 * declare module '../host/slots.js' {
 *   interface Slots { 'entity.links': { props: { actor: Actor; entity: { id: string } }; gives: ActionLink[] } }
 * }
 * A filler that throws is logged under the name of who registered it and left out: one broken
 * part never takes the page down with it.
 */
import type { Logger } from '../kernel/log.js';
import type { Problems } from './problems.js';

// biome-ignore lint/suspicious/noEmptyInterface: filled by the pages' declarations
export interface Slots {}
export type SlotName = keyof Slots;
export type SlotProps<K extends SlotName> = Slots[K] extends { props: infer P } ? P : never;
export type SlotGives<K extends SlotName> = Slots[K] extends { gives: infer G } ? G : never;

/** Gives this slot's part for these props, or null for nothing here (e.g. not allowed). */
export type SlotFiller<K extends SlotName> = (
  props: SlotProps<K>,
) => SlotGives<K> | null | Promise<SlotGives<K> | null>;

interface Entry {
  by: string;
  order: number;
  fill: (props: never) => unknown;
}

export class SlotRegistry {
  readonly #entries = new Map<SlotName, Entry[]>();

  constructor(
    private readonly log: Logger,
    private readonly problems: Problems,
  ) {}

  /** `by`: the feature or plugin id, named in logs and on the Plugins page. Lower `order` shows first. */
  add<K extends SlotName>(name: K, by: string, fill: SlotFiller<K>, order = 100): void {
    const list = this.#entries.get(name) ?? [];
    list.push({ by, order, fill: fill as Entry['fill'] });
    list.sort((a, b) => a.order - b.order);
    this.#entries.set(name, list);
  }

  /** Every filler's part, in order, leaving out nulls and fillers that threw. */
  async fill<K extends SlotName>(name: K, props: SlotProps<K>): Promise<SlotGives<K>[]> {
    const parts: SlotGives<K>[] = [];
    for (const entry of this.#entries.get(name) ?? []) {
      try {
        const part = (await (entry.fill as SlotFiller<K>)(props)) ?? null;
        if (part !== null) parts.push(part);
      } catch (error) {
        this.log.error('a slot filler failed', { slot: name, by: entry.by, error });
        this.problems.record(entry.by, `slot ${name}`, error);
      }
    }
    return parts;
  }

  /** For a slot whose fillers give lists (links): all their items, in one list. */
  async list<K extends SlotName>(
    name: K,
    props: SlotProps<K>,
  ): Promise<SlotGives<K> extends readonly (infer T)[] ? T[] : never> {
    return (await this.fill(name, props)).flat() as never;
  }

  /** Which slots `by` fills: for the Plugins page. */
  filledBy(by: string): SlotName[] {
    return [...this.#entries].filter(([, list]) => list.some((e) => e.by === by)).map(([name]) => name);
  }
}
