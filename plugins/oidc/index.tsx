/**
 * Sign in with Google, Microsoft or any OpenID Connect provider (Keycloak, Authentik, Entra with a
 * tenant of its own): a button on both sign-in pages, and a section of Your account to link and
 * unlink. Written on the public `ctx` alone; the flow, the pages and the audit lines every sign-in
 * plugin shares are the sign-in kit's (plugins/sign-in-kit/).
 *
 * What is OpenID's own: discovery, the authorization URL with PKCE (S256), state and nonce, the ID
 * token's checks (client.ts), RFC 9207's `iss` on the answer, and who vouches for an email: the
 * provider's `email_verified`, or for Microsoft, whose tokens carry none, a tenant the firm trusts.
 */
import * as v from 'valibot';
import { definePlugin } from '../../src/plugins/index.js';
import { SignInRefused } from '../sign-in-kit/identity.js';
import { callbackUrl, registerSignIn, type SignInProvider } from '../sign-in-kit/register.js';
import { signInMigrations } from '../sign-in-kit/store.js';
import { OidcClient } from './client.js';
import { type ProviderConfig, providerSecrets, providersFrom, TENANT_ID, vouches } from './providers.js';

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

interface Settings {
  staffProvider?: string;
  staffDomain?: string;
  trustedTenants?: string;
}

export default definePlugin({
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
  migrations: signInMigrations('oidc'),
  register(ctx) {
    providers = providersFrom(ctx.secret);
    const settings = () => ctx.settings() as Settings;
    registerSignIn(
      ctx,
      providers.map((config) => openIdProvider(new OidcClient(config, callbackUrl(ctx, config.name)), settings)),
      () => ({ provider: settings().staffProvider || undefined, domain: settings().staffDomain || undefined }),
    );
  },
});

function openIdProvider(client: OidcClient, settings: () => Settings): SignInProvider {
  const config = client.provider;
  return {
    name: config.name,
    label: config.label,
    firstSignIn: 'verified-email',
    ready: () => client.ready(),
    authorizationUrl: (flow) => client.authorizationUrl(flow),
    async identify(query, flow) {
      const iss = query('iss');
      if (iss !== undefined && !client.issuerMatches(iss)) throw new SignInRefused('issuer', `the answer came from ${iss.slice(0, 100)}`);
      return client.identify(query('code') ?? '', flow.verifier, flow.nonce);
    },
    vouches: (identity) => vouches(config, identity, settings().trustedTenants ?? ''),
  };
}
