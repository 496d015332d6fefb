/**
 * What one feature does for others, and for plugins, without being imported: the kernel states the
 * contract here, a feature provides it at registration (`r.provide`), and the rest ask the host.
 * Signing someone in is the auth feature's; a plugin's sign-in provider reaches it through
 * `ctx.auth`, never through auth's insides.
 */
import type { Context } from 'hono';
import { Providers } from './providers.js';

/** Why the host refused to start a session. */
export type SignInRefusal = 'unknown' | 'disabled' | 'portal_off' | 'no_access';

export type SignInOutcome =
  | { ok: true; userId: string; redirectTo: string }
  | { ok: false; reason: SignInRefusal; message: string };

export interface Services {
  /**
   * Starts a fresh session for `userId` on this request after the host's own checks (the account
   * exists and is enabled; a contact's Client portal is on and a role lets them in), audits it with
   * `method`, and says where to go: `next` when it is a path on this site, else home. A refusal
   * is audited too, and carries a sentence to show the person.
   */
  'auth.signIn': (
    c: Context,
    userId: string,
    /** `plugin`: the plugin that vouched for the person, named in the audit line. */
    options: { method: string; next?: string; plugin?: string },
  ) => Promise<SignInOutcome>;
  /** How many ways in this person has: a password, the emailed link, and every plugin's (filter 'account.ways_in'). */
  'auth.waysIn': (userId: string) => Promise<number>;
  /** Milliseconds since the caller's session began; null when not signed in. */
  'auth.sessionAge': (c: Context) => Promise<number | null>;
}
export type ServiceName = keyof Services;

/** Every service by name: the type makes this list complete, so a new service cannot be left out. */
const EVERY_SERVICE = Object.keys({
  'auth.signIn': true,
  'auth.waysIn': true,
  'auth.sessionAge': true,
} satisfies Record<ServiceName, true>) as ServiceName[];

export class ServiceRegistry extends Providers<Services> {
  constructor() {
    super('service');
  }

  /**
   * Stops start-up when a service has no provider (a host assembled without the auth feature, say),
   * so a plugin finds out at start, not when a person first presses its button.
   */
  requireAll(): void {
    const missing = EVERY_SERVICE.filter((name) => !this.has(name));
    if (missing.length) throw new Error(`no feature provides the service ${missing.join(', ')}`);
  }
}
