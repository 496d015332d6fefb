/** The places on the sign-in and account pages that other features and plugins fill. */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { Actor } from '../permissions/index.js';

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
    /** Sections of "Your account", after the password ("Sign-in methods": linked Google, MYOB). */
    'account.panels': { props: { c: Context; actor: Actor }; gives: Child };
  }
}
