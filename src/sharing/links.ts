/** Where the access pages are reached from, shown only to those who may use them. */
import type { ActionLink } from '../../views/action-links.js';
import type { ChangeCounts } from '../db/change-counters.js';
import type { Db } from '../db/connect.js';
import { VersionedCache } from '../db/versioned-cache.js';
import type { EntityFact, EntityTab } from '../entities/index.js';
import type { entityWords } from '../http/entity-words.js';
import { type Actor, accessToEntity, mayShareAnywhere, mayShareEntity } from '../permissions/index.js';
import { peopleHolding } from './queries.js';

/** "Assign to clients" on a staff member's, contact's or group's page (`href`: that page). */
export function assignLinks(actor: Actor, href: string, words: ReturnType<typeof entityWords>): ActionLink[] {
  return mayShareAnywhere(actor)
    ? [{ href: `${href}/entities`, label: `Assign to ${words.many.toLowerCase()}` }]
    : [];
}

const accessHref = (entityId: string) => `/entities/${entityId}/access`;

/** The People and access tab of an entity's workspace. */
export function accessTab(actor: Actor, entityId: string): EntityTab | null {
  return mayShareEntity(actor, entityId)
    ? { id: 'access', label: 'People and access', href: accessHref(entityId), order: 80 }
    : null;
}

/**
 * "Who can see it: 4 people" under the entity's name: the enabled accounts behind the rows the
 * People and access tab lists (those given a role, and the members of groups given one). The
 * number is kept per entity while roles, groups and people are unchanged (`counts`), since every
 * tab of the workspace shows it.
 */
export function accessFacts(db: Db) {
  const kept = new VersionedCache<number>(1000);
  return async (actor: Actor, entityId: string, counts?: ChangeCounts | null): Promise<EntityFact | null> => {
    if (!mayShareEntity(actor, entityId)) return null;
    const count = async () => peopleHolding(db, await accessToEntity(db, entityId, 'entity.summary:R'));
    // Both counters only grow, so their sum changes whenever either does.
    const n = counts ? await kept.get(entityId, counts.permissions + counts.users, count) : await count();
    return {
      label: 'Who can see it',
      text: `${n} ${n === 1 ? 'person' : 'people'}`,
      href: accessHref(entityId),
    };
  };
}
