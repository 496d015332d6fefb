/**
 * What the auth feature does for plugins, through the host's services (src/host/services.ts): a
 * sign-in provider proves who someone is, and the host decides whether they may come in. Also the
 * two filters a provider may use: refusing password sign-in, and counting its ways in.
 */
import type { Context } from 'hono';
import type { FeatureDeps, SignInOutcome } from '../host/index.js';
import { safeNext } from '../http/safe-next.js';
import { isHttps } from '../kernel/config.js';
import { admit, auditRefusal, mayStartSession } from './sign-in-gate.js';

/** Who a filter of sign-in is asked about. */
export interface SignInPerson {
  id: string;
  kind: 'staff' | 'contact';
  email: string;
}

declare module '../host/filters.js' {
  interface Filters {
    /**
     * Once a password has proved right: null lets the person in; a sentence refuses password
     * sign-in for them and is shown beside the form ("Sign in with Google: your firm requires it").
     * A filter that fails refuses (with the generic answer): a rule a plugin enforces never lapses
     * because its check broke.
     */
    'signin.password': { value: string | null; context: { user: SignInPerson } };
    /** How many ways in the person has: each provider adds the identities linked to them. */
    'account.ways_in': { value: number; context: { user: SignInPerson } };
  }
}

export function authServices({ db, config, host }: FeatureDeps) {
  const secure = isHttps(config);

  async function signIn(
    c: Context,
    userId: string,
    options: { method: string; next?: string; plugin?: string },
  ): Promise<SignInOutcome> {
    const gate = await mayStartSession(db, userId);
    const way = { via: options.method, ...(options.plugin ? { plugin: options.plugin } : {}) };
    if (!gate.ok) {
      const person = { id: gate.reason === 'unknown' ? null : userId, email: gate.email };
      await auditRefusal(c, db, person, way, gate.reason);
      return { ok: false, reason: gate.reason, message: gate.message };
    }
    const { user } = gate;
    await db.transaction().execute((trx) => admit(c, trx, user, way, secure));
    const home = user.kind === 'contact' ? '/portal' : '/';
    return { ok: true, userId: user.id, redirectTo: safeNext(options.next, home) };
  }

  async function waysIn(userId: string): Promise<number> {
    const row = await db
      .selectFrom('users')
      .select(['id', 'kind', 'email', 'password_hash'])
      .where('id', '=', userId)
      .executeTakeFirst();
    if (!row) return 0;
    // The host's own: a staff member's password; a contact's emailed link, while they may use it.
    let own = 0;
    if (row.kind === 'staff') own = row.password_hash ? 1 : 0;
    else if ((await mayStartSession(db, userId)).ok) own = 1;
    return host.filters.apply('account.ways_in', own, {
      user: { id: row.id, kind: row.kind, email: row.email },
    });
  }

  async function sessionAge(c: Context): Promise<number | null> {
    const id = c.get('sessionId');
    if (!id) return null;
    const row = await db.selectFrom('sessions').select('created_at').where('id', '=', id).executeTakeFirst();
    return row ? Date.now() - row.created_at : null;
  }

  return { signIn, waysIn, sessionAge };
}
