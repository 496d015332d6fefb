/**
 * How a contact's client entity is chosen. The contact forms offer a picker (a search that lists
 * the clients the actor may add a contact to, then one is chosen by id); the CSV import, and a
 * search typed but not chosen from, match a typed name or reference exactly. Only entities the
 * actor may see are ever found, so one they may not see is answered exactly like one that does not
 * exist. Who may add a contact where is the permission module's filter, inside the SQL.
 */
import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from '../db/connect.js';
import { type EntityChoice, entitiesById, entityChoices } from '../entities/index.js';
import type { entityWords } from '../http/entity-words.js';
import {
  type Actor,
  can,
  contactChain,
  type Permission,
  visibleContacts,
  visibleEntities,
} from '../permissions/index.js';
import { entitiesNamed } from './queries.js';

export type Client = { id: string; name: string } | null;
type Words = ReturnType<typeof entityWords>;

/** The value of the picker's "No client" choice. */
export const NO_CLIENT = 'none';

/**
 * The client entity a typed name or reference names, when the actor may `permission` a contact
 * under it; otherwise the reason, for the field. Blank means none, which needs a system grant.
 */
export async function resolveClient(
  db: Db,
  actor: Actor,
  typed: string,
  permission: Permission,
  words: Words,
): Promise<{ ok: true; client: Client } | { ok: false; error: string; seen?: true }> {
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
    return { ok: false, error: `You cannot put contacts in ${only.name}.`, seen: true };
  return { ok: true, client: only };
}

/** Where-clause on `e.id`: the entities the actor sees and may add a contact to. */
export function addableClients(db: Db, actor: Actor): Expression<SqlBool> {
  return sql<SqlBool>`(${visibleEntities(db, actor, 'entity.summary:R', 'e.id')} and ${visibleContacts(db, actor, 'contact:C', 'e.id')})`;
}

/** May the actor add a contact with no client (a system-level grant)? */
export const mayAddWithoutClient = (actor: Actor) => can(actor, 'contact:C');

/** The picker's choices: the one chosen (when the actor may add contacts there) and the first page found. */
export function clientChoices(db: Db, actor: Actor, q: string, chosen: string): Promise<EntityChoice[]> {
  return entityChoices(db, addableClients(db, actor), chosen && chosen !== NO_CLIENT ? [chosen] : [], q);
}

/** What the picker sent: the id chosen (or NO_CLIENT, or '' for none chosen) and the search typed. */
export interface Picked {
  client: string;
  clientQ: string;
}

/**
 * The client the picker chose, when the actor may add a contact there (or it is the contact's
 * `current` client, left as it was); a search typed but not chosen from counts when it names one
 * client exactly. Otherwise the reason, for the message beside the field.
 */
export async function pickedClient(
  db: Db,
  actor: Actor,
  picked: Picked,
  words: Words,
  current?: Client,
): Promise<{ ok: true; client: Client } | { ok: false; error: string }> {
  const none = async (): Promise<{ ok: true; client: Client } | { ok: false; error: string }> =>
    current === null || mayAddWithoutClient(actor)
      ? { ok: true, client: null }
      : { ok: false, error: `Choose the ${words.lower} this contact belongs to.` };
  if (picked.client === NO_CLIENT) return none();
  if (picked.client) {
    if (current && picked.client === current.id) return { ok: true, client: current };
    const found = (await entitiesById(db, [picked.client], addableClients(db, actor))).get(picked.client);
    return found
      ? { ok: true, client: { id: found.id, name: found.name } }
      : {
          ok: false,
          error: `That ${words.lower} cannot be found, or you cannot add contacts to it. Find it again and choose it.`,
        };
  }
  const q = picked.clientQ.trim();
  if (!q) return current !== undefined ? { ok: true, client: current } : none();
  const typed = await resolveClient(db, actor, q, 'contact:C', words);
  if (typed.ok) return typed;
  const found = await clientChoices(db, actor, q, '');
  return {
    ok: false,
    error: found.length
      ? `Choose one of the ${words.many.toLowerCase()} found for “${q}”.`
      : // One they see by that very name, but may not add contacts to: say so.
        typed.seen
        ? typed.error
        : `No ${words.lower} you can add contacts to matches “${q}”.`,
  };
}
