/**
 * The host's one answer to "may this person start a session now?", whatever way they came in (a
 * password, an emailed link, a plugin's provider): the account exists and is enabled, and a
 * contact's Client portal is on with a role that lets them in (not Associated alone).
 */
import type { Db } from '../db/connect.js';
import type { SignInRefusal } from '../host/index.js';
import { loadActor, mayEnterPortal } from '../permissions/index.js';

export interface Admitted {
  id: string;
  kind: 'staff' | 'contact';
  email: string;
  first_name: string;
  last_name: string;
}

export type Gate =
  | { ok: true; user: Admitted }
  | { ok: false; reason: SignInRefusal; message: string; email: string };

/** What a refused person is told, in words they can act on. */
export const REFUSALS: Record<SignInRefusal, string> = {
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
