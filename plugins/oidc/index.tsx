/**
 * Sign in with Google, Microsoft or any OpenID Connect provider (Keycloak, Authentik, Entra with a
 * tenant of its own): a button on both sign-in pages, and "Sign-in methods" on Your account to
 * link and unlink. Written on the public `ctx` alone.
 *
 * The rules: the authorization code flow with PKCE (S256), state and nonce, kept server-side for ten
 * minutes and taken once, tied to the browser by a signed HttpOnly cookie; every ID token checked
 * (client.ts); identities keyed on (issuer, subject); a first sign-in links to the person with the
 * same email only when the provider vouches for it and the host lets that person in; nobody is
 * ever created here. Each sign-in, link, unlink and refusal is audited; no provider token is kept.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import * as v from 'valibot';
import { definePlugin } from '../../src/plugins/index.js';
import { OidcClient, type Identity, type Refusal, SignInRefused } from './client.js';
import { type ProviderConfig, providerSecrets, providersFrom } from './providers.js';
import {
  type Db,
  type Flow,
  forgetExpiredFlows,
  identitiesOf,
  identityOf,
  link,
  migrations,
  type OidcTables,
  startFlow,
  takeFlow,
  used,
} from './store.js';
import { Refused, SignInMethods } from './views.js';

const COOKIE = 'portico_oidc';
const FRESH_SIGN_IN_MS = 10 * 60_000;
const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const DOMAIN = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/;

/** The providers of this process, known once `register` has read them (the settings' checks use them). */
let providers: ProviderConfig[] = [];

const optionalText = (check: (s: string) => boolean, message: string) =>
  v.pipe(
    v.optional(v.string(), ''),
    v.trim(),
    v.toLowerCase(),
    v.check((s) => s === '' || check(s), message),
  );

export default definePlugin<OidcTables>({
  id: 'oidc',
  version: '1.0.0',
  host: '^1',
  settings: {
    fields: v.object({
      staffProvider: optionalText(
        (s) => providers.some((p) => p.name === s),
        'Enter the name of a provider in OIDC_PROVIDERS, or leave it empty.',
      ),
      staffDomain: optionalText((s) => DOMAIN.test(s), 'Enter a domain such as clearwater.example, or leave it empty.'),
      trustedTenants: optionalText(
        (s) => s.split(',').every((t) => TENANT_ID.test(t.trim())),
        'Enter Microsoft tenant ids (such as 72f988bf-86f1-41af-91ab-2d7cd011db47) separated by commas, or leave it empty.',
      ),
    }),
    labels: {
      staffProvider: 'Staff must sign in with (a provider’s name, such as google; empty for no rule)',
      staffDomain: 'Staff sign in with a provider only from this email domain (empty for any)',
      trustedTenants: 'Microsoft tenants whose email addresses are trusted on a first sign-in (tenant ids)',
    },
    secrets: providerSecrets,
  },
  migrations,
  register(ctx) {
    providers = providersFrom(ctx.secret);
    const clients = new Map(
      providers.map((p) => [p.name, new OidcClient(p, `${ctx.baseUrl}/p/oidc/${p.name}/callback`)]),
    );
    const labelOf = (name: string) => clients.get(name)?.provider.label ?? name;
    const settings = () =>
      ctx.settings() as { staffProvider?: string; staffDomain?: string; trustedTenants?: string };

    for (const p of providers)
      ctx.signInProvider({ id: `oidc-${p.name}`, label: `Sign in with ${p.label}`, href: `/p/oidc/${p.name}/start` });

    ctx.routes((app) => {
      app.get('/:provider/start', ctx.publicRoute, async (c) => {
        const client = clients.get(c.req.param('provider'));
        if (!client) return c.notFound();
        const linking = c.req.query('link') === '1';
        let userId: string | null = null;
        if (linking) {
          userId = ctx.requireSignedIn(c).user.id;
          const age = await ctx.auth.sessionAge(c);
          if (age === null || age > FRESH_SIGN_IN_MS) {
            ctx.flash(
              c,
              'error',
              `To link ${client.provider.label}, sign out and sign in again, then link it within 10 minutes.`,
            );
            return c.redirect('/account', 303);
          }
        }
        // A provider that cannot be reached leaves nothing behind: no flow is kept for it.
        try {
          await client.ready();
        } catch (error) {
          if (error instanceof SignInRefused) return refuse(c, client.provider, error, userId);
          throw error;
        }
        const flow = await startFlow(ctx.db, {
          provider: client.provider.name,
          purpose: linking ? 'link' : 'sign-in',
          user_id: userId,
          next: c.req.query('next')?.slice(0, 2000) ?? null,
        });
        const to = await client.authorizationUrl(flow);
        setCookie(c, COOKIE, ctx.secretKey.sign('flow', flow.id), {
          httpOnly: true,
          // Lax: the provider's redirect back is a top-level GET, which carries it.
          sameSite: 'Lax',
          secure: ctx.baseUrl.startsWith('https://'),
          path: '/p/oidc',
          maxAge: 600,
        });
        return c.redirect(to.href, 302);
      });

      app.get('/:provider/callback', ctx.publicRoute, async (c) => {
        const client = clients.get(c.req.param('provider'));
        if (!client) return c.notFound();
        const provider = client.provider;
        const flowId = ctx.secretKey.verify('flow', getCookie(c, COOKIE) ?? '');
        deleteCookie(c, COOKIE, { path: '/p/oidc' });
        const state = c.req.query('state') ?? '';
        const flow = flowId && state ? await takeFlow(ctx.db, flowId, state) : undefined;
        try {
          if (!flow || flow.provider !== provider.name)
            throw new SignInRefused('state', 'no sign-in in progress matches this answer');
          if (Number(flow.expires_at) < Date.now()) throw new SignInRefused('expired', 'the sign-in took too long');
          if (c.req.query('error')) throw new SignInRefused('denied', `the provider answered ${c.req.query('error')}`);
          const iss = c.req.query('iss');
          if (iss !== undefined && !client.issuerMatches(iss))
            throw new SignInRefused('issuer', `the answer came from ${iss}`);
          const identity = await client.identify(c.req.query('code') ?? '', flow.verifier, flow.nonce);
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
        const mine = (await identitiesOf(ctx.db, actor.user.id)).find((i) => i.id === c.req.param('id'));
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
          await trx.deleteFrom('oidc_identities').where('id', '=', mine.id).execute();
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
    async function signIn(c: Context, provider: ProviderConfig, flow: Flow, identity: Identity) {
      const linked = await identityOf(ctx.db, identity.issuer, identity.subject);
      const person = linked
        ? await ctx.lookup.userById(linked.user_id)
        : identity.email && vouched(provider, identity)
          ? await ctx.lookup.userByEmail(identity.email)
          : undefined;
      if (!person) {
        const reason = !linked && identity.email && !vouched(provider, identity) ? 'unverified' : 'unknown';
        return refuseAccount(c, provider, reason, null, identity, sentenceFor(reason, provider, identity.email));
      }
      const domain = settings().staffDomain;
      if (person.kind === 'staff' && domain && !identity.email?.toLowerCase().endsWith(`@${domain}`))
        return refuseAccount(c, provider, 'domain', person.id, identity, sentenceFor('domain', provider, domain));
      const outcome = await ctx.auth.signIn(c, person.id, { method: `oidc:${provider.name}`, next: flow.next ?? undefined });
      if (!outcome.ok) return ctx.page(c, 'Not signed in', <Refused sentence={outcome.message} />, 403);
      if (linked) await used(ctx.db, linked.id);
      else
        await ctx.db.transaction().execute(async (trx) => {
          await link(trx, { ...keyOf(identity), provider: provider.name, user_id: person.id, email: identity.email });
          await ctx.audit(trx, {
            what: `${provider.label} linked on first sign-in`,
            object: { type: 'user', id: person.id, label: person.email },
            after: { provider: provider.name, email: identity.email },
          });
        });
      return c.redirect(outcome.redirectTo, 303);
    }

    /** Links this identity to the signed-in person who started the flow. */
    async function linkTo(c: Context, provider: ProviderConfig, flow: Flow, identity: Identity) {
      const actor = c.get('actor') as { user: { id: string; email: string } } | null;
      if (!actor || actor.user.id !== flow.user_id)
        throw new SignInRefused('state', 'the person who started linking is no longer signed in here');
      const linked = await identityOf(ctx.db, identity.issuer, identity.subject);
      if (linked && linked.user_id !== actor.user.id)
        return refuseAccount(c, provider, 'taken', actor.user.id, identity, sentenceFor('taken', provider, null));
      if (!linked)
        await ctx.db.transaction().execute(async (trx) => {
          await link(trx, { ...keyOf(identity), provider: provider.name, user_id: actor.user.id, email: identity.email });
          await ctx.audit(trx, {
            what: `${provider.label} linked`,
            object: { type: 'user', id: actor.user.id, label: actor.user.email },
            after: { provider: provider.name, email: identity.email },
          });
        });
      ctx.flash(c, 'success', `${provider.label} is linked to your account: you can sign in with it.`);
      return c.redirect('/account', 303);
    }

    /** Whether the provider vouches that the email is this person's (Microsoft: only a trusted tenant's). */
    function vouched(provider: ProviderConfig, identity: Identity): boolean {
      if (provider.issuer.startsWith('https://login.microsoftonline.com/')) {
        const trusted = (settings().trustedTenants ?? '').split(',').map((t) => t.trim());
        return identity.tenant !== null && trusted.includes(identity.tenant);
      }
      return identity.emailVerified;
    }

    async function refuse(c: Context, provider: ProviderConfig, error: SignInRefused, userId: string | null) {
      await ctx.audit(ctx.db, {
        what: `Sign-in with ${provider.label} refused`,
        object: { type: 'user', id: userId, label: userId ?? 'someone not signed in' },
        after: { provider: provider.name, reason: error.reason, detail: error.message },
      });
      ctx.log.warn('a sign-in with a provider was refused', { provider: provider.name, reason: error.reason });
      return ctx.page(c, 'Not signed in', <Refused sentence={sentenceFor(error.reason, provider, null)} />, 400);
    }

    async function refuseAccount(
      c: Context,
      provider: ProviderConfig,
      reason: 'unknown' | 'unverified' | 'domain' | 'taken',
      userId: string | null,
      identity: Identity,
      sentence: string,
    ) {
      await ctx.audit(ctx.db, {
        what: `Sign-in with ${provider.label} refused`,
        object: { type: 'user', id: userId, label: identity.email ?? 'unknown' },
        after: { provider: provider.name, reason, email: identity.email },
      });
      return ctx.page(c, 'Not signed in', <Refused sentence={sentence} />, 403);
    }

    ctx.slot('account.panels', async ({ actor }) => {
      const mine = await identitiesOf(ctx.db, actor.user.id);
      const linkedNames = new Set(mine.map((i) => i.provider));
      return (
        <SignInMethods
          linked={mine.map((i) => ({ ...i, label: labelOf(i.provider) }))}
          linkable={providers
            .filter((p) => !linkedNames.has(p.name))
            .map((p) => ({ label: p.label, href: `/p/oidc/${p.name}/start?link=1` }))}
          mayUnlink={(await ctx.auth.waysIn(actor.user.id)) > 1}
          formatTime={(ms) => new Date(ms).toISOString().slice(0, 10)}
        />
      );
    });

    ctx.filter('account.ways_in', async (count, { user }) => {
      const mine = await identitiesOf(ctx.db, user.id);
      return count + mine.filter((i) => clients.has(i.provider)).length;
    });

    ctx.filter('signin.password', async (refusal, { user }) => {
      const required = settings().staffProvider;
      if (refusal !== null || user.kind !== 'staff' || !required) return refusal;
      const mine = await identitiesOf(ctx.db, user.id);
      return mine.some((i) => i.provider === required)
        ? `Your firm asks staff to sign in with ${labelOf(required)}: use the button below.`
        : null;
    });

    ctx.schedule({ name: 'oidc.forget-flows', everyMs: 60 * 60_000, run: (db) => forgetExpiredFlows(db as Db) });
  },
});

const keyOf = (identity: Identity) => ({ issuer: identity.issuer, subject: identity.subject });

type Reason = Refusal | 'unknown' | 'unverified' | 'domain' | 'taken';

/** What the refusal page tells the person: what happened and what to do, never the protocol's words. */
function sentenceFor(reason: Reason, provider: ProviderConfig, detail: string | null): string {
  const label = provider.label;
  switch (reason) {
    case 'state':
    case 'expired':
      return `This sign-in with ${label} has expired or was already used. Start again from the sign-in page.`;
    case 'denied':
      return `You did not finish signing in at ${label}. Start again from the sign-in page, or use an emailed link.`;
    case 'unavailable':
      return `${label} could not be reached. Try again in a few minutes, or use an emailed link instead.`;
    case 'unknown':
      return `No account here uses the email address ${label} gave us${detail ? ` (${detail})` : ''}. Ask your firm to invite you with that address, or use an emailed link instead.`;
    case 'unverified':
      return `${label} did not confirm that this email address is yours, so we cannot use it to find your account. Use an emailed link instead, then link ${label} from Your account.`;
    case 'domain':
      return `Staff sign in with ${label} only with an address at ${detail}.`;
    case 'taken':
      return `That ${label} account is already linked to someone else here.`;
    default:
      return `${label}'s answer could not be trusted, so you were not signed in. Start again from the sign-in page.`;
  }
}

