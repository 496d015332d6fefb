/**
 * What a sign-in provider gives back (who the person is at the provider), and why a sign-in was
 * refused, each reason with the sentence the refusal page shows: what happened and what to do,
 * never the protocol's words.
 */

export interface Identity {
  /** The provider's issuer: with `subject`, what the identity is keyed on. */
  issuer: string;
  subject: string;
  /** An email (or a username) the provider gave, if any: shown, and used only when `vouched`. */
  email: string | null;
  /** The provider vouches that `email` is this person's (OpenID's `email_verified`). */
  emailVerified: boolean;
  /** Microsoft's tenant id (`tid`), if any. */
  tenant: string | null;
}

/** Refusals of the protocol: the answer could not be trusted, or came too late. */
export type Refusal =
  | 'state'
  | 'expired'
  | 'denied'
  | 'unavailable'
  | 'token'
  | 'issuer'
  | 'audience'
  | 'signature'
  | 'token-expired'
  | 'nonce';

/** Refusals of the person: the provider is trusted, but Portico will not let them in this way. */
export type AccountRefusal = 'unknown' | 'unverified' | 'link-first' | 'domain' | 'taken';

export class SignInRefused extends Error {
  constructor(
    readonly reason: Refusal,
    detail: string,
  ) {
    super(detail);
  }
}

export function sentenceFor(reason: Refusal | AccountRefusal, label: string, detail: string | null): string {
  switch (reason) {
    case 'state':
    case 'expired':
      return `This sign-in with ${label} has expired or was already used. Start again from the sign-in page.`;
    case 'denied':
      return `You did not finish signing in at ${label}. Start again from the sign-in page, or use an emailed link.`;
    case 'unavailable':
      return `${label} could not be reached. Try again in a few minutes, or use an emailed link instead.`;
    case 'unknown':
      return `No account here uses the email address ${label} gave us${detail ? ` (${detail})` : ''}. Ask your firm to invite you with that address, or use an emailed link instead.`;
    case 'unverified':
      return `${label} did not confirm that this email address is yours, so we cannot use it to find your account. Use an emailed link instead, then link ${label} from Your account.`;
    case 'link-first':
      return `${label} is not linked to an account here yet. Sign in another way (an emailed link), then link ${label} from Your account.`;
    case 'domain':
      return `Staff sign in with ${label} only with an address at ${detail}.`;
    case 'taken':
      return `That ${label} account is already linked to someone else here.`;
    default:
      return `${label}'s answer could not be trusted, so you were not signed in. Start again from the sign-in page.`;
  }
}
