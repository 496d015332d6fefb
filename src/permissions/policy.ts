/**
 * What an actor may do with one object, as named yes/no answers a page shows or hides its forms and
 * buttons by (Outline's presentPolicies). Each answer is `can` or one of this module's own helpers,
 * never a rule of its own, so a page cannot offer what its route would refuse; the route that acts
 * still authorizes the action itself.
 */
import type { Actor } from './actor.js';
import { SYSTEM } from './actor.js';
import { can } from './can.js';
import { contactChain } from './contact-scope.js';
import { mayChooseNotifyRecipients, mayShareEntity } from './entity-roles.js';
import { mayManagePortal, mayReadPortal } from './portals.js';
import { entityChain } from './scopes.js';

export interface EntityPolicy {
  readSummary: boolean;
  editSummary: boolean;
  readDetails: boolean;
  editDetails: boolean;
  delete: boolean;
  /** Give or take roles there: "Who can see it", Share in Client Portal. */
  share: boolean;
  chooseNotifyRecipients: boolean;
}

export interface ContactPolicy {
  readSummary: boolean;
  editSummary: boolean;
  readDetails: boolean;
  editDetails: boolean;
  delete: boolean;
}

/** Staff are system-scope objects: the answers are the same for every staff member. */
export interface StaffPolicy {
  create: boolean;
  readSummary: boolean;
  editSummary: boolean;
  readDetails: boolean;
  editDetails: boolean;
  disable: boolean;
}

export interface PortalPolicy {
  read: boolean;
  edit: boolean;
  delete: boolean;
}

/** The object asked about: a contact by its client entity (null: none), a portal by its entities. */
export type PolicyTarget =
  | { type: 'entity'; id: string }
  | { type: 'contact'; clientId: string | null }
  | { type: 'staff' }
  | { type: 'portal'; entityIds: readonly string[] };

/**
 * Every action a page offers on the object, each answered for this actor.
 * @example may: policyFor(actor, { type: 'entity', id: entity.id })
 */
export function policyFor(actor: Actor, target: { type: 'entity'; id: string }): EntityPolicy;
export function policyFor(actor: Actor, target: { type: 'contact'; clientId: string | null }): ContactPolicy;
export function policyFor(actor: Actor, target: { type: 'staff' }): StaffPolicy;
export function policyFor(
  actor: Actor,
  target: { type: 'portal'; entityIds: readonly string[] },
): PortalPolicy;
export function policyFor(
  actor: Actor,
  target: PolicyTarget,
): EntityPolicy | ContactPolicy | StaffPolicy | PortalPolicy {
  switch (target.type) {
    case 'entity': {
      const chain = entityChain(target.id);
      return {
        readSummary: can(actor, 'entity.summary:R', chain),
        editSummary: can(actor, 'entity.summary:E', chain),
        readDetails: can(actor, 'entity.details:R', chain),
        editDetails: can(actor, 'entity.details:E', chain),
        delete: can(actor, 'entity:D', chain),
        share: mayShareEntity(actor, target.id),
        chooseNotifyRecipients: mayChooseNotifyRecipients(actor, target.id),
      };
    }
    case 'contact': {
      const chain = contactChain(target.clientId);
      return {
        readSummary: can(actor, 'contact.summary:R', chain),
        editSummary: can(actor, 'contact.summary:E', chain),
        readDetails: can(actor, 'contact.details:R', chain),
        editDetails: can(actor, 'contact.details:E', chain),
        delete: can(actor, 'contact:D', chain),
      };
    }
    case 'staff': {
      const chain = [SYSTEM];
      return {
        create: can(actor, 'staff:C', chain),
        readSummary: can(actor, 'staff.summary:R', chain),
        editSummary: can(actor, 'staff.summary:E', chain),
        readDetails: can(actor, 'staff.details:R', chain),
        editDetails: can(actor, 'staff.details:E', chain),
        disable: can(actor, 'staff:D', chain),
      };
    }
    case 'portal': {
      const manage = mayManagePortal(actor, target.entityIds);
      return { read: mayReadPortal(actor, target.entityIds), edit: manage, delete: manage };
    }
  }
}
