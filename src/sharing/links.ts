/** Where the access pages are reached from, shown only to those who may use them. */
import type { ActionLink } from '../../views/action-links.js';
import type { Db } from '../db/connect.js';
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
 * People and access tab lists (those given a role, and the members of groups given one).
 */
export async function accessFact(db: Db, actor: Actor, entityId: string): Promise<EntityFact | null> {
  if (!mayShareEntity(actor, entityId)) return null;
  const n = await peopleHolding(db, await accessToEntity(db, entityId, 'entity.summary:R'));
  return {
    label: 'Who can see it',
    text: `${n} ${n === 1 ? 'person' : 'people'}`,
    href: accessHref(entityId),
  };
}
