/**
 * The plugin's two tables. A flow is a sign-in in progress: its state, nonce and PKCE verifier,
 * kept server-side for ten minutes and taken once (deleted as it is read), so a replayed callback
 * finds nothing. An identity ties a provider's (issuer, subject) to one Portico user: never an email,
 * which the provider may change or reassign.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';

export interface OidcTables {
  oidc_flows: {
    id: string;
    state: string;
    provider: string;
    nonce: string;
    verifier: string;
    /** 'sign-in', or 'link' (to the signed-in `user_id`). */
    purpose: string;
    user_id: string | null;
    next: string | null;
    expires_at: number;
  };
  oidc_identities: {
    id: string;
    issuer: string;
    subject: string;
    provider: string;
    user_id: string;
    /** The email the provider gave when it was linked: shown to the person, never used to find them. */
    email: string | null;
    linked_at: number;
    last_used_at: number | null;
  };
}

export type Db = Kysely<OidcTables>;
export type Flow = OidcTables['oidc_flows'];
export type IdentityRow = OidcTables['oidc_identities'];

export const FLOW_MS = 10 * 60_000;

export const randomToken = () => randomBytes(32).toString('base64url');

export async function startFlow(
  db: Db,
  flow: Pick<Flow, 'provider' | 'purpose' | 'user_id' | 'next'>,
  now = Date.now(),
): Promise<Flow> {
  const row: Flow = {
    ...flow,
    id: randomToken(),
    state: randomToken(),
    nonce: randomToken(),
    verifier: randomToken(),
    expires_at: now + FLOW_MS,
  };
  await db.insertInto('oidc_flows').values(row).execute();
  return row;
}

/** The flow `id` with this `state`, deleted as it is read: a second call finds nothing. */
export async function takeFlow(db: Db, id: string, state: string): Promise<Flow | undefined> {
  return db.deleteFrom('oidc_flows').where('id', '=', id).where('state', '=', state).returningAll().executeTakeFirst();
}

export async function forgetExpiredFlows(db: Db, now = Date.now()): Promise<void> {
  await db.deleteFrom('oidc_flows').where('expires_at', '<', now).execute();
}

export function identityOf(db: Db, issuer: string, subject: string): Promise<IdentityRow | undefined> {
  return db
    .selectFrom('oidc_identities')
    .selectAll()
    .where('issuer', '=', issuer)
    .where('subject', '=', subject)
    .executeTakeFirst();
}

export function identitiesOf(db: Db, userId: string): Promise<IdentityRow[]> {
  return db.selectFrom('oidc_identities').selectAll().where('user_id', '=', userId).orderBy('linked_at').execute();
}

export async function link(
  db: Db,
  identity: Pick<IdentityRow, 'issuer' | 'subject' | 'provider' | 'user_id' | 'email'>,
  now = Date.now(),
): Promise<IdentityRow> {
  const row: IdentityRow = { ...identity, id: randomToken(), linked_at: now, last_used_at: now };
  await db.insertInto('oidc_identities').values(row).execute();
  return row;
}

export async function used(db: Db, id: string, now = Date.now()): Promise<void> {
  await db.updateTable('oidc_identities').set({ last_used_at: now }).where('id', '=', id).execute();
}

export const migrations = {
  '001_flows_and_identities': {
    async up(db: Kysely<unknown>) {
      const d = db as Db;
      await d.schema
        .createTable('oidc_flows')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('nonce', 'text', (c) => c.notNull())
        .addColumn('verifier', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text')
        .addColumn('next', 'text')
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute();
      await d.schema
        .createTable('oidc_identities')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('issuer', 'text', (c) => c.notNull())
        .addColumn('subject', 'text', (c) => c.notNull())
        .addColumn('provider', 'text', (c) => c.notNull())
        .addColumn('user_id', 'text', (c) => c.notNull())
        .addColumn('email', 'text')
        .addColumn('linked_at', 'bigint', (c) => c.notNull())
        .addColumn('last_used_at', 'bigint')
        .execute();
      await d.schema
        .createIndex('oidc_identities_issuer_subject')
        .on('oidc_identities')
        .columns(['issuer', 'subject'])
        .unique()
        .execute();
      await d.schema.createIndex('oidc_identities_user').on('oidc_identities').column('user_id').execute();
    },
  },
};
