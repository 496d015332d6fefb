/**
 * How a typed client name or reference becomes a contact's client entity, for the contact forms
 * and the CSV import alike: only entities the actor may see are found, so one they may not see is
 * answered exactly like one that does not exist.
 */
import type { Db } from '../db/connect.js';
import type { entityWords } from '../entities/schema.js';
import { type Actor, can, contactChain, type Permission, visibleEntities } from '../permissions/index.js';
import { entitiesNamed } from './queries.js';

export type Client = { id: string; name: string } | null;

/**
 * The client entity a typed name or reference names, when the actor may `permission` a contact
 * under it; otherwise the reason, for the field. Blank means none, which needs a system grant.
 */
export async function resolveClient(
  db: Db,
  actor: Actor,
  typed: string,
  permission: Permission,
  words: ReturnType<typeof entityWords>,
): Promise<{ ok: true; client: Client } | { ok: false; error: string }> {
  if (!typed.trim()) {
    return can(actor, permission)
      ? { ok: true, client: null }
      : { ok: false, error: `Enter the ${words.lower} this contact belongs to.` };
  }
  const found = await entitiesNamed(db, visibleEntities(db, actor, 'entity.summary:R', 'e.id'), typed);
  const only = found[0];
  if (!only)
    return {
      ok: false,
      error: `No ${words.lower} is called “${typed.trim()}”. Enter its exact name or reference.`,
    };
  if (found.length > 1)
    return {
      ok: false,
      error: `More than one ${words.lower} is called “${typed.trim()}”. Enter its reference instead.`,
    };
  if (!can(actor, permission, contactChain(only.id)))
    return { ok: false, error: `You cannot put contacts in ${only.name}.` };
  return { ok: true, client: only };
}
