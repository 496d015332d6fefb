/** What a service needs to know about the request: who acts (for rules and for the audit log). */
import type { Context } from 'hono';
import { type AuditActor, auditActor } from '../audit/record.js';
import type { Actor } from '../permissions/index.js';

export interface ServiceCtx {
  actor: Actor;
  audit: AuditActor;
  requestId: string;
}

export function serviceCtx(c: Context, actor: Actor): ServiceCtx {
  return { actor, audit: auditActor(c), requestId: c.get('requestId') };
}
