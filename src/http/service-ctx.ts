/** What a service needs to know about the request: who acts (for rules and for the audit log). */
import type { Context } from 'hono';
import { userLabel } from '../kernel/names.js';
import type { Actor } from '../permissions/index.js';

export interface ServiceCtx {
  actor: Actor;
  audit: AuditActor;
  requestId: string;
}

export function serviceCtx(c: Context, actor: Actor): ServiceCtx {
  return { actor, audit: auditActor(c), requestId: c.get('requestId') };
}

/** Who the audit log names: a user by a label that survives later renames, or the System. */
export interface AuditActor {
  id: string | null;
  label: string;
}

/** The signed-in user as an audit actor, with a label that survives later renames. */
export function auditActor(c: Context): AuditActor {
  const actor = c.get('actor');
  if (!actor) return { id: null, label: 'System' };
  const u = actor.user;
  return { id: u.id, label: userLabel(u) };
}
