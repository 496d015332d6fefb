/** The firm's word for an entity (Client, Case or Matter, chosen in Settings), in its three forms. */
import type { Context } from 'hono';
import type { EntityLabel } from '../db/schema.js';

/** The words of the firm whose request this is. */
export const wordsFor = (c: Context) => entityWords(c.get('organization')?.entity_label);

/** `one`: "Client"; `many`: "Clients"; `lower`: "client". */
export function entityWords(label: EntityLabel | undefined): EntityWords {
  const one = label ?? 'Client';
  return { one, many: `${one}s`, lower: one.toLowerCase() };
}

export interface EntityWords {
  one: string;
  many: string;
  lower: string;
}
