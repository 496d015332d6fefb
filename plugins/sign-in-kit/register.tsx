/**
 * What every sign-in plugin does the same way, whatever its protocol: a button per provider on
 * both sign-in pages, the start of a flow (kept server-side, tied to the browser by a cookie signed
 * with SECRET_KEY), the provider's answer (the flow taken once, then the provider's own checks),
 * signing in or linking, "Sign-in methods" on Your account with unlinking (never the last way in),
 * the count of ways in, the staff rule on password sign-in, and audit lines for all of it. A
 * plugin brings its providers (how to send the browser there, and who the answer names).
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { PluginContext } from '../../src/plugins/index.js';
import { type AccountRefusal, type Identity, SignInRefused, sentenceFor } from './identity.js';
import { type Flow, SignInStore } from './store.js';
import { Refused, SignInMethods } from './views.js';

const FRESH_SIGN_IN_MS = 10 * 60_000;

export interface SignInProvider {
  /** In URLs (/p/<plugin>/<name>/start) and in the audit log. */
  name: string;
  /** "Google": the buttons read "Sign in with Google" and "Link Google". */
  label: string;
  /**
   * How a first sign-in may find the person: by an email the provider vouches for
   * ('verified-email'), or never ('link-first': linked from Your account before it signs anyone in).
   */
  firstSignIn: 'verified-email' | 'link-first';
  /** Throws SignInRefused('unavailable') when the provider cannot be reached. */
  ready(): Promise<void>;
  /** Where to send the browser for this flow (its answer comes back to `callbackUrl`). */
  authorizationUrl(flow: Flow): Promise<URL>;
  /** The provider's answer (its query parameters) checked and exchanged: who it names. Throws SignInRefused. */
  identify(query: (name: string) => string | undefined, flow: Flow): Promise<Identity>;
  /** Whether the provider vouches that the identity's email is the person's. */
  vouches(identity: Identity): boolean;
}

export interface StaffRule {
  /** The provider staff must sign in with: their password is refused once they linked it. */
  provider?: string;
  /** Staff sign in with a provider only from this email domain. */
  domain?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: the kit serves any plugin's tables, named after it
type AnyPlugin = PluginContext<any>;

/** Where provider `name` of this plugin answers: the redirect URI registered at the provider, from BASE_URL. */
export function callbackUrl(ctx: Pick<AnyPlugin, 'baseUrl' | 'id'>, name: string): string {
  return `${ctx.baseUrl}/p/${ctx.id}/${name}/callback`;
}

export function registerSignIn(
  ctx: AnyPlugin,
  providers: readonly SignInProvider[],
  staffRule: () => StaffRule = () => ({}),
): void {
  const byName = new Map(providers.map((p) => [p.name, p]));
  const store = new SignInStore(ctx.db, ctx.id);
  const base = `/p/${ctx.id}`;
  const https = ctx.baseUrl.startsWith('https://');
  // One cookie per flow, named after its state, so two tabs (or two providers) never undo each
  // other; on https the __Host- prefix keeps a sibling subdomain from planting one.
  const cookieFor = (state: string) =>
    https
      ? { name: `__Host-portico_${ctx.id}_${state.slice(0, 16)}`, path: '/' }
      : { name: `portico_${ctx.id}_${state.slice(0, 16)}`, path: base };
  const labelOf = (name: string) => byName.get(name)?.label ?? name;
  /** What a page may echo from a provider's answer into an audit line: short, and plain. */
  const plain = (s: string | undefined) => (s ?? '').replace(/[^\w.:/@-]/g, '?').slice(0, 100);
  /**
   * Links to start linking carry a token only Your account hands out (signed with SECRET_KEY, for
   * this person, for ten minutes): a link start is a GET, and another site must not be able to
   * make a signed-in browser link whatever account its provider is signed into.
   */
  const linkToken = (userId: string) => ctx.secretKey.sign('link-start', `${userId}.${Date.now()}`);
  const linkTokenFits = (token: string | undefined, userId: string) => {
    const [who, at] = (ctx.secretKey.verify('link-start', token ?? '') ?? '').split('.');
    return who === userId && Date.now() - Number(at) < FRESH_SIGN_IN_MS;
  };
  const staffMayUse = (identity: { email: string | null }, vouched: boolean) => {
    const { domain } = staffRule();
    return !domain || (vouched && !!identity.email?.toLowerCase().endsWith(`@${domain}`));
  };

  // A 'link-first' provider has its button too: once linked, it signs its person in.
  for (const p of providers)
    ctx.signInProvider({ id: `${ctx.id}-${p.name}`, label: `Sign in with ${p.label}`, href: `${base}/${p.name}/start` });

  ctx.routes((app) => {
    app.get('/:provider/start', ctx.publicRoute, async (c) => {
      const provider = byName.get(c.req.param('provider'));
      if (!provider) return c.notFound();
      const linking = c.req.query('link') === '1';
      let userId: string | null = null;
      if (linking) {
        userId = ctx.requireSignedIn(c).user.id;
        if (!linkTokenFits(c.req.query('t'), userId)) {
          ctx.flash(c, 'error', `To link ${provider.label}, use its link on this page.`);
          return c.redirect('/account', 303);
        }
        const age = await ctx.auth.sessionAge(c);
        if (age === null || age > FRESH_SIGN_IN_MS) {
          await ctx.audit(ctx.db, {
            what: `Linking ${provider.label} refused: signed in more than 10 minutes ago`,
            object: { type: 'user', id: userId, label: ctx.requireSignedIn(c).user.email },
            after: { provider: provider.name },
          });
          ctx.flash(c, 'error', `To link ${provider.label}, sign out and sign in again, then link it within 10 minutes.`);
          return c.redirect('/account', 303);
        }
      }
      // A provider that cannot be reached leaves nothing behind: no flow is kept for it.
      try {
        await provider.ready();
      } catch (error) {
        if (error instanceof SignInRefused) return refuse(c, provider, error, userId);
        throw error;
      }
      const flow = await store.startFlow({
        provider: provider.name,
        purpose: linking ? 'link' : 'sign-in',
        user_id: userId,
        next: c.req.query('next')?.slice(0, 2000) ?? null,
      });
      const to = await provider.authorizationUrl(flow);
      const cookie = cookieFor(flow.state);
      setCookie(c, cookie.name, ctx.secretKey.sign('flow', flow.id), {
        httpOnly: true,
        // Lax: the provider's redirect back is a top-level GET, which carries it.
        sameSite: 'Lax',
        secure: https,
        path: cookie.path,
        maxAge: 600,
      });
      return c.redirect(to.href, 302);
    });

    app.get('/:provider/callback', ctx.publicRoute, async (c) => {
      const provider = byName.get(c.req.param('provider'));
      if (!provider) return c.notFound();
      const state = c.req.query('state') ?? '';
      const cookie = cookieFor(state);
      const flowId = state ? ctx.secretKey.verify('flow', getCookie(c, cookie.name) ?? '') : null;
      const flow = flowId ? await store.takeFlow(flowId, state) : undefined;
      // Only the answer to this browser's own flow ends it: a stray request leaves a flow in progress be.
      if (flow) deleteCookie(c, cookie.name, { path: cookie.path, secure: https });
      try {
        if (!flow || flow.provider !== provider.name)
          throw new SignInRefused('state', 'no sign-in in progress matches this answer');
        if (Number(flow.expires_at) < Date.now()) throw new SignInRefused('expired', 'the sign-in took too long');
        if (c.req.query('error')) throw new SignInRefused('denied', `the provider answered ${plain(c.req.query('error'))}`);
        const identity = await provider.identify((name) => c.req.query(name), flow);
        return flow.purpose === 'link'
          ? await linkTo(c, provider, flow, identity)
          : await signIn(c, provider, flow, identity);
      } catch (error) {
        if (error instanceof SignInRefused) return refuse(c, provider, error, flow?.user_id ?? null);
        throw error;
      }
    });

    app.post('/identities/:id/unlink', ctx.signedInRoute, async (c) => {
      const actor = ctx.requireSignedIn(c);
      const mine = (await store.identitiesOf(actor.user.id)).find((i) => i.id === c.req.param('id'));
      // Already unlinked (a page left open), or someone else's: the same answer either way.
      if (!mine) {
        ctx.flash(c, 'error', 'That sign-in method is not linked to your account.');
        return c.redirect('/account', 303);
      }
      const label = labelOf(mine.provider);
      const required = staffRule().provider;
      const all = await store.identitiesOf(actor.user.id);
      if (
        actor.user.kind === 'staff' &&
        required === mine.provider &&
        all.filter((i) => i.provider === required).length === 1
      ) {
        ctx.flash(c, 'error', `Your firm asks staff to sign in with ${label}, so it cannot be unlinked.`);
        return c.redirect('/account', 303);
      }
      // Ways in outside this plugin's identities; the delete itself re-counts these, in one statement.
      const counted = all.filter((i) => byName.has(i.provider));
      const elsewhere = (await ctx.auth.waysIn(actor.user.id)) - counted.length;
      const unlinked = await ctx.db.transaction().execute(async (trx) => {
        if (!(await new SignInStore(trx, ctx.id).unlink(mine.id, actor.user.id, elsewhere, [...byName.keys()])))
          return false;
        await ctx.audit(trx, {
          what: `${label} unlinked`,
          object: { type: 'user', id: actor.user.id, label: actor.user.email },
          after: { provider: mine.provider, email: mine.email },
        });
        return true;
      });
      if (!unlinked) {
        ctx.flash(c, 'error', `${label} is your only way in, so it cannot be unlinked.`);
        return c.redirect('/account', 303);
      }
      ctx.flash(c, 'success', `${label} is no longer linked to your account.`);
      return c.redirect('/account', 303);
    });
  });

  /** Signs in the person this identity is linked to, linking it first when the provider vouches for their email. */
  async function signIn(c: Context, provider: SignInProvider, flow: Flow, identity: Identity) {
    const linked = await store.identityOf(identity.issuer, identity.subject);
    if (!linked && provider.firstSignIn === 'link-first')
      return refuseAccount(c, provider, 'link-first', null, identity, null);
    const vouched = identity.email !== null && provider.vouches(identity);
    const person = linked
      ? await ctx.lookup.userById(linked.user_id)
      : vouched
        ? await ctx.lookup.userByEmail(identity.email ?? '')
        : undefined;
    if (!person) {
      const reason = !linked && identity.email && !vouched ? 'unverified' : 'unknown';
      return refuseAccount(c, provider, reason, null, identity, identity.email);
    }
    // The staff domain counts only an email the provider vouches for.
    if (person.kind === 'staff' && !staffMayUse(identity, vouched))
      return refuseAccount(c, provider, 'domain', person.id, identity, staffRule().domain ?? null);
    const outcome = await ctx.auth.signIn(c, person.id, {
      method: `${ctx.id}:${provider.name}`,
      next: flow.next ?? undefined,
    });
    if (!outcome.ok) return ctx.page(c, 'Not signed in', <Refused sentence={outcome.message} />, 403);
    if (linked) await store.used(linked.id);
    else
      await ctx.db.transaction().execute(async (trx) => {
        // Two first sign-ins at once link once: the second finds the first's row and says nothing.
        const { linked: now } = await new SignInStore(trx, ctx.id).link({
          ...keyOf(identity),
          provider: provider.name,
          user_id: person.id,
          email: identity.email,
        });
        if (now)
          await ctx.audit(trx, {
            what: `${provider.label} linked on first sign-in`,
            object: { type: 'user', id: person.id, label: person.email },
            after: { provider: provider.name, email: identity.email },
          });
      });
    return c.redirect(outcome.redirectTo, 303);
  }

  /** Links this identity to the signed-in person who started the flow, then starts them a fresh session. */
  async function linkTo(c: Context, provider: SignInProvider, flow: Flow, identity: Identity) {
    const actor = c.get('actor') as { user: { id: string; email: string; kind: string } } | null;
    if (!actor || actor.user.id !== flow.user_id)
      throw new SignInRefused('state', 'the person who started linking is no longer signed in here');
    if (actor.user.kind === 'staff' && !staffMayUse(identity, identity.email !== null && provider.vouches(identity)))
      return refuseAccount(c, provider, 'domain', actor.user.id, identity, staffRule().domain ?? null);
    const taken = await ctx.db.transaction().execute(async (trx) => {
      const { holder, linked } = await new SignInStore(trx, ctx.id).link({
        ...keyOf(identity),
        provider: provider.name,
        user_id: actor.user.id,
        email: identity.email,
      });
      if (holder.user_id !== actor.user.id) return true;
      if (linked)
        await ctx.audit(trx, {
          what: `${provider.label} linked`,
          object: { type: 'user', id: actor.user.id, label: actor.user.email },
          after: { provider: provider.name, email: identity.email },
        });
      return false;
    });
    if (taken) return refuseAccount(c, provider, 'taken', actor.user.id, identity, null);
    // A fresh session after every answer from a provider, as after a sign-in.
    const outcome = await ctx.auth.signIn(c, actor.user.id, { method: `${ctx.id}:${provider.name}`, next: '/account' });
    if (!outcome.ok) return ctx.page(c, 'Not signed in', <Refused sentence={outcome.message} />, 403);
    ctx.flash(c, 'success', `${provider.label} is linked to your account: you can sign in with it.`);
    return c.redirect('/account', 303);
  }

  async function refuse(c: Context, provider: SignInProvider, error: SignInRefused, userId: string | null) {
    await ctx.audit(ctx.db, {
      what: `Sign-in with ${provider.label} refused`,
      object: { type: 'user', id: userId, label: userId ?? 'someone not signed in' },
      after: { provider: provider.name, reason: error.reason, detail: error.message },
    });
    ctx.log.warn('a sign-in with a provider was refused', { provider: provider.name, reason: error.reason });
    return ctx.page(c, 'Not signed in', <Refused sentence={sentenceFor(error.reason, provider.label, null)} />, 400);
  }

  async function refuseAccount(
    c: Context,
    provider: SignInProvider,
    reason: AccountRefusal,
    userId: string | null,
    identity: Identity,
    detail: string | null,
  ) {
    await ctx.audit(ctx.db, {
      what: `Sign-in with ${provider.label} refused`,
      object: { type: 'user', id: userId, label: identity.email ?? 'unknown' },
      after: { provider: provider.name, reason, email: identity.email },
    });
    return ctx.page(c, 'Not signed in', <Refused sentence={sentenceFor(reason, provider.label, detail)} />, 403);
  }

  ctx.slot('account.panels', async ({ actor }) => {
    const mine = await store.identitiesOf(actor.user.id);
    const linkedNames = new Set(mine.map((i) => i.provider));
    return (
      <SignInMethods
        plugin={ctx.id}
        title={`Sign in with ${providers.map((p) => p.label).join(' or ')}`}
        linked={mine.map((i) => ({ ...i, label: labelOf(i.provider) }))}
        linkable={providers
          .filter((p) => !linkedNames.has(p.name))
          .map((p) => ({ label: p.label, href: `${base}/${p.name}/start?link=1&t=${encodeURIComponent(linkToken(actor.user.id))}` }))}
        mayUnlink={(await ctx.auth.waysIn(actor.user.id)) > 1}
      />
    );
  });

  ctx.filter('account.ways_in', async (count, { user }) => {
    const mine = await store.identitiesOf(user.id);
    return count + mine.filter((i) => byName.has(i.provider)).length;
  });

  ctx.filter('signin.password', async (refusal, { user }) => {
    const required = staffRule().provider;
    if (refusal !== null || user.kind !== 'staff' || !required) return refusal;
    const { domain } = staffRule();
    const mine = await store.identitiesOf(user.id);
    // Only an identity that would let them in counts: staff are never left with no way in.
    return mine.some((i) => i.provider === required && (!domain || !!i.email?.toLowerCase().endsWith(`@${domain}`)))
      ? `Your firm asks staff to sign in with ${labelOf(required)}: use the button below.`
      : null;
  });

  ctx.schedule({
    name: `${ctx.id}.forget-flows`,
    everyMs: 60 * 60_000,
    run: (db) => new SignInStore(db, ctx.id).forgetExpiredFlows(),
  });
}

const keyOf = (identity: Identity) => ({ issuer: identity.issuer, subject: identity.subject });
