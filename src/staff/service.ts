/**
 * The rules for staff accounts: unique emails, roles only within what the actor holds, accounts
 * managed only by someone holding at least as much, and never the last Admin lost. Someone added
 * without a password is emailed an invitation and is Invited until they choose one. Each function
 * runs inside the transaction its route opened and writes its own audit event.
 */

import { recordAudit } from '../audit/record.js';
import { createPasswordToken, invalidateUserSessions, setPassword } from '../auth/index.js';
import type { Db } from '../db/connect.js';
import { uniqueOr } from '../db/errors.js';
import type { User } from '../db/schema.js';
import { RuleError } from '../http/rule-error.js';
import type { ServiceCtx } from '../http/service-ctx.js';
import { normalizeEmail, userLabel } from '../kernel/names.js';
import { generateId } from '../kernel/tokens.js';
import { emailTaken, emailTakenError } from '../people/index.js';
import {
  assertAdminRemains,
  canManageAccount,
  loadActor,
  lockPermissions,
  type RoleChange,
  setAdministrativeRoles,
} from '../permissions/index.js';
import { type InvitationSite, queueInvitation } from './invitation.js';

type Ctx = ServiceCtx;

const inviterName = (ctx: Ctx) => `${ctx.actor.user.first_name} ${ctx.actor.user.last_name}`;

/** A staff member is Invited while they have no password: added without one, and not yet chosen. */
export const isInvited = (user: Pick<User, 'password_hash'>) => user.password_hash === null;

const label = userLabel;

export interface NewStaff {
  firstName: string;
  lastName: string;
  email: string;
  roles: RoleChange;
  /** Already hashed; null when the Admin chose a set-password link: they are emailed an invitation. */
  passwordHash: string | null;
}

export async function createStaff(
  trx: Db,
  ctx: Ctx,
  input: NewStaff,
  site: InvitationSite,
): Promise<{ userId: string; link: string | null }> {
  if (await emailTaken(trx, input.email)) throw emailTakenError();
  const now = Date.now();
  const userId = generateId();
  const user = {
    id: userId,
    kind: 'staff' as const,
    email: input.email,
    email_normalized: normalizeEmail(input.email),
    first_name: input.firstName,
    last_name: input.lastName,
    password_hash: input.passwordHash,
    password_set_by: input.passwordHash ? ctx.actor.user.id : null,
    disabled_at: null,
    created_at: now,
    updated_at: now,
  };
  await uniqueOr(trx.insertInto('users').values(user).execute(), emailTakenError);
  const roles = await setAdministrativeRoles(trx, ctx.actor, { userId }, input.roles);
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'user.created',
    object: { type: 'user', id: userId, label: label(user) },
    after: { firstName: input.firstName, lastName: input.lastName, email: input.email, roles: roles.after },
    requestId: ctx.requestId,
  });
  let link: string | null = null;
  if (!input.passwordHash) link = await invite(trx, ctx, user, site, false);
  return { userId, link };
}

/** A fresh set-password link (voiding older ones), emailed as an invitation and audited; returns its token. */
async function invite(
  trx: Db,
  ctx: Ctx,
  user: Pick<User, 'id' | 'email' | 'first_name' | 'last_name'>,
  site: InvitationSite,
  resent: boolean,
): Promise<string> {
  const { token } = await createPasswordToken(trx, user.id, ctx.actor.user.id, site.ttlMs);
  await queueInvitation(trx, site, user, inviterName(ctx), token);
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'user.invitation_sent',
    object: { type: 'user', id: user.id, label: label(user) },
    after: { emailedTo: user.email, resent },
    requestId: ctx.requestId,
  });
  return token;
}

/**
 * Refuses (as a rule error) to resend an invitation that cannot be: to someone the actor may not
 * manage, a disabled account, or someone who has already chosen a password.
 */
export async function assertMayResendInvitation(trx: Db, ctx: Ctx, user: User): Promise<void> {
  await assertManageable(trx, ctx, user, 'invite');
  if (user.disabled_at !== null)
    throw new RuleError('_form', 'Enable this account before resending the invitation.');
  if (!isInvited(user))
    throw new RuleError(
      '_form',
      `${user.first_name} ${user.last_name} has already chosen a password, so there is no invitation to resend. To let them choose a new one, create a one-time set-password link.`,
    );
}

/**
 * Emails the invitation again with a new link; the link in the earlier one stops working. Call it
 * after assertMayResendInvitation, in the same transaction. Returns the new link's token.
 */
export function resendInvitation(trx: Db, ctx: Ctx, user: User, site: InvitationSite): Promise<string> {
  return invite(trx, ctx, user, site, true);
}

/** Refuses (as a rule error) to manage an account holding more than the actor does. */
async function assertManageable(trx: Db, ctx: Ctx, user: User, what: string): Promise<void> {
  // Both sides as they are now, under the permissions lock, not as the request began.
  await lockPermissions(trx);
  const [actor, target] = await Promise.all([loadActor(trx, ctx.actor.user), loadActor(trx, user)]);
  if (!canManageAccount(actor, target)) {
    throw new RuleError(
      '_form',
      `You cannot ${what} ${user.first_name} ${user.last_name}: they hold roles you do not.`,
    );
  }
}

export async function updateSummary(
  trx: Db,
  ctx: Ctx,
  user: User,
  input: { firstName: string; lastName: string; email: string },
): Promise<void> {
  if (normalizeEmail(input.email) !== user.email_normalized) {
    await assertManageable(trx, ctx, user, 'change the email address of');
    if (await emailTaken(trx, input.email, user.id)) throw emailTakenError();
  }
  await uniqueOr(
    trx
      .updateTable('users')
      .set({
        first_name: input.firstName,
        last_name: input.lastName,
        email: input.email,
        email_normalized: normalizeEmail(input.email),
        updated_at: Date.now(),
      })
      .where('id', '=', user.id)
      .execute(),
    emailTakenError,
  );
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'user.updated',
    object: {
      type: 'user',
      id: user.id,
      label: label({ first_name: input.firstName, last_name: input.lastName, email: input.email }),
    },
    before: { firstName: user.first_name, lastName: user.last_name, email: user.email },
    after: input,
    requestId: ctx.requestId,
  });
}

export async function updateRoles(trx: Db, ctx: Ctx, user: User, change: RoleChange): Promise<void> {
  const { before, after } = await setAdministrativeRoles(trx, ctx.actor, { userId: user.id }, change);
  await assertAdminRemains(trx);
  if (before.join() === after.join()) return;
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'user.roles_changed',
    object: { type: 'user', id: user.id, label: label(user) },
    before: { roles: before },
    after: { roles: after },
    requestId: ctx.requestId,
  });
}

export async function setDisabled(trx: Db, ctx: Ctx, user: User, disabled: boolean): Promise<void> {
  if (disabled && user.id === ctx.actor.user.id)
    throw new RuleError('_form', 'You cannot disable your own account.');
  await assertManageable(trx, ctx, user, disabled ? 'disable' : 'enable');
  await trx
    .updateTable('users')
    .set({ disabled_at: disabled ? Date.now() : null, updated_at: Date.now() })
    .where('id', '=', user.id)
    .execute();
  if (disabled) {
    await invalidateUserSessions(trx, user.id);
    await trx.deleteFrom('password_tokens').where('user_id', '=', user.id).execute();
    await assertAdminRemains(trx);
  }
  await recordAudit(trx, {
    actor: ctx.audit,
    action: disabled ? 'user.disabled' : 'user.enabled',
    object: { type: 'user', id: user.id, label: label(user) },
    before: { disabled: user.disabled_at !== null },
    after: { disabled },
    requestId: ctx.requestId,
  });
}

const OWN_PASSWORD = 'Change your own password under Your account.';

export async function adminSetPassword(trx: Db, ctx: Ctx, user: User, passwordHash: string): Promise<void> {
  if (user.id === ctx.actor.user.id) throw new RuleError('password', OWN_PASSWORD);
  await assertManageable(trx, ctx, user, 'set the password of');
  await setPassword(trx, user.id, passwordHash, ctx.actor.user.id);
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'user.password_set',
    object: { type: 'user', id: user.id, label: label(user) },
    after: { via: 'set by an administrator' },
    requestId: ctx.requestId,
  });
}

export async function createLink(trx: Db, ctx: Ctx, user: User, ttlMs: number): Promise<string> {
  if (user.id === ctx.actor.user.id) throw new RuleError('_form', OWN_PASSWORD);
  await assertManageable(trx, ctx, user, 'create a set-password link for');
  if (user.disabled_at !== null)
    throw new RuleError('_form', 'Enable this account before creating a set-password link.');
  const { token } = await createPasswordToken(trx, user.id, ctx.actor.user.id, ttlMs);
  await recordAudit(trx, {
    actor: ctx.audit,
    action: 'user.password_link_created',
    object: { type: 'user', id: user.id, label: label(user) },
    requestId: ctx.requestId,
  });
  return token;
}
