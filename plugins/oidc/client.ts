/**
 * One OpenID provider as a relying party sees it: discovery (kept for an hour once it succeeds),
 * the authorization URL (code flow, PKCE S256, state, nonce), the code exchange (arctic) and the ID
 * token's checks (jose): signature against the provider's JWKS (cached by jose, refetched for an
 * unknown key), `iss` exact, `aud` holding our client id, `azp` when present, `exp`/`iat` with a
 * minute of clock skew, and the nonce. None of it is written by hand.
 */
import { CodeChallengeMethod, OAuth2Client } from 'arctic';
import { createRemoteJWKSet, decodeJwt, errors as joseErrors, type JWTPayload, jwtVerify } from 'jose';
import { isProviderUrl } from '../sign-in-kit/endpoints.js';
import { type Identity, SignInRefused } from '../sign-in-kit/identity.js';
import { type ProviderConfig, TENANT_ID } from './providers.js';

const DISCOVERY_MS = 60 * 60_000;
/** After discovery failed, how long the next ones fail at once instead of each waiting out the timeout. */
const DOWN_MS = 30_000;
const CLOCK_SKEW_S = 60;


interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
}

export class OidcClient {
  #discovery: { at: number; doc: Discovery } | null = null;
  #down: { at: number; refusal: SignInRefused } | null = null;
  #jwks: ReturnType<typeof createRemoteJWKSet> | null = null;
  readonly #oauth: OAuth2Client;

  constructor(
    readonly provider: ProviderConfig,
    redirectUri: string,
  ) {
    this.#oauth = new OAuth2Client(provider.clientId, provider.clientSecret, redirectUri);
  }

  /** Where to send the browser. */
  async authorizationUrl(flow: { state: string; verifier: string; nonce: string }): Promise<URL> {
    const doc = await this.#discover();
    const url = this.#oauth.createAuthorizationURLWithPKCE(
      doc.authorization_endpoint,
      flow.state,
      CodeChallengeMethod.S256,
      flow.verifier,
      ['openid', 'email', 'profile'],
    );
    url.searchParams.set('nonce', flow.nonce);
    return url;
  }

  /** RFC 9207's `iss` on the callback, when the provider sends it: another issuer is a mix-up. */
  issuerMatches(iss: string): boolean {
    if (!this.provider.multiTenant) return iss === this.provider.issuer;
    const tenant = /^https:\/\/login\.microsoftonline\.com\/([^/]+)\/v2\.0$/.exec(iss)?.[1];
    return tenant !== undefined && TENANT_ID.test(tenant);
  }

  /** The code exchanged for an ID token, checked; throws SignInRefused. */
  async identify(code: string, verifier: string, nonce: string): Promise<Identity> {
    const doc = await this.#discover();
    let idToken: string;
    try {
      idToken = (await this.#oauth.validateAuthorizationCode(doc.token_endpoint, code, verifier)).idToken();
    } catch (error) {
      throw new SignInRefused('token', `the code was not accepted: ${(error as Error).message}`);
    }
    const payload = await this.#verify(idToken, doc);
    if (payload.nonce !== nonce) throw new SignInRefused('nonce', 'the ID token carries another nonce');
    const email = typeof payload.email === 'string' ? payload.email : null;
    return {
      issuer: String(payload.iss),
      subject: String(payload.sub),
      email,
      emailVerified: payload.email_verified === true,
      tenant: typeof payload.tid === 'string' ? payload.tid : null,
    };
  }

  async #verify(idToken: string, doc: Discovery): Promise<JWTPayload> {
    const issuer = this.#expectedIssuer(idToken, doc);
    this.#jwks ??= createRemoteJWKSet(new URL(doc.jwks_uri));
    try {
      const { payload } = await jwtVerify(idToken, this.#jwks, {
        issuer,
        audience: this.provider.clientId,
        clockTolerance: CLOCK_SKEW_S,
        // Just exchanged for a code: a token issued long ago, or in the future, is not this sign-in's.
        maxTokenAge: '1h',
        requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
      });
      const audiences = Array.isArray(payload.aud) ? payload.aud : [payload.aud];
      // OpenID Connect Core 3.1.3.7: with several audiences azp is needed, and must be us.
      if ((payload.azp !== undefined || audiences.length > 1) && payload.azp !== this.provider.clientId)
        throw new SignInRefused('audience', 'the ID token was issued to another party (azp)');
      if (typeof payload.sub !== 'string' || !payload.sub)
        throw new SignInRefused('token', 'the ID token names nobody');
      return payload;
    } catch (error) {
      if (error instanceof SignInRefused) throw error;
      throw refusalOf(error);
    }
  }

  /** The exact `iss` to demand: the configured issuer, or on Microsoft's common endpoint the token's own tenant's. */
  #expectedIssuer(idToken: string, doc: Discovery): string {
    if (!this.provider.multiTenant) return doc.issuer;
    let tid: unknown;
    try {
      tid = decodeJwt(idToken).tid;
    } catch {
      throw new SignInRefused('token', 'the ID token cannot be read');
    }
    if (typeof tid !== 'string' || !TENANT_ID.test(tid))
      throw new SignInRefused('issuer', 'the ID token names no tenant');
    return doc.issuer.replace('{tenantid}', tid);
  }

  /** Fetches discovery now if it is not kept: throws SignInRefused('unavailable') when the provider cannot be reached. */
  async ready(): Promise<void> {
    await this.#discover();
  }

  async #discover(): Promise<Discovery> {
    if (this.#discovery && Date.now() - this.#discovery.at < DISCOVERY_MS) return this.#discovery.doc;
    if (this.#down && Date.now() - this.#down.at < DOWN_MS) throw this.#down.refusal;
    try {
      const doc = await this.#fetchDiscovery();
      this.#down = null;
      return doc;
    } catch (error) {
      if (error instanceof SignInRefused) this.#down = { at: Date.now(), refusal: error };
      throw error;
    }
  }

  async #fetchDiscovery(): Promise<Discovery> {
    const where = `${this.provider.issuer.replace(/\/$/, '')}/.well-known/openid-configuration`;
    let doc: Partial<Discovery>;
    try {
      const res = await fetch(where, { signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const body: unknown = await res.json();
      if (!body || typeof body !== 'object') throw new Error('not a JSON object');
      doc = body as Partial<Discovery>;
    } catch (error) {
      throw new SignInRefused('unavailable', `discovery at ${where} failed: ${(error as Error).message}`);
    }
    const expected = this.provider.multiTenant
      ? 'https://login.microsoftonline.com/{tenantid}/v2.0'
      : this.provider.issuer;
    const endpoints = [doc.authorization_endpoint, doc.token_endpoint, doc.jwks_uri];
    if (doc.issuer !== expected || !endpoints.every(isProviderUrl))
      throw new SignInRefused('unavailable', `discovery at ${where} does not describe ${expected}`);
    this.#discovery = { at: Date.now(), doc: doc as Discovery };
    return doc as Discovery;
  }
}

function refusalOf(error: unknown): SignInRefused {
  const message = (error as Error).message;
  if (error instanceof joseErrors.JWTExpired) return new SignInRefused('token-expired', message);
  if (error instanceof joseErrors.JWTClaimValidationFailed) {
    if (error.claim === 'iss') return new SignInRefused('issuer', message);
    if (error.claim === 'aud') return new SignInRefused('audience', message);
    if (error.claim === 'iat' || error.claim === 'nbf') return new SignInRefused('token-expired', message);
    return new SignInRefused('token', message);
  }
  if (
    error instanceof joseErrors.JWSSignatureVerificationFailed ||
    error instanceof joseErrors.JWKSNoMatchingKey ||
    error instanceof joseErrors.JOSEAlgNotAllowed
  )
    return new SignInRefused('signature', message);
  return new SignInRefused('token', message);
}
