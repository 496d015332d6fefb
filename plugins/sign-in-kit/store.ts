/**
 * A sign-in plugin's two tables, named after the plugin (`<id>_flows`, `<id>_identities`, as the
 * table guard demands). A flow is a sign-in in progress: its state, nonce and PKCE verifier, kept
 * server-side for ten minutes and taken once (deleted as it is read), so a replayed callback finds
 * nothing. An identity ties a provider's (issuer, subject) to one Portico user: never an email,
 * which the provider may change or reassign.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';

export interface Flow {
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
}

export interface IdentityRow {
  id: string;
  issuer: string;
  subject: string;
  provider: string;
  user_id: string;
  /** The email (or username) the provider gave when it was linked: shown to the person, never used to find them. */
  email: string | null;
  linked_at: number;
  last_used_at: number | null;
}

export const FLOW_MS = 10 * 60_000;

export const randomToken = () => randomBytes(32).toString('base64url');

/** The tables' names as the plugin owns them: `plugin` is its id. */
const tables = (plugin: string) => {
  const prefix = plugin.replace(/-/g, '_');
  return { flows: `${prefix}_flows`, identities: `${prefix}_identities` } as const;
};

// The names are made at run time, so the query builder cannot type them: rows are typed here.
// biome-ignore lint/suspicious/noExplicitAny: tables named after the plugin, typed by Flow and IdentityRow
type AnyDb = Kysely<any>;

export class SignInStore {
  readonly #flows: string;
  readonly #identities: string;

  /** `db`: the plugin's guarded handle, or a transaction of it; `plugin`: its id. */
  constructor(
    private readonly db: AnyDb,
    plugin: string,
  ) {
    const t = tables(plugin);
    this.#flows = t.flows;
    this.#identities = t.identities;
  }

  async startFlow(flow: Pick<Flow, 'provider' | 'purpose' | 'user_id' | 'next'>, now = Date.now()): Promise<Flow> {
    const row: Flow = {
      ...flow,
      id: randomToken(),
      state: randomToken(),
      nonce: randomToken(),
      verifier: randomToken(),
      expires_at: now + FLOW_MS,
    };
    await this.db.insertInto(this.#flows).values(row).execute();
    return row;
  }

  /** The flow `id` with this `state`, deleted as it is read: a second call finds nothing. */
  takeFlow(id: string, state: string): Promise<Flow | undefined> {
    return this.db
      .deleteFrom(this.#flows)
      .where('id', '=', id)
      .where('state', '=', state)
      .returningAll()
      .executeTakeFirst() as Promise<Flow | undefined>;
  }

  async forgetExpiredFlows(now = Date.now()): Promise<void> {
    await this.db.deleteFrom(this.#flows).where('expires_at', '<', now).execute();
  }

  identityOf(issuer: string, subject: string): Promise<IdentityRow | undefined> {
    return this.db
      .selectFrom(this.#identities)
      .selectAll()
      .where('issuer', '=', issuer)
      .where('subject', '=', subject)
      .executeTakeFirst() as Promise<IdentityRow | undefined>;
  }

  identitiesOf(userId: string): Promise<IdentityRow[]> {
    return this.db
      .selectFrom(this.#identities)
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('linked_at')
      .execute() as Promise<IdentityRow[]>;
  }

  /**
   * Links the identity to `user_id`, unless it is linked already (two first sign-ins at once, or to
   * someone else): whoever holds it now, and whether this call linked it.
   */
  async link(
    identity: Pick<IdentityRow, 'issuer' | 'subject' | 'provider' | 'user_id' | 'email'>,
    now = Date.now(),
  ): Promise<{ holder: IdentityRow; linked: boolean }> {
    const row: IdentityRow = { ...identity, id: randomToken(), linked_at: now, last_used_at: now };
    const inserted = await this.db
      .insertInto(this.#identities)
      .values(row)
      .onConflict((oc) => oc.columns(['issuer', 'subject']).doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1) return { holder: row, linked: true };
    const holder = await this.identityOf(identity.issuer, identity.subject);
    if (!holder) throw new Error('an identity that would not insert is not there either');
    return { holder, linked: false };
  }

  /**
   * Unlinks identity `id` of `userId` only while they keep a way in: `elsewhere` is how many they
   * have outside this plugin's identities of `providers` (those configured, which are ways in).
   * One statement, so two unlinks at once cannot both pass.
   */
  async unlink(id: string, userId: string, elsewhere: number, providers: readonly string[]): Promise<boolean> {
    const deleted = await this.db
      .deleteFrom(this.#identities)
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where(
        (eb) =>
          eb
            .selectFrom(this.#identities)
            .select((s) => s.fn.countAll().as('n'))
            .where('user_id', '=', userId)
            .where('provider', 'in', providers),
        '>',
        Math.max(0, 1 - elsewhere),
      )
      .executeTakeFirst();
    return Number(deleted.numDeletedRows) === 1;
  }

  async used(id: string, now = Date.now()): Promise<void> {
    await this.db.updateTable(this.#identities).set({ last_used_at: now }).where('id', '=', id).execute();
  }
}

/** The migration making both tables for plugin `plugin`. */
export function signInMigrations(plugin: string) {
  const t = tables(plugin);
  return {
    '001_flows_and_identities': {
      async up(db: Kysely<unknown>) {
        const d = db as AnyDb;
        await d.schema
          .createTable(t.flows)
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
          .createTable(t.identities)
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
          .createIndex(`${t.identities}_issuer_subject`)
          .on(t.identities)
          .columns(['issuer', 'subject'])
          .unique()
          .execute();
        await d.schema.createIndex(`${t.identities}_user`).on(t.identities).column('user_id').execute();
      },
    },
  };
}
