import { type Actor, can, type EntityPolicy, entityChain, policyFor } from '../permissions/index.js';
import type { EntityTab } from './slots.js';

/** Settings holds a form they may use: the Summary's, the Details' (read and edit) or Delete. */
export function maySettings(may: EntityPolicy): boolean {
  return may.editSummary || (may.readDetails && may.editDetails) || may.delete;
}

export function overviewTab(actor: Actor, entity: { id: string }): EntityTab | null {
  return can(actor, 'entity.summary:R', entityChain(entity.id))
    ? { id: 'overview', label: 'Overview', href: `/entities/${entity.id}`, order: 0 }
    : null;
}

export function settingsTab(actor: Actor, entity: { id: string }): EntityTab | null {
  return maySettings(policyFor(actor, { type: 'entity', id: entity.id }))
    ? { id: 'settings', label: 'Settings', href: `/entities/${entity.id}/settings`, order: 90 }
    : null;
}
