/**
 * The plugin API (host version 1): what a plugin exports and the one door, `ctx`, it is given.
 * A plugin is a folder under plugins/ or an npm package whose default export is `definePlugin(…)`;
 * PLUGINS in the environment lists the ones that run. See docs/plugins.md.
 */

import type { Context, Hono } from 'hono';
import type { Kysely } from 'kysely';
import type * as v from 'valibot';
import type {
  EventName,
  Events,
  Filter,
  FilterName,
  FrameName,
  FrameProps,
  NavEntry,
  SignInOutcome,
  SlotFiller,
  SlotName,
} from '../host/index.js';
import type { JobKind, JobKinds } from '../jobs/queue.js';
import type { JobHandler } from '../jobs/worker.js';
import type { Logger } from '../kernel/log.js';
import type { Secrets } from '../kernel/secrets.js';
import type { Mail } from '../mail/mail.js';
import type { Actor, Permission, ScopeChain } from '../permissions/index.js';

/** The plugin API this host offers; a plugin's `host` range must accept it. */
export const HOST_API_VERSION = '1.0.0';

/** A plugin's own migration: `db` reaches only the plugin's tables. */
export interface PluginMigration {
  // biome-ignore lint/suspicious/noExplicitAny: a migration makes tables no type describes yet
  up(db: Kysely<any>): Promise<void>;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  down?(db: Kysely<any>): Promise<void>;
}

/** A secret the plugin reads from the environment, checked at start. */
export interface PluginSecret {
  /** The environment variable, e.g. `EXAMPLE_API_KEY`. */
  env: string;
  /** Checks the value; a failure stops start-up naming the plugin and the variable. */
  schema?: v.GenericSchema<string, unknown>;
  /** When true, a missing variable is fine (the secret reads as undefined). */
  optional?: boolean;
}

/** What the Admin enters on the plugin's settings page, and its secrets from the environment. */
export interface PluginSettings {
  /**
   * The fields of the settings page: an object of string fields (text inputs), validated on save.
   * Until a save passes, the plugin is "not configured" and its features stay off, unless every
   * field may be left empty (the schema accepts `{}`): then it runs with those defaults from the start.
   */
  fields?: v.ObjectSchema<v.ObjectEntries, v.ErrorMessage<v.ObjectIssue> | undefined>;
  /** Each field's label on the page ("Footer line"); the field's name by default. */
  labels?: Record<string, string>;
  /**
   * Secrets by the name `ctx.secret` reads them under. A function of the environment when the
   * variables themselves depend on it (one set per provider listed in another variable); a
   * PluginStartError it throws stops start-up with its message.
   * @example secrets: (env) => Object.fromEntries(names(env).map((n) => [n, { env: `OIDC_${n}_CLIENT_SECRET` }]))
   */
  secrets?: Record<string, PluginSecret> | ((env: NodeJS.ProcessEnv) => Record<string, PluginSecret>);
}

/** `DB`: the plugin's own tables, as Kysely table types. */
export interface PluginDefinition<DB = Record<string, never>> {
  /** Lowercase letters, digits and single hyphens, starting with a letter: `client-notes`. */
  id: string;
  version: string;
  /** A semver range of the plugin API it was written for, e.g. '^1'. */
  host: string;
  /** Ids of plugins that must be enabled with it. */
  requires?: readonly string[];
  settings?: PluginSettings;
  /** Its migrations by name, run in order of name, recorded in its own table. */
  migrations?: Record<string, PluginMigration>;
  /** Registers what the plugin adds, through `ctx`; throwing here stops start-up. */
  register(ctx: PluginContext<DB>): void;
}

/** @example export default definePlugin({ id: 'client-notes', version: '1.0.0', host: '^1', register(ctx) { … } }); */
export function definePlugin<DB>(definition: PluginDefinition<DB>): PluginDefinition<DB> {
  return definition;
}

/** A person as a plugin may look them up. */
export interface PluginUser {
  id: string;
  kind: 'staff' | 'contact';
  email: string;
  firstName: string;
  lastName: string;
  disabled: boolean;
}

/** The plugin's one door to the app. Everything it registers is recorded under its id. */
export interface PluginContext<DB = Record<string, never>> {
  /** The plugin's id. */
  readonly id: string;
  /**
   * BASE_URL, the public origin: build every absolute link from it (a provider's redirect URI, a
   * link in an email), never from the request's Host header.
   * @example const redirectUri = `${ctx.baseUrl}/p/${ctx.id}/callback`;
   */
  readonly baseUrl: string;
  /**
   * A one-line message shown once at the top of the next page (after a redirect).
   * @example ctx.flash(c, 'success', 'Google is linked to your account.'); return c.redirect('/account', 303);
   */
  flash(c: Context, kind: 'success' | 'error', text: string): void;
  /**
   * A database handle that reaches only tables named `<id>_…` (hyphens as underscores), through
   * the query builder; raw SQL is refused.
   * @example await ctx.db.insertInto('client_notes_log').values({ id, text }).execute();
   */
  readonly db: Kysely<DB>;
  /**
   * A logger whose lines carry the plugin's id. Never log a password, token or cookie.
   * @example ctx.log.info('note saved', { entity: entityId });
   */
  readonly log: Logger;
  /**
   * Routes, mounted under `/p/<id>` (its '/' is `/p/<id>`, its '/x' is `/p/<id>/x`) and guarded exactly like core routes: each must call
   * `ctx.authorize` or `ctx.requireStaff`, or be declared `ctx.signedInRoute` or `ctx.publicRoute`, or it answers 500.
   * @example ctx.routes((app) => app.get('/', (c) => { ctx.authorize(c, 'entity.summary:R'); … }));
   */
  routes(build: (app: Hono) => void): void;
  /**
   * A place in the navigation ('main' or the Admin menu), for those `visible` lets through.
   * @example ctx.nav({ href: '/p/client-notes', label: 'Notes', audience: 'staff', order: 45 });
   */
  nav(entry: NavEntry): void;
  /**
   * Fills a page's named slot ('entity.tabs', 'entity.header', 'entity.links', 'home.panels',
   * 'contact.panels', 'signin.buttons', 'account.panels', …). Give null where this person may not
   * use what you give.
   * @example ctx.slot('entity.links', ({ entity }) => [{ href: `/p/client-notes/${entity.id}`, label: 'Notes' }]);
   */
  slot<K extends SlotName>(name: K, fill: SlotFiller<K>, order?: number): void;
  /**
   * Renders `props.body` inside another feature's page frame, as that feature's own pages are:
   * 'entity.workspace' puts it under an entity's name and tab bar, with the tab `props.tab` marked
   * current (the whole page, or only the tab bar and panel when htmx asks for them), and answers an
   * entity the reader may not see exactly like a missing one (404). Pair it with a tab of your own
   * ('entity.tabs') whose `href` is the route.
   * @example
   * ctx.slot('entity.tabs', ({ entity }) => ({ id: 'notes', label: 'Notes', href: `/p/client-notes/entities/${entity.id}`, order: 50 }));
   * app.get('/entities/:id', async (c) => {
   *   const entityId = c.req.param('id');
   *   ctx.authorizeOrNotFound(c, 'entity.summary:R', ctx.lookup.entityChain(entityId));
   *   return ctx.frame(c, 'entity.workspace', { entityId, tab: 'notes', title: 'Notes', body: <Notes … /> });
   * });
   */
  frame<K extends FrameName>(c: Context, name: K, props: FrameProps<K>): Promise<Response>;
  /**
   * Hears an event after the change commits. `eventCtx.db` is the plugin's handle inside the
   * transaction that records the delivery: work done through it happens exactly once.
   * @example ctx.on('entity.created', async (e, { db, eventId }) => { await db.insertInto('client_notes_log')… });
   */
  on<K extends EventName>(
    name: K,
    listener: (
      payload: Events[K],
      ctx: { eventId: string; at: number; db: Kysely<DB> },
    ) => void | Promise<void>,
  ): void;
  /**
   * Changes a value before it is used ('mail.outgoing': an email before it is sent). A filter that
   * throws is skipped and shown on the Plugins page.
   * @example ctx.filter('mail.outgoing', (mail) => ({ ...mail, text: `${mail.text}\n-- ${footer}` }));
   */
  filter<K extends FilterName>(name: K, filter: Filter<K>): void;
  /**
   * Runs queued jobs of a kind the plugin declared (in JobKinds, by declaration merging), named `<id>.…`.
   * @example ctx.job('client-notes.digest', { run: async (payload) => { … } });
   */
  job<K extends JobKind>(kind: K, handler: JobHandler<JobKinds[K]>): void;
  /**
   * Work every `everyMs`, once across all app processes; `run` is given the plugin's handle.
   * @example ctx.schedule({ name: 'client-notes.tidy', everyMs: 3_600_000, run: async (db) => { … } });
   */
  schedule(schedule: { name: string; everyMs: number; run(db: Kysely<DB>): Promise<void> }): void;
  /**
   * A way to sign in, shown as a button on the sign-in page and the "email me a sign-in link" page.
   * @example ctx.signInProvider({ id: 'google', label: 'Sign in with Google', href: '/p/oidc/google/start' });
   */
  signInProvider(provider: { id: string; label: string; href: string }): void;
  /**
   * The settings the Admin saved (valid ones: until then the plugin's features are off), and its secrets.
   * @example const { footer } = ctx.settings() as { footer: string };
   */
  settings(): Record<string, unknown>;
  /** The secrets read from the environment at start. @example ctx.secret('apiKey') */
  secret(name: string): string | undefined;
  /**
   * Sealing and signing with the installation's SECRET_KEY, under a `purpose` the plugin names
   * (kept apart from the core's and other plugins' purposes). A sealed value is encrypted and
   * authenticated (a provider's token kept in a table); a signed one is readable but cannot be forged
   * (a cookie tying a sign-in in progress to the browser that started it). Rotating SECRET_KEY makes
   * everything sealed or signed before unreadable: `open` and `verify` then give null.
   * @example const cookie = ctx.secretKey.sign('flow', flowId); const id = ctx.secretKey.verify('flow', cookie);
   * @example const kept = ctx.secretKey.seal('token', refreshToken); const token = ctx.secretKey.open('token', kept);
   */
  readonly secretKey: Secrets;
  /**
   * Queues an email in `db`'s transaction (the host's mail queue), sent after commit.
   * @example await ctx.mail(trx, { to, subject: 'Note added', text, html, kind: 'client-notes' });
   */
  mail(db: Kysely<DB>, mail: Mail): Promise<void>;
  /**
   * Writes an audit line in `db`'s transaction, under the plugin's name.
   * @example await ctx.audit(trx, { what: 'Note added', object: { type: 'entity', id, label: name } });
   */
  audit(
    db: Kysely<DB>,
    entry: { what: string; object: { type: string; id: string | null; label: string }; after?: unknown },
  ): Promise<void>;
  /**
   * Says the plugin changed its own tables, in the transaction it wrote in (`db`: that handle), so
   * whatever is kept with `ctx.keep` under `counts.plugins` is made afresh on the next request, in
   * every app process. Call it after each write a kept view shows.
   * @example await db.insertInto('client_notes_log').values(row).execute(); await ctx.changed(db);
   */
  changed(db: Kysely<DB>): Promise<void>;
  /**
   * Keeps what `build` makes in memory while `version` stays the same. Make `version` from change
   * counts read before any rows (a home panel's props carry them): `counts.plugins` moves with every
   * `ctx.changed`, `counts.permissions` with anyone's roles, `counts.users` with the people.
   * @example const rows = await ctx.keep(actor.user.id, counts.plugins + counts.permissions, readRows);
   */
  keep<T>(key: string, version: number, build: () => Promise<T>): Promise<T>;
  /** Read-only look-ups through the permission module. */
  readonly lookup: {
    /**
     * The person with this email, if any (compared as Portico compares emails).
     * @example const user = await ctx.lookup.userByEmail('ada@example.com');
     */
    userByEmail(email: string): Promise<PluginUser | undefined>;
    /**
     * The person with this id, if any.
     * @example const user = await ctx.lookup.userById(identity.user_id);
     */
    userById(id: string): Promise<PluginUser | undefined>;
    /**
     * Whether `actor` holds `permission` on the chain (the permission module's `can`).
     * @example if (ctx.lookup.can(actor, 'entity.summary:R', ctx.lookup.entityChain(id))) …
     */
    can(actor: Actor, permission: Permission, chain?: ScopeChain): boolean;
    /** The scope chain of an entity, for `can`. */
    entityChain(entityId: string): ScopeChain;
  };
  /**
   * Signing people in, for a sign-in provider. The provider proves who someone is; the host decides
   * whether they may come in. To refuse password sign-in for someone (staff who must use the
   * provider), filter 'signin.password'; to count the identities linked to someone, so the last way
   * in is never removed, filter 'account.ways_in'.
   * @example ctx.filter('account.ways_in', async (n, { user }) => n + (await linkedCount(user.id)));
   */
  readonly auth: {
    /**
     * Starts a fresh session for the person after the host's own checks (enabled; a contact's
     * portal on and a role that lets them in), audited with `method`; on success, redirect to
     * `redirectTo` (`next` when it is a path on this site). A refusal is audited and carries a
     * sentence to show ("Ask your firm to turn on your portal access.").
     * @example const done = await ctx.auth.signIn(c, user.id, { method: 'Google', next });
     * return done.ok ? c.redirect(done.redirectTo, 303) : ctx.page(c, 'Not signed in', <p>{done.message}</p>, 403);
     */
    signIn(c: Context, userId: string, options: { method: string; next?: string }): Promise<SignInOutcome>;
    /**
     * How many ways in the person has, across the host and every plugin.
     * @example if ((await ctx.auth.waysIn(actor.user.id)) <= 1) return refuse('This is your last way in.');
     */
    waysIn(userId: string): Promise<number>;
    /**
     * Milliseconds since the caller's session began (null when not signed in): ask for a fresh
     * sign-in before linking a new identity.
     * @example if (((await ctx.auth.sessionAge(c)) ?? Infinity) > 10 * 60_000) return c.redirect('/sign-in', 303);
     */
    sessionAge(c: Context): Promise<number | null>;
  };
  /**
   * Route guards, the same as core routes use.
   * @example app.get('/', (c) => { const actor = ctx.authorize(c, 'entity.summary:R'); … });
   */
  readonly authorize: typeof import('../permissions/index.js').authorize;
  /**
   * Like `authorize`, but a refusal answers exactly like a missing object (404): for routes about
   * one client, so a client the reader may not see cannot be told apart from one that does not exist.
   * @example ctx.authorizeOrNotFound(c, 'entity.summary:R', ctx.lookup.entityChain(c.req.param('id')));
   */
  readonly authorizeOrNotFound: typeof import('../permissions/index.js').authorizeOrNotFound;
  readonly requireStaff: typeof import('../permissions/index.js').requireStaff;
  /** The signed-in actor; alone it authorizes nothing (declare `signedInRoute` or ask `authorize`). */
  readonly requireSignedIn: typeof import('../permissions/index.js').requireSignedIn;
  /**
   * Declares a route any signed-in user may use; the anonymous are sent to sign in.
   * @example app.get('/mine', ctx.signedInRoute, (c) => { const actor = ctx.requireSignedIn(c); … });
   */
  readonly signedInRoute: typeof import('../permissions/index.js').signedInRoute;
  readonly publicRoute: typeof import('../permissions/index.js').publicRoute;
  /**
   * Renders `body` inside the app's page shell (header, navigation, styles), as core pages are.
   * @example return ctx.page(c, 'Notes', <NotesList notes={notes} />);
   */
  readonly page: typeof import('../http/render.js').page;
}
