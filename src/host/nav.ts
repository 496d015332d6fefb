/**
 * The navigation, as features register it: each item says who it is for (staff or contacts) and
 * which permission shows it, so a person sees only the places they may use. Contacts see only
 * items meant for contacts: never a staff page, whatever roles they hold.
 */
import type { NavItem } from '../../views/layout.js';
import type { Actor } from '../permissions/index.js';

/** The firm's word for an entity in its forms ("Client", "Clients", "client"). */
export interface Words {
  one: string;
  many: string;
  lower: string;
}

export interface NavEntry {
  href: string;
  /** A fixed label, or one made from the firm's word for an entity ("Clients", "Matters"). */
  label: string | ((words: Words) => string);
  audience: 'staff' | 'contact';
  /** 'main' shows in the bar; 'admin' under the Admin menu. */
  section?: 'main' | 'admin';
  /** Whether this person may use the place (ask the permission module). Shown to all of `audience` without it. */
  visible?: (actor: Actor) => boolean;
  /** Lower shows first. */
  order: number;
}

export class NavRegistry {
  readonly #entries: (NavEntry & { by: string })[] = [];

  add(by: string, entry: NavEntry): void {
    this.#entries.push({ ...entry, by });
    this.#entries.sort((a, b) => a.order - b.order);
  }

  /** The items `actor` may use, in order; none for someone signed out. */
  itemsFor(actor: Actor | null, words: Words): NavItem[] {
    if (!actor) return [];
    return this.#entries
      .filter((e) => e.audience === actor.user.kind && (e.visible?.(actor) ?? true))
      .map((e) => ({
        href: e.href,
        label: typeof e.label === 'string' ? e.label : e.label(words),
        section: e.section ?? 'main',
      }));
  }

  /** The places `by` added: for the Plugins page. */
  addedBy(by: string): string[] {
    return this.#entries.filter((e) => e.by === by).map((e) => e.href);
  }
}
