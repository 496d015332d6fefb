/** The places on the sign-in pages that other features and plugins fill. */

/** Another way to sign in (Google, MYOB, …): a button leading to its own start page on this site. */
export interface WayIn {
  id: string;
  label: string;
  /** A path on this site, such as /p/oidc/google/start. */
  href: string;
}

declare module '../host/slots.js' {
  interface Slots {
    /** Ways to sign in other than a password or an emailed link (the sign-in and link pages). */
    'signin.buttons': { props: Record<string, never>; gives: WayIn };
  }
}
