/**
 * The staff invitation: the email a staff member added without a password gets (and gets again
 * when an Admin resends it), with a link to choose their password. The link is the one the Admin
 * sees on screen, so whichever copy is used first works, once.
 */
import { duration, setPasswordPath } from '../auth/index.js';
import type { Db } from '../db/connect.js';
import { queueMail } from '../mail/send.js';
import { renderEmail } from '../mail/template.js';

/** What an invitation needs to know beyond the person: the firm, BASE_URL, how long its link lasts. */
export interface InvitationSite {
  firmName: string;
  baseUrl: string;
  ttlMs: number;
}

/** Queues the invitation carrying `token`'s link, in the caller's transaction. */
export async function queueInvitation(
  db: Db,
  site: InvitationSite,
  person: { email: string; first_name: string },
  inviter: string,
  token: string,
): Promise<void> {
  const email = await renderEmail({
    firmName: site.firmName,
    baseUrl: site.baseUrl,
    subject: `${site.firmName}: you are invited to Portico`,
    greeting: `Hello ${person.first_name},`,
    paragraphs: [
      `${inviter} has added you as a member of staff to ${site.firmName}'s Portico, where the firm works with its clients.`,
      `Choose your password with the button below. After that you sign in with this email address, ${person.email}, and that password.`,
    ],
    action: { label: 'Set your password', path: setPasswordPath(token) },
    note: `The link works once and lasts ${duration(site.ttlMs)}. If you did not expect this email, you can ignore it.`,
  });
  await queueMail(db, { to: person.email, kind: 'staff-invitation', ...email, secrets: [token] });
}
