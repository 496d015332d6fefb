/**
 * Writes one audit event. Call it inside the same transaction as the change it records, so the
 * log and the data can never disagree. The table refuses updates and deletes (see migration 0001).
 */

import type { Db } from '../db/connect.js';
import { emit } from '../host/index.js';
import type { AuditActor } from '../http/service-ctx.js';
import { generateId } from '../kernel/tokens.js';

export const AUDIT_ACTIONS = {
  'setup.completed': 'Setup completed',
  'organization.updated': 'Settings changed',
  'user.created': 'Staff member added',
  'user.updated': 'Staff member edited',
  'user.roles_changed': 'Roles changed',
  'user.disabled': 'Staff member disabled',
  'user.enabled': 'Staff member enabled',
  'user.password_set': 'Password set',
  'user.password_link_created': 'Set-password link created',
  'user.invitation_sent': 'Staff invitation emailed',
  'user.password_reset_sent': 'Password reset link emailed',
  'group.created': 'Group created',
  'group.updated': 'Group edited',
  'group.deleted': 'Group deleted',
  'entity.created': 'Entity created',
  'entity.updated': 'Entity edited',
  'entity.deleted': 'Entity deleted',
  'contact.created': 'Contact added',
  'contact.updated': 'Contact edited',
  'contact.deleted': 'Contact deleted',
  'contact.portal_access_changed': 'Client portal switched',
  'contact.invitation_resent': 'Client portal invitation resent',
  'role.created': 'Role created',
  'role.updated': 'Role edited',
  'role.deleted': 'Role deleted',
  'portal.created': 'Portal created',
  'portal.updated': 'Portal edited',
  'portal.deleted': 'Portal deleted',
  'access.granted': 'Access given',
  'access.revoked': 'Access removed',
  'portal.shared': 'Shared in Client Portal',
  'portal.unshared': 'Unshared from Client Portal',
  'entity.notify_recipients_changed': 'Client Portal Notifications changed',
  'import.completed': 'Import completed',
  'session.signed_in': 'Signed in',
  'session.refused': 'Sign-in refused',
  'session.signed_out': 'Signed out',
  'session.signed_out_others': 'Signed out of other sessions',
  'folder.created': 'Folder created',
  'folder.renamed': 'Folder renamed',
  'folder.moved': 'Folder moved',
  'folder.deleted': 'Folder deleted',
  'folder.downloaded': 'Folder downloaded as a zip',
  'file.uploaded': 'File uploaded',
  'file.version_added': 'New version uploaded',
  'file.version_restored': 'Version restored',
  'file.renamed': 'File renamed',
  'file.moved': 'File moved',
  'file.deleted': 'File deleted',
  'file.downloaded': 'File downloaded',
  'file.infected_refused': 'Infected upload refused',
  'file.infected_removed': 'Infected version removed',
  'email.undelivered': 'Email not delivered',
  'plugin.settings_changed': 'Plugin settings changed',
  'plugin.recorded': 'Recorded by a plugin',
} as const;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

/** What every audit action announces, as an event of the same name, once its change commits. */
export interface AuditEvent {
  actor: { id: string | null; label: string };
  object: { type: string; id: string | null; label: string };
  before?: unknown;
  after?: unknown;
}

declare module '../host/events.js' {
  interface Events extends Record<AuditAction, AuditEvent> {}
}

export interface AuditInput {
  actor: AuditActor;
  action: AuditAction;
  object: { type: string; id: string | null; label: string };
  before?: unknown;
  after?: unknown;
  requestId?: string | null;
  at?: number;
}

let sequence = 0;

/** Ids sort in the order events were written (time, then a per-process counter), so ties keep order. */
function auditId(at: number): string {
  sequence = (sequence + 1) % 36 ** 4;
  return `${at.toString(36).padStart(9, '0')}${sequence.toString(36).padStart(4, '0')}${generateId().slice(0, 6)}`;
}

export async function recordAudit(db: Db, e: AuditInput): Promise<void> {
  const at = e.at ?? Date.now();
  await db
    .insertInto('audit_events')
    .values({
      id: auditId(at),
      at,
      actor_id: e.actor.id,
      actor_label: e.actor.label,
      action: e.action,
      object_type: e.object.type,
      object_id: e.object.id,
      object_label: e.object.label,
      before_json: e.before === undefined ? null : JSON.stringify(e.before),
      after_json: e.after === undefined ? null : JSON.stringify(e.after),
      request_id: e.requestId ?? null,
    })
    .execute();
  if (e.actor.events?.wants(e.action)) {
    const { id, label } = e.actor;
    await emit(
      db,
      e.action,
      { actor: { id, label }, object: e.object, before: e.before, after: e.after },
      at,
    );
  }
}
