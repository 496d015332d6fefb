/**
 * The host's one answer to "may this person start a session now?", whatever way they came in (a
 * password, an emailed link, a plugin's provider): the account exists and is enabled, and a
 * contact's Client portal is on with a role that lets them in (not Associated alone). And the one
 * record of the answer: a fresh session and "Signed in", or "Sign-in refused", each saying how.
 */
import type { Context } from 'hono';
import { recordAudit } from '../audit/record.js';
import type { Db } from '../db/connect.js';
import type { SignInRefusal } from '../host/index.js';
import { userLabel } from '../kernel/names.js';
import { loadActor, mayEnterPortal } from '../permissions/index.js';
import { startSession } from './start-session.js';

interface Admitted {
  id: string;
  kind: 'staff' | 'contact';
  email: string;
  first_name: string;
  last_name: string;
}

type Gate =
  | { ok: true; user: Admitted }
  | { ok: false; reason: SignInRefusal; message: string; email: string };

/** What a refused person is told, in words they can act on. */
const REFUSALS: Record<SignInRefusal, string> = {
  unknown: 'There is no account for you here. Ask your firm to invite you, or use the emailed link instead.',
  disabled: 'Your account is turned off. Ask your firm to turn it back on.',
  portal_off: 'Ask your firm to turn on your portal access.',
  no_access: 'Nothing has been shared with you yet. Ask your firm to give you access, then sign in again.',
};

export async function mayStartSession(db: Db, userId: string): Promise<Gate> {
  const row = await db
    .selectFrom('users as u')
    .leftJoin('contact_profiles as cp', 'cp.user_id', 'u.id')
    .select(['u.id', 'u.kind', 'u.email', 'u.first_name', 'u.last_name', 'u.disabled_at', 'cp.portal_access'])
    .where('u.id', '=', userId)
    .executeTakeFirst();
  const refuse = (reason: SignInRefusal) => ({
    ok: false as const,
    reason,
    message: REFUSALS[reason],
    email: row?.email ?? '',
  });
  if (!row) return refuse('unknown');
  if (row.disabled_at !== null) return refuse('disabled');
  const user = {
    id: row.id,
    kind: row.kind,
    email: row.email,
    first_name: row.first_name,
    last_name: row.last_name,
  };
  if (row.kind === 'staff') return { ok: true, user };
  if (row.portal_access !== 1) return refuse('portal_off');
  if (!mayEnterPortal(await loadActor(db, row))) return refuse('no_access');
  return { ok: true, user };
}

/** How someone came in, for the audit: "password", "sign-in link", a provider's name; and the plugin that vouched. */
export interface Way {
  via: string;
  plugin?: string;
}

/** Starts a fresh session for `user` and records "Signed in"; call it in the transaction of the sign-in. */
export async function admit(
  c: Context,
  trx: Db,
  user: { id: string; email: string; first_name: string; last_name: string },
  way: Way,
  secure: boolean,
): Promise<void> {
  await startSession(c, trx, user.id, secure);
  await recordAudit(trx, {
    actor: { id: user.id, label: userLabel(user) },
    action: 'session.signed_in',
    object: { type: 'user', id: user.id, label: user.email },
    after: way,
    requestId: c.get('requestId') ?? null,
  });
}

/** Records "Sign-in refused" for `person` (whose id is null when no account matched), with how and why. */
export async function auditRefusal(
  c: Context,
  db: Db,
  person: { id: string | null; email: string },
  way: Way,
  reason: string,
): Promise<void> {
  await recordAudit(db, {
    // Nobody is signed in yet: the attempt is recorded under the address it was made for.
    actor: { id: null, label: person.email || 'Someone unknown' },
    action: 'session.refused',
    object: { type: 'user', id: person.id, label: person.email },
    after: { ...way, reason },
    requestId: c.get('requestId') ?? null,
  });
}
