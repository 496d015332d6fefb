/**
 * The Client portal switch on a contact's page. On: the contact is invited by email (a "Go to
 * Client Portal" link lasting the invitation lifetime) when they may sign in now. Off: their
 * sessions end and their links are voided, in the same transaction as the change and its audit.
 * "Resend invitation" sends a fresh link while it is on (a newer link voids the older ones).
 */

import { recordAudit } from '../audit/record.js';
import { contactWhoMaySignIn, invalidateUserSessions, sendLink, voidLinks } from '../auth/index.js';
import type { Contact } from '../contacts/index.js';
import type { Db } from '../db/connect.js';
import type { SignInLinkPurpose } from '../db/schema.js';
import type { ServiceCtx } from '../http/service-ctx.js';
import { userLabel } from '../kernel/names.js';
import { lockPermissions } from '../permissions/index.js';
import { portalAccessOf, setPortalFlag } from './queries.js';

export interface Site {
  firmName: string;
  baseUrl: string;
}

/** What turning the switch did: 'invited' (email queued), 'on' (on, but they cannot sign in yet), 'off'. */
export type SwitchOutcome = 'invited' | 'on' | 'off';

/** `purpose`: which invitation goes out when turned on (a new portal's members get their own). */
export async function setPortalAccess(
  trx: Db,
  ctx: ServiceCtx,
  contact: Pick<Contact, 'id' | 'firstName' | 'lastName' | 'email'>,
  on: boolean,
  site: Site,
  invitationMs: number,
  purpose: SignInLinkPurpose = 'invitation',
): Promise<SwitchOutcome> {
  // Serialised with links being used (see consumeLink), so turning it off leaves no session behind.
  await lockPermissions(trx);
  const was = await portalAccessOf(trx, contact.id);
  await setPortalFlag(trx, contact.id, on);
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'contact.portal_access_changed',
    object: {
      type: 'user',
      id: contact.id,
      label: userLabel({ first_name: contact.firstName, last_name: contact.lastName, email: contact.email }),
    },
    before: { portalAccess: was },
    after: { portalAccess: on },
    requestId: ctx.requestId,
  });
  if (!on) {
    await invalidateUserSessions(trx, contact.id);
    await voidLinks(trx, contact.id);
    return 'off';
  }
  const person = await contactWhoMaySignIn(trx, contact.id);
  if (!person) return 'on';
  await sendLink(trx, site, person, purpose, invitationMs);
  return 'invited';
}

/**
 * Sends the contact a fresh invitation (voiding every older link) when they may sign in now, and
 * audits it; false, and nothing sent, when they may not (switch off, disabled, nothing shared).
 */
export async function resendInvitation(
  trx: Db,
  ctx: ServiceCtx,
  contact: Pick<Contact, 'id' | 'firstName' | 'lastName' | 'email'>,
  site: Site,
  invitationMs: number,
): Promise<boolean> {
  await lockPermissions(trx);
  const person = await contactWhoMaySignIn(trx, contact.id);
  if (!person) return false;
  await sendLink(trx, site, person, 'invitation', invitationMs);
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'contact.invitation_resent',
    object: {
      type: 'user',
      id: contact.id,
      label: userLabel({ first_name: contact.firstName, last_name: contact.lastName, email: contact.email }),
    },
    after: { sentTo: person.email },
    requestId: ctx.requestId,
  });
  return true;
}
