/**
 * The last things that went wrong in each feature's or plugin's parts (a slot filler, a filter, a
 * listener): logged, and kept here for the Plugins page. Per process and in memory: enough to see
 * that something is failing and what, without a table that fills up.
 */
export interface Problem {
  at: number;
  /** 'slot entity.links', 'filter mail.outgoing', 'listener entity.created'. */
  where: string;
  message: string;
}

const KEPT = 10;

export class Problems {
  readonly #by = new Map<string, Problem[]>();

  record(by: string, where: string, error: unknown, at = Date.now()): void {
    const list = this.#by.get(by) ?? [];
    list.unshift({ at, where, message: error instanceof Error ? error.message : String(error) });
    this.#by.set(by, list.slice(0, KEPT));
  }

  /** Newest first. */
  of(by: string): readonly Problem[] {
    return this.#by.get(by) ?? [];
  }
}
