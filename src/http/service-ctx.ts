/** What a service needs to know about the request: who acts (for rules and for the audit log). */
import type { Context } from 'hono';
import type { EventRegistry } from '../host/index.js';
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
  /**
   * Where what this request records is also announced (the host's events: each audit action is
   * an event). Not stored. Unset for scripts and the System, whose changes are only logged.
   */
  events?: EventRegistry;
}

/** The signed-in user as an audit actor, with a label that survives later renames. */
export function auditActor(c: Context): AuditActor {
  const actor = c.get('actor');
  const events = c.get('host')?.events;
  if (!actor) return { id: null, label: 'System', events };
  const u = actor.user;
  return { id: u.id, label: userLabel(u), events };
}
