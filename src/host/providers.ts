/**
 * One provider a name, asked for by name: what services and frames (src/host/frames.ts) share.
 * `what` names the kind in errors ("frame", "service").
 */
export class Providers<Table> {
  readonly #entries = new Map<keyof Table, { by: string; impl: unknown }>();

  constructor(private readonly what: string) {}

  provide<K extends keyof Table>(name: K, by: string, impl: Table[K]): void {
    const taken = this.#entries.get(name);
    if (taken) throw new Error(`${by}: ${this.what} ${String(name)} is already provided by ${taken.by}`);
    this.#entries.set(name, { by, impl });
  }

  has(name: keyof Table): boolean {
    return this.#entries.has(name);
  }

  /** The provider's implementation; throws when no feature provides it (a host assembled without it). */
  get<K extends keyof Table>(name: K): Table[K] {
    const entry = this.#entries.get(name);
    if (!entry) throw new Error(`no feature provides the ${this.what} ${String(name)}`);
    return entry.impl as Table[K];
  }
}
