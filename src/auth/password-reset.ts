/**
 * "Forgot your password?" for staff. The request only queues a job, whatever the address, so the
 * answer and its timing are the same for every address; the job emails a set-password link lasting
 * an hour to an enabled staff member with that email, and to nobody else (a contact, a disabled
 * account or an unknown address gets nothing). The link is a set-password link the person asked for
 * themself (created_by null): using it sets the password, ends every session and voids every other
 * link (src/auth/password-tokens.ts). Never logs or returns a token except into the email.
 */
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/connect.js';
import type { JobHandler } from '../jobs/worker.js';
import { normalizeEmail, userLabel } from '../kernel/names.js';
import { queueMail } from '../mail/send.js';
import { renderEmail } from '../mail/template.js';
import { usesPassword } from '../permissions/index.js';
import { createPasswordToken, setPasswordPath } from './password-tokens.js';
import { duration } from './sign-in-links.js';

declare module '../jobs/queue.js' {
  interface JobKinds {
    /** Someone asked for a password reset for this address ("Forgot your password?"): answered the same way. */
    'password.reset_request': { email: string; firmName: string };
  }
}

/** How long a reset link lasts: long enough to find the email, short enough to be worth little. */
export const PASSWORD_RESET_TTL = 60 * 60_000;

/** Who asked: someone at the sign-in page, who has not proved who they are. */
const REQUESTER = { id: null, label: 'Someone at "Forgot your password?"' };

interface ResetPerson {
  id: string;
  kind: 'staff' | 'contact';
  email: string;
  first_name: string;
  last_name: string;
}

/** The enabled staff member with this email (someone who signs in with a password), or undefined. */
export async function staffWhoMayResetPassword(db: Db, email: string): Promise<ResetPerson | undefined> {
  const user = await db
    .selectFrom('users')
    .select(['id', 'kind', 'email', 'first_name', 'last_name'])
    .where('email_normalized', '=', normalizeEmail(email))
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  return user && usesPassword(user) ? user : undefined;
}

/** Makes a reset link (voiding the person's older links) and queues its email, in the caller's transaction. */
export async function sendPasswordReset(
  db: Db,
  site: { firmName: string; baseUrl: string },
  user: ResetPerson,
  now = Date.now(),
): Promise<void> {
  const { token } = await createPasswordToken(db, user.id, null, PASSWORD_RESET_TTL, now);
  const email = await renderEmail({
    firmName: site.firmName,
    baseUrl: site.baseUrl,
    subject: `${site.firmName}: reset your Portico password`,
    greeting: `Hello ${user.first_name},`,
    paragraphs: [
      `Someone, probably you, asked to reset the password you use to sign in to ${site.firmName}'s Portico as ${user.email}.`,
      'Choose a new password with the button below. Choosing it signs you out everywhere else.',
    ],
    action: { label: 'Choose a new password', path: setPasswordPath(token) },
    note: `The link works once and lasts ${duration(PASSWORD_RESET_TTL)}. If you did not ask for it, ignore this email: your password stays as it is.`,
  });
  await queueMail(db, { to: user.email, kind: 'password-reset', ...email, secrets: [token] });
  await recordAudit(db, {
    actor: REQUESTER,
    action: 'user.password_reset_sent',
    object: { type: 'user', id: user.id, label: userLabel(user) },
    after: { emailedTo: user.email },
    at: now,
  });
}

/**
 * Answers a "Forgot your password?" request in the background: emails a reset link when the
 * address is an enabled staff member's, and does nothing otherwise.
 */
export function passwordResetRequestHandler(
  db: Db,
  baseUrl: string,
): JobHandler<{ email: string; firmName: string }> {
  return {
    async run({ email, firmName }) {
      const person = await staffWhoMayResetPassword(db, email);
      if (!person) return;
      await db.transaction().execute((trx) => sendPasswordReset(trx, { firmName, baseUrl }, person));
    },
    // The address alone is kept once it is answered.
    keep: ({ email }) => ({ email }),
  };
}
