/**
 * Filters pass a value through each registered function in order and return what comes out (who
 * an email is sent as, an email before it is sent, the navigation). A filter that throws is
 * skipped, the value passing on unchanged, and logged under the name of who registered it.
 *
 * Each filter's value and context is declared, by declaration merging, beside the code that applies it:
 * @example declare module '../host/filters.js' { interface Filters { 'mail.outgoing': { value: Mail; context: {} } } }
 */
import type { Logger } from '../kernel/log.js';
import type { Problems } from './problems.js';

// biome-ignore lint/suspicious/noEmptyInterface: filled by the appliers' declarations
export interface Filters {}
export type FilterName = keyof Filters;
export type FilterValue<K extends FilterName> = Filters[K] extends { value: infer V } ? V : never;
export type FilterContext<K extends FilterName> = Filters[K] extends { context: infer C } ? C : never;
export type Filter<K extends FilterName> = (
  value: FilterValue<K>,
  context: FilterContext<K>,
) => FilterValue<K> | Promise<FilterValue<K>>;

interface Entry {
  by: string;
  name: FilterName;
  filter: Filter<never>;
}

export class FilterRegistry {
  readonly #entries: Entry[] = [];

  constructor(
    private readonly log: Logger,
    private readonly problems: Problems,
  ) {}

  add<K extends FilterName>(name: K, by: string, filter: Filter<K>): void {
    this.#entries.push({ by, name, filter: filter as Filter<never> });
  }

  /**
   * The value after every filter of `name`, in the order they were registered. A filter that
   * throws is skipped, unless `onError` is given: then the answer is `onError` (a check that must
   * not lapse when it breaks, such as refusing password sign-in).
   */
  async apply<K extends FilterName>(
    name: K,
    value: FilterValue<K>,
    context: FilterContext<K>,
    onError?: FilterValue<K>,
  ): Promise<FilterValue<K>> {
    let current = value;
    for (const entry of this.#entries) {
      if (entry.name !== name) continue;
      try {
        current = await (entry.filter as Filter<K>)(current, context);
      } catch (error) {
        this.log.error(
          onError === undefined
            ? 'a filter failed; the value passes on unchanged'
            : 'a filter failed; its check refuses',
          {
            filter: name,
            by: entry.by,
            error,
          },
        );
        this.problems.record(entry.by, `filter ${name}`, error);
        if (onError !== undefined) return onError;
      }
    }
    return current;
  }

  /** The filters `by` registered: for the Plugins page. */
  appliedBy(by: string): FilterName[] {
    return [...new Set(this.#entries.filter((e) => e.by === by).map((e) => e.name))];
  }
}
