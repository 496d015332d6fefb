/**
 * The test OIDC provider itself, with no app code: a relying party's whole dance done by hand —
 * discovery, an authorization request with PKCE and nonce, the login, the code exchange, the ID
 * token checked with jose against the provider's JWKS, and a replayed code refused. Sign-in tests
 * lean on this harness, so it has to be shown to behave like a real provider first.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcProvider, type TestOidcProvider } from '../helpers/oidc-provider.js';

const CLIENT = {
  client_id: 'portico',
  client_secret: 'portico-test-secret',
  redirect_uris: ['http://127.0.0.1:9/callback'],
};
const REDIRECT_URI = CLIENT.redirect_uris[0]!;

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  jwks_uri: string;
  code_challenge_methods_supported: string[];
  token_endpoint_auth_methods_supported: string[];
}

let provider: TestOidcProvider;
let discovery: Discovery;

beforeAll(async () => {
  provider = await startOidcProvider({
    clients: [CLIENT],
    accounts: [
      { sub: 'grace', email: 'grace@clearwater.example', email_verified: true, name: 'Grace Hopper' },
      { sub: 'ada', email: 'ada@clearwater.example', email_verified: false, extra: { tid: 'tenant-1' } },
    ],
  });
  const response = await fetch(`${provider.issuer}/.well-known/openid-configuration`);
  discovery = (await response.json()) as Discovery;
});

afterAll(() => provider.close());

function authorizationRequest() {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(16).toString('base64url');
  const nonce = randomBytes(16).toString('base64url');
  const url = new URL(discovery.authorization_endpoint);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: CLIENT.client_id,
    redirect_uri: REDIRECT_URI,
    scope: 'openid email profile',
    state,
    nonce,
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
  }).toString();
  return { url: url.href, verifier, state, nonce };
}

function exchangeCode(code: string, verifier: string, auth: 'post' | 'basic' = 'post') {
  const form = new URLSearchParams({
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT_URI,
    code_verifier: verifier,
  });
  const headers: Record<string, string> = {};
  if (auth === 'post') {
    form.set('client_id', CLIENT.client_id);
    form.set('client_secret', CLIENT.client_secret);
  } else {
    headers.authorization = `Basic ${Buffer.from(`${CLIENT.client_id}:${CLIENT.client_secret}`).toString('base64')}`;
  }
  return fetch(discovery.token_endpoint, { method: 'POST', headers, body: form });
}

async function verifiedIdToken(idToken: string) {
  const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
  const { payload } = await jwtVerify(idToken, jwks, { issuer: provider.issuer, audience: CLIENT.client_id });
  return payload;
}

describe('the test OIDC provider', () => {
  it('publishes discovery for its own issuer, with PKCE S256 and both secret methods', () => {
    expect(discovery.issuer).toBe(provider.issuer);
    expect(provider.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(discovery.code_challenge_methods_supported).toEqual(['S256']);
    expect(discovery.token_endpoint_auth_methods_supported).toEqual(
      expect.arrayContaining(['client_secret_basic', 'client_secret_post']),
    );
  });

  it('signs in, issues a verifiable ID token with nonce and email claims, and refuses a replayed code', async () => {
    const tokenRequestsBefore = provider.tokenRequests();
    const request = authorizationRequest();
    const callback = await provider.authorize(request.url, 'grace');

    expect(callback.origin + callback.pathname).toBe(REDIRECT_URI);
    expect(callback.searchParams.get('state')).toBe(request.state);
    const code = callback.searchParams.get('code');
    expect(code).toBeTruthy();

    const tokenResponse = await exchangeCode(code!, request.verifier);
    expect(tokenResponse.status).toBe(200);
    const tokens = (await tokenResponse.json()) as { id_token: string };
    const claims = await verifiedIdToken(tokens.id_token);
    expect(claims).toMatchObject({
      sub: 'grace',
      nonce: request.nonce,
      email: 'grace@clearwater.example',
      email_verified: true,
      name: 'Grace Hopper',
    });

    const replay = await exchangeCode(code!, request.verifier);
    expect(replay.status).toBe(400);
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' });
    expect(provider.tokenRequests() - tokenRequestsBefore).toBe(2);
  });

  it('accepts Basic client authentication and releases extra claims and an unverified email', async () => {
    const request = authorizationRequest();
    const code = (await provider.authorize(request.url, 'ada')).searchParams.get('code')!;
    const response = await exchangeCode(code, request.verifier, 'basic');
    expect(response.status).toBe(200);
    const claims = await verifiedIdToken(((await response.json()) as { id_token: string }).id_token);
    expect(claims).toMatchObject({ sub: 'ada', email_verified: false, tid: 'tenant-1' });
  });

  it('requires PKCE: no code_challenge is an error back to the client, a wrong verifier is refused', async () => {
    const withoutPkce = new URL(authorizationRequest().url);
    withoutPkce.searchParams.delete('code_challenge');
    withoutPkce.searchParams.delete('code_challenge_method');
    const refused = await provider.authorize(withoutPkce.href, 'grace');
    expect(refused.searchParams.get('error')).toBe('invalid_request');
    expect(refused.searchParams.get('code')).toBeNull();

    const request = authorizationRequest();
    const code = (await provider.authorize(request.url, 'grace')).searchParams.get('code')!;
    const response = await exchangeCode(code, 'a-wrong-verifier-that-is-long-enough-for-pkce-format-43chars');
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' });
  });

  it('reports a login as an unknown user as refused', async () => {
    await expect(provider.authorize(authorizationRequest().url, 'nobody')).rejects.toThrow(/No such user/);
  });
});
