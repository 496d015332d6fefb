/**
 * Where a contact sits in the scope chain: under their client entity, so a role bound at that
 * entity covers them; a contact with no client entity sits directly under the system and is seen
 * only through a system-level grant.
 */
import type { Expression, SqlBool } from 'kysely';
import type { Db } from '../db/connect.js';
import { type Actor, SYSTEM } from './actor.js';
import type { ScopeChain } from './can.js';
import type { Permission } from './catalog.js';
import { entityChain, visibleEntities } from './scopes.js';

export function contactChain(clientEntityId: string | null): ScopeChain {
  return clientEntityId ? entityChain(clientEntityId) : [SYSTEM];
}

/**
 * Where-clause for a list of contacts: exactly those for which `can(actor, permission,
 * contactChain(client))` holds. `clientColumn` names the client entity id column (a code constant).
 */
export function visibleContacts(
  db: Db,
  actor: Actor,
  permission: Permission,
  clientColumn: string,
): Expression<SqlBool> {
  return visibleEntities(db, actor, permission, clientColumn);
}
