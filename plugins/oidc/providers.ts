/**
 * The OpenID providers this installation signs in with, from the environment: OIDC_PROVIDERS
 * names them, and OIDC_<NAME>_ISSUER, _CLIENT_ID, _CLIENT_SECRET and _LABEL describe each (Google's
 * and Microsoft's issuers are preset). A provider's discovery document is fetched when first used,
 * not at start, so a provider that is down never keeps Portico from starting.
 */
import * as v from 'valibot';
import { PluginStartError, type PluginSecret } from '../../src/plugins/index.js';
import { providerUrl } from '../sign-in-kit/endpoints.js';

export interface ProviderConfig {
  /** As listed in OIDC_PROVIDERS: lowercase letters and digits; in URLs and in the audit log. */
  name: string;
  /** "Google": the button reads "Sign in with Google". */
  label: string;
  /**
   * As configured; discovery must report exactly this (OpenID Connect Discovery 1.0, §4.3) and the
   * ID token's `iss` must be it, except on Microsoft's multi-tenant endpoints (`multiTenant`).
   */
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Microsoft's `common`/`organizations` endpoints: `iss` is checked against the token's own `tid`. */
  multiTenant: boolean;
}

const PRESETS: Record<string, { issuer: string; label: string }> = {
  google: { issuer: 'https://accounts.google.com', label: 'Google' },
  microsoft: { issuer: 'https://login.microsoftonline.com/common/v2.0', label: 'Microsoft' },
  entra: { issuer: 'https://login.microsoftonline.com/common/v2.0', label: 'Microsoft' },
};

/** A Microsoft tenant id: a GUID. */
export const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const MULTI_TENANT = /^https:\/\/login\.microsoftonline\.com\/(common|organizations)\/v2\.0$/;

/** The names OIDC_PROVIDERS lists; throws a PluginStartError saying what it accepts. */
export function providerNames(env: NodeJS.ProcessEnv): string[] {
  return namesIn(env.OIDC_PROVIDERS);
}

function namesIn(list: string | undefined): string[] {
  const names = (list ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter(Boolean);
  if (!names.length) throw new PluginStartError('OIDC_PROVIDERS is not set (e.g. google,entra)');
  const bad = names.find((n) => !/^[a-z][a-z0-9]*$/.test(n));
  if (bad) throw new PluginStartError(`OIDC_PROVIDERS must be names of lowercase letters and digits (got "${bad}")`);
  return [...new Set(names)];
}

const issuerUrl = providerUrl('https://accounts.google.com');

/** What ctx.secret reads for every provider: `<name>.<what>`. */
export function providerSecrets(env: NodeJS.ProcessEnv): Record<string, PluginSecret> {
  // The list itself, so register reads the names the loader checked, from the same environment.
  const specs: Record<string, PluginSecret> = { providers: { env: 'OIDC_PROVIDERS' } };
  for (const name of providerNames(env)) {
    const prefix = `OIDC_${name.toUpperCase()}_`;
    const preset = PRESETS[name];
    specs[`${name}.issuer`] = { env: `${prefix}ISSUER`, schema: issuerUrl, optional: preset !== undefined };
    specs[`${name}.clientId`] = { env: `${prefix}CLIENT_ID` };
    specs[`${name}.clientSecret`] = { env: `${prefix}CLIENT_SECRET` };
    specs[`${name}.label`] = {
      env: `${prefix}LABEL`,
      schema: v.pipe(v.string(), v.maxLength(40, 'must be at most 40 characters')),
      optional: true,
    };
  }
  return specs;
}

/** Each provider, read back through ctx.secret once the loader has checked every variable. */
export function providersFrom(secret: (name: string) => string | undefined): ProviderConfig[] {
  return namesIn(secret('providers')).map((name) => {
    const preset = PRESETS[name];
    const issuer = secret(`${name}.issuer`) ?? preset?.issuer ?? '';
    return {
      name,
      label: secret(`${name}.label`) ?? preset?.label ?? name.charAt(0).toUpperCase() + name.slice(1),
      issuer,
      clientId: secret(`${name}.clientId`) ?? '',
      clientSecret: secret(`${name}.clientSecret`) ?? '',
      multiTenant: MULTI_TENANT.test(issuer),
    };
  });
}

/**
 * Whether the provider vouches that the identity's email is the person's: OpenID's `email_verified`,
 * except Microsoft's tokens, which carry none: there, only a tenant the firm trusts vouches.
 */
export function vouches(
  provider: Pick<ProviderConfig, 'issuer'>,
  identity: { emailVerified: boolean; tenant: string | null },
  trustedTenants: string,
): boolean {
  if (!provider.issuer.startsWith('https://login.microsoftonline.com/')) return identity.emailVerified;
  const trusted = trustedTenants.split(',').map((t) => t.trim().toLowerCase());
  return identity.tenant !== null && trusted.includes(identity.tenant.toLowerCase());
}
