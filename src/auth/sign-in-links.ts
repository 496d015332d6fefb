/**
 * Emailed sign-in links for contacts ("Go to Client Portal"). A link is a 128-bit random token of
 * which only the SHA-256 is stored, bound to one user and to the email it was sent to; it is good
 * once, until it expires, while that user may still sign in (Client portal switch on, not disabled,
 * not Associated-only: see src/permissions/portal-access.ts) and while their email is still the one
 * it went to. A newer link voids older ones. Looking a link up never uses it (mail scanners fetch
 * links); only `consumeLink` does, with one conditional UPDATE, so of two clicks at once exactly
 * one signs in. Never logs or returns a token except to the one caller that emails it.
 */
import type { Db } from '../db/connect.js';
import type { SignInLinkPurpose } from '../db/schema.js';
import type { JobHandler } from '../jobs/worker.js';
import { normalizeEmail } from '../kernel/names.js';
import { generateLinkToken, hashToken } from '../kernel/tokens.js';
import { queueMail } from '../mail/send.js';
import { renderEmail } from '../mail/template.js';
import { loadActor, lockPermissions, mayEnterPortal } from '../permissions/index.js';

declare module '../jobs/queue.js' {
  interface JobKinds {
    /** Someone asked for a sign-in link for this address: looked up and answered in the background. */
    'signin.request': { email: string; firmName: string };
  }
}

export interface LinkPerson {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
}

const person = (db: Db) =>
  db
    .selectFrom('users as u')
    .innerJoin('contact_profiles as cp', 'cp.user_id', 'u.id')
    .select(['u.id', 'u.kind', 'u.email', 'u.first_name', 'u.last_name'])
    .where('u.kind', '=', 'contact')
    .where('u.disabled_at', 'is', null)
    .where('cp.portal_access', '=', 1);

/** The person, when they are a contact who may sign in right now; the rule's one place. */
async function allowed(
  db: Db,
  row: (LinkPerson & { kind: 'staff' | 'contact' }) | undefined,
): Promise<LinkPerson | undefined> {
  if (!row || !mayEnterPortal(await loadActor(db, row))) return undefined;
  return { id: row.id, email: row.email, first_name: row.first_name, last_name: row.last_name };
}

/** The contact with this email when they may sign in now (portal on, enabled, not Associated-only). */
export async function personWhoMaySignIn(db: Db, email: string): Promise<LinkPerson | undefined> {
  return allowed(
    db,
    await person(db).where('u.email_normalized', '=', normalizeEmail(email)).executeTakeFirst(),
  );
}

/** The same, by id. */
export async function contactWhoMaySignIn(db: Db, userId: string): Promise<LinkPerson | undefined> {
  return allowed(db, await person(db).where('u.id', '=', userId).executeTakeFirst());
}

/** Ends every link of the user still out, in the caller's transaction. */
export async function voidLinks(db: Db, userId: string, now = Date.now()): Promise<void> {
  await db
    .updateTable('sign_in_links')
    .set({ voided_at: now })
    .where('user_id', '=', userId)
    .where('used_at', 'is', null)
    .where('voided_at', 'is', null)
    .execute();
}

/** Makes a link for the person (voiding their older ones); returns the token, to be emailed only. */
export async function issueLink(
  db: Db,
  user: LinkPerson,
  purpose: SignInLinkPurpose,
  ttlMs: number,
  now = Date.now(),
): Promise<string> {
  // One at a time, so of two links asked for at the same moment the older is always voided.
  await lockPermissions(db);
  await voidLinks(db, user.id, now);
  const token = generateLinkToken();
  await db
    .insertInto('sign_in_links')
    .values({
      id: hashToken(token),
      user_id: user.id,
      email_normalized: normalizeEmail(user.email),
      purpose,
      created_at: now,
      expires_at: now + ttlMs,
      used_at: null,
      voided_at: null,
    })
    .execute();
  return token;
}

/** The person a live link would sign in, without using it (the confirm page, a scanner's GET). */
export async function findLiveLink(db: Db, token: string, now = Date.now()): Promise<LinkPerson | undefined> {
  const row = await person(db)
    .innerJoin('sign_in_links as l', 'l.user_id', 'u.id')
    .where('l.id', '=', hashToken(token))
    .where('l.used_at', 'is', null)
    .where('l.voided_at', 'is', null)
    .where('l.expires_at', '>', now)
    // Bound to the address it was sent to: a changed email voids it.
    .whereRef('l.email_normalized', '=', 'u.email_normalized')
    .executeTakeFirst();
  return allowed(db, row);
}

/** Where a link (live or not) was sent, to send a fresh one there; undefined for an unknown token. */
export async function linkAddress(db: Db, token: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('sign_in_links')
    .select('email_normalized')
    .where('id', '=', hashToken(token))
    .executeTakeFirst();
  return row?.email_normalized;
}

/**
 * Uses the link: returns the person to sign in, or undefined when it is not live (unknown, used,
 * expired, voided, or its person may no longer sign in). Run inside the route's transaction.
 */
export async function consumeLink(db: Db, token: string, now = Date.now()): Promise<LinkPerson | undefined> {
  // Taken first, as the Client portal switch takes it: a switch turned off while this link is being
  // used either commits before (and this sees it off) or waits, then ends the session made here.
  await lockPermissions(db);
  const found = await findLiveLink(db, token, now);
  if (!found) return undefined;
  const used = await db
    .updateTable('sign_in_links')
    .set({ used_at: now })
    .where('id', '=', hashToken(token))
    .where('used_at', 'is', null)
    .where('voided_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(used.numUpdatedRows) === 1 ? found : undefined;
}

/** Where a link's token is used: the one place this path is spelt for a token. */
const linkPath = (token: string) => `/sign-in/link/${token}`;

/** How long a link lasts, in words: "10 minutes", "1 hour", "90 minutes", "36 hours", "3 days". */
export const duration = (ms: number) => {
  const minutes = Math.round(ms / 60_000);
  if (minutes === 60) return '1 hour';
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return hours % 24 === 0 && hours >= 48 ? `${hours / 24} days` : `${hours} hours`;
};

/**
 * What an email carrying a link says: a subject of plain words (no secret: renderEmail refuses
 * one), paragraphs before the button, and the kind it is filed under.
 */
export interface LinkLetter {
  kind: string;
  subject: string;
  /** Names people typed that the subject holds (see renderEmail). */
  subjectNames?: string[];
  paragraphs: string[];
  /** The entity the link opens in the portal (the one just shared), instead of the first. */
  entityId?: string;
}

/** Where a link lands: the portal, opened at an entity when one is named (an id, nothing else). */
export function landingPath(entityId: string | undefined): string {
  return entityId && /^[a-z0-9]{1,64}$/.test(entityId) ? `/portal?entity=${entityId}` : '/portal';
}

/** Each kind of link's standard email, and its button. */
const WORDING: Record<SignInLinkPurpose, (firmName: string) => LinkLetter & { label: string }> = {
  sign_in: (firm) => ({
    subject: `Sign in to ${firm}`,
    paragraphs: ['You asked for a link to sign in to the client portal. The link below signs you in.'],
    label: 'Go to Client Portal',
    kind: 'sign-in-link',
  }),
  invitation: (firm) => ({
    subject: `Your client portal at ${firm}`,
    paragraphs: [
      `${firm} has given you access to its client portal. No registration or password is needed: the link below signs you in.`,
    ],
    label: 'Go to Client Portal',
    kind: 'portal-invitation',
  }),
  // MYOB: "inviting them to connect with your practice as you've set up a secure online space for
  // them to collaborate on documents and accounting tasks".
  portal_invitation: (firm) => ({
    subject: `${firm} has set up a portal for you`,
    paragraphs: [
      `${firm} has set up a secure online space for you to collaborate on documents and tasks with them. No registration or password is needed: the link below signs you in and accepts the invitation.`,
    ],
    label: 'Sign in to your portal',
    kind: 'portal-member-invitation',
  }),
};

/**
 * Issues a link and queues its email ("Go to Client Portal", or "Sign in to your portal" for a new
 * portal's members), in the caller's transaction; `letter` replaces the standard words (the button,
 * the link and its small print stay the same).
 * @example await sendLink(trx, { firmName, baseUrl: config.baseUrl }, person, 'invitation', ttl);
 */
export async function sendLink(
  db: Db,
  site: { firmName: string; baseUrl: string },
  user: LinkPerson,
  purpose: SignInLinkPurpose,
  ttlMs: number,
  letter?: LinkLetter,
  now = Date.now(),
): Promise<void> {
  const token = await issueLink(db, user, purpose, ttlMs, now);
  const standard = WORDING[purpose](site.firmName);
  const words = letter ?? standard;
  const email = await renderEmail({
    firmName: site.firmName,
    baseUrl: site.baseUrl,
    subject: words.subject,
    subjectNames: words.subjectNames,
    greeting: `Hello ${user.first_name},`,
    paragraphs: words.paragraphs,
    action: {
      label: standard.label,
      path: letter?.entityId
        ? `${linkPath(token)}?entity=${encodeURIComponent(letter.entityId)}`
        : linkPath(token),
    },
    note: `The link works once and lasts ${duration(ttlMs)}. If you did not expect this email, you can ignore it.`,
  });
  await queueMail(db, { to: user.email, kind: words.kind, ...email, secrets: [token] });
}

/**
 * Answers a request for a sign-in link in the background: the request itself only queued this job,
 * so asking costs the same whether or not the address belongs to someone who may sign in, and the
 * time taken tells nothing. Emails a fresh link when it does; does nothing otherwise.
 */
export function signInRequestHandler(
  db: Db,
  baseUrl: string,
  ttlMs: number,
): JobHandler<{ email: string; firmName: string }> {
  return {
    async run({ email, firmName }) {
      const person = await personWhoMaySignIn(db, email);
      if (!person) return;
      await db.transaction().execute((trx) => sendLink(trx, { firmName, baseUrl }, person, 'sign_in', ttlMs));
    },
    // The address alone is kept once it is answered.
    keep: ({ email }) => ({ email }),
  };
}
