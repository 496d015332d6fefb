/**
 * What the auth feature does for plugins, through the host's services (src/host/services.ts): a
 * sign-in provider proves who someone is, and the host decides whether they may come in. Also the
 * two filters a provider may use: refusing password sign-in, and counting its ways in.
 */
import type { Context } from 'hono';
import { recordAudit } from '../audit/record.js';
import type { FeatureDeps, SignInOutcome } from '../host/index.js';
import { safeNext } from '../http/safe-next.js';
import { isHttps } from '../kernel/config.js';
import { userLabel } from '../kernel/names.js';
import { mayStartSession } from './sign-in-gate.js';
import { startSession } from './start-session.js';

/** Who a filter of sign-in is asked about. */
export interface SignInPerson {
  id: string;
  kind: 'staff' | 'contact';
  email: string;
}

declare module '../host/filters.js' {
  interface Filters {
    /**
     * Before a password is checked: null lets it be tried; a sentence refuses password sign-in for
     * this person and is shown beside the form ("Sign in with Google: your firm requires it").
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
    options: { method: string; next?: string },
  ): Promise<SignInOutcome> {
    const gate = await mayStartSession(db, userId);
    const requestId = c.get('requestId') ?? null;
    if (!gate.ok) {
      await recordAudit(db, {
        actor: { id: null, label: gate.email || 'Someone unknown' },
        action: 'session.refused',
        object: { type: 'user', id: gate.reason === 'unknown' ? null : userId, label: gate.email },
        after: { via: options.method, reason: gate.reason },
        requestId,
      });
      return { ok: false, reason: gate.reason, message: gate.message };
    }
    const { user } = gate;
    await db.transaction().execute(async (trx) => {
      await startSession(c, trx, user.id, secure);
      await recordAudit(trx, {
        actor: { id: user.id, label: userLabel(user) },
        action: 'session.signed_in',
        object: { type: 'user', id: user.id, label: user.email },
        after: { via: options.method },
        requestId,
      });
    });
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
    const own =
      row.kind === 'staff' ? (row.password_hash ? 1 : 0) : (await mayStartSession(db, userId)).ok ? 1 : 0;
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
