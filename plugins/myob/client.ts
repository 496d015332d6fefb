/**
 * MYOB as a sign-in provider. It is OAuth 2.0 without OpenID: no ID token, no user-info endpoint and
 * no verified email; its token response names the MYOB user (`user.uid`, `user.username`). So it
 * signs in only a person who linked it from Your account first. PKCE (S256) is sent as everywhere. Its token endpoint wants the client
 * id and secret in the form body (arctic's generic client sends the secret only by HTTP Basic), so
 * that one request is a plain form POST here.
 */
import { createHash } from 'node:crypto';
import { type Identity, SignInRefused } from '../sign-in-kit/identity.js';

export interface MyobConfig {
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  scope: string;
  redirectUri: string;
}

export const MYOB_AUTHORIZE_URL = 'https://secure.myob.com/oauth2/account/authorize';
export const MYOB_TOKEN_URL = 'https://secure.myob.com/oauth2/v1/authorize';

/** PKCE (S256) as everywhere: a stolen code is useless without the verifier this flow keeps. */
export function authorizationUrl(config: MyobConfig, flow: { state: string; verifier: string }): URL {
  const url = new URL(config.authorizeUrl);
  url.searchParams.set('client_id', config.clientId);
  url.searchParams.set('redirect_uri', config.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', config.scope);
  url.searchParams.set('state', flow.state);
  url.searchParams.set('code_challenge', createHash('sha256').update(flow.verifier).digest('base64url'));
  url.searchParams.set('code_challenge_method', 'S256');
  return url;
}

/** The code exchanged at MYOB's token endpoint for who the MYOB user is; throws SignInRefused. */
export async function identify(config: MyobConfig, code: string, verifier: string): Promise<Identity> {
  if (!code) throw new SignInRefused('token', 'the answer carries no code');
  let body: { user?: { uid?: unknown; username?: unknown } };
  try {
    const res = await fetch(config.tokenUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({
        client_id: config.clientId,
        client_secret: config.clientSecret,
        scope: config.scope,
        code,
        redirect_uri: config.redirectUri,
        grant_type: 'authorization_code',
        code_verifier: verifier,
      }),
      signal: AbortSignal.timeout(10_000),
    });
    if (!res.ok) throw new SignInRefused('token', `MYOB answered ${res.status}`);
    const json: unknown = await res.json();
    body = json && typeof json === 'object' ? (json as typeof body) : {};
  } catch (error) {
    if (error instanceof SignInRefused) throw error;
    throw new SignInRefused('unavailable', `MYOB's token endpoint failed: ${(error as Error).message}`);
  }
  const uid = body.user?.uid;
  if (typeof uid !== 'string' || !uid) throw new SignInRefused('token', 'MYOB named no user');
  const username = typeof body.user?.username === 'string' ? body.user.username : null;
  // The tokens themselves are not kept: signing in needs only who the user is.
  return { issuer: new URL(config.tokenUrl).origin, subject: uid, email: username, emailVerified: false, tenant: null };
}
