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
  const cookie = `portico_${ctx.id.replace(/-/g, '_')}`;
  const base = `/p/${ctx.id}`;
  const labelOf = (name: string) => byName.get(name)?.label ?? name;

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
        const age = await ctx.auth.sessionAge(c);
        if (age === null || age > FRESH_SIGN_IN_MS) {
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
      setCookie(c, cookie, ctx.secretKey.sign('flow', flow.id), {
        httpOnly: true,
        // Lax: the provider's redirect back is a top-level GET, which carries it.
        sameSite: 'Lax',
        secure: ctx.baseUrl.startsWith('https://'),
        path: base,
        maxAge: 600,
      });
      return c.redirect(to.href, 302);
    });

    app.get('/:provider/callback', ctx.publicRoute, async (c) => {
      const provider = byName.get(c.req.param('provider'));
      if (!provider) return c.notFound();
      const flowId = ctx.secretKey.verify('flow', getCookie(c, cookie) ?? '');
      deleteCookie(c, cookie, { path: base });
      const state = c.req.query('state') ?? '';
      const flow = flowId && state ? await store.takeFlow(flowId, state) : undefined;
      try {
        if (!flow || flow.provider !== provider.name)
          throw new SignInRefused('state', 'no sign-in in progress matches this answer');
        if (Number(flow.expires_at) < Date.now()) throw new SignInRefused('expired', 'the sign-in took too long');
        if (c.req.query('error')) throw new SignInRefused('denied', `the provider answered ${c.req.query('error')}`);
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
      if ((await ctx.auth.waysIn(actor.user.id)) <= 1) {
        ctx.flash(c, 'error', `${label} is your only way in, so it cannot be unlinked.`);
        return c.redirect('/account', 303);
      }
      await ctx.db.transaction().execute(async (trx) => {
        await new SignInStore(trx, ctx.id).unlink(mine.id);
        await ctx.audit(trx, {
          what: `${label} unlinked`,
          object: { type: 'user', id: actor.user.id, label: actor.user.email },
          after: { provider: mine.provider, email: mine.email },
        });
      });
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
    const { domain } = staffRule();
    if (person.kind === 'staff' && domain && !identity.email?.toLowerCase().endsWith(`@${domain}`))
      return refuseAccount(c, provider, 'domain', person.id, identity, domain);
    const outcome = await ctx.auth.signIn(c, person.id, {
      method: `${ctx.id}:${provider.name}`,
      next: flow.next ?? undefined,
    });
    if (!outcome.ok) return ctx.page(c, 'Not signed in', <Refused sentence={outcome.message} />, 403);
    if (linked) await store.used(linked.id);
    else
      await ctx.db.transaction().execute(async (trx) => {
        await new SignInStore(trx, ctx.id).link({
          ...keyOf(identity),
          provider: provider.name,
          user_id: person.id,
          email: identity.email,
        });
        await ctx.audit(trx, {
          what: `${provider.label} linked on first sign-in`,
          object: { type: 'user', id: person.id, label: person.email },
          after: { provider: provider.name, email: identity.email },
        });
      });
    return c.redirect(outcome.redirectTo, 303);
  }

  /** Links this identity to the signed-in person who started the flow. */
  async function linkTo(c: Context, provider: SignInProvider, flow: Flow, identity: Identity) {
    const actor = c.get('actor') as { user: { id: string; email: string } } | null;
    if (!actor || actor.user.id !== flow.user_id)
      throw new SignInRefused('state', 'the person who started linking is no longer signed in here');
    const linked = await store.identityOf(identity.issuer, identity.subject);
    if (linked && linked.user_id !== actor.user.id)
      return refuseAccount(c, provider, 'taken', actor.user.id, identity, null);
    if (!linked)
      await ctx.db.transaction().execute(async (trx) => {
        await new SignInStore(trx, ctx.id).link({
          ...keyOf(identity),
          provider: provider.name,
          user_id: actor.user.id,
          email: identity.email,
        });
        await ctx.audit(trx, {
          what: `${provider.label} linked`,
          object: { type: 'user', id: actor.user.id, label: actor.user.email },
          after: { provider: provider.name, email: identity.email },
        });
      });
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
          .map((p) => ({ label: p.label, href: `${base}/${p.name}/start?link=1` }))}
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
    const mine = await store.identitiesOf(user.id);
    return mine.some((i) => i.provider === required)
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
