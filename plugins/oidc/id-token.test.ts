/**
 * The ID token's checks, each broken on purpose: a minimal provider on loopback serves discovery,
 * its JWKS and a token endpoint that answers with whatever token the test minted (jose), so every
 * way a token can be wrong is tried against the real client code: another key's signature, another
 * issuer, another audience, a foreign azp, an expired or future token, another nonce, and
 * Microsoft's common endpoint, where `iss` must be the token's own tenant's.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWTPayload, SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProviderUrl } from '../sign-in-kit/endpoints.js';
import { SignInRefused } from '../sign-in-kit/identity.js';
import { OidcClient } from './client.js';
import { type ProviderConfig, vouches } from './providers.js';

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
let server: http.Server;
let issuer: string;
type PrivateKey = Awaited<ReturnType<typeof generateKeyPair>>['privateKey'];
let signingKey: PrivateKey;
let strangerKey: PrivateKey;
/** The token the token endpoint answers with next. */
let nextToken = '';
/** What discovery says the issuer is (Microsoft's common endpoint says a template). */
let discoveredIssuer = '';

beforeAll(async () => {
  const own = await generateKeyPair('RS256');
  signingKey = own.privateKey;
  strangerKey = (await generateKeyPair('RS256')).privateKey;
  const jwk = { ...(await exportJWK(own.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  server = http.createServer((req, res) => {
    const json = (body: unknown) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
    if (req.url === '/.well-known/openid-configuration')
      return json({
        issuer: discoveredIssuer,
        authorization_endpoint: `${issuer}/auth`,
        token_endpoint: `${issuer}/token`,
        jwks_uri: `${issuer}/jwks`,
      });
    if (req.url === '/jwks') return json({ keys: [jwk] });
    if (req.url === '/token') return json({ access_token: 'at', token_type: 'Bearer', id_token: nextToken });
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const provider = (over: Partial<ProviderConfig> = {}): ProviderConfig => ({
  name: 'local',
  label: 'Local',
  issuer,
  clientId: 'portico',
  clientSecret: 'secret',
  multiTenant: false,
  ...over,
});

async function mint(claims: JWTPayload, key = signingKey, expiresIn: string | number = '5m') {
  return new SignJWT({ iss: issuer, aud: 'portico', sub: 'ada', nonce: 'n1', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuedAt(typeof claims.iat === 'number' ? claims.iat : undefined)
    .setExpirationTime(expiresIn)
    .sign(key);
}

/** Which refusal the client gives for this token (null: accepted). */
async function verdict(token: string, config = provider(), nonce = 'n1') {
  discoveredIssuer = config.multiTenant ? 'https://login.microsoftonline.com/{tenantid}/v2.0' : config.issuer;
  nextToken = token;
  try {
    await new OidcClient(config, 'http://portico.test/p/oidc/local/callback').identify('code', 'verifier', nonce);
    return null;
  } catch (error) {
    if (error instanceof SignInRefused) return error.reason;
    throw error;
  }
}

describe('the ID token’s checks', () => {
  it('accepts a good token and reads who it names', async () => {
    discoveredIssuer = issuer;
    nextToken = await mint({ email: 'ada@example.com', email_verified: true });
    const identity = await new OidcClient(provider(), 'http://portico.test/cb').identify('code', 'v', 'n1');
    expect(identity).toEqual({ issuer, subject: 'ada', email: 'ada@example.com', emailVerified: true, tenant: null });
  });

  it('refuses each way a token can be wrong', async () => {
    expect(await verdict(await mint({}, strangerKey))).toBe('signature');
    expect(await verdict(await mint({ iss: 'https://attacker.example' }))).toBe('issuer');
    expect(await verdict(await mint({ aud: 'someone-else' }))).toBe('audience');
    expect(await verdict(await mint({ aud: ['portico', 'someone-else'] }))).toBe('audience');
    expect(await verdict(await mint({ azp: 'someone-else' }))).toBe('audience');
    expect(await verdict(await mint({}, signingKey, Math.floor(Date.now() / 1000) - 120))).toBe('token-expired');
    expect(await verdict(await mint({ iat: Math.floor(Date.now() / 1000) + 600 }))).toBe('token-expired');
    expect(await verdict(await mint({}), provider(), 'another-nonce')).toBe('nonce');
    // Within the minute of clock skew allowed, a just-expired token still passes.
    expect(await verdict(await mint({}, signingKey, Math.floor(Date.now() / 1000) - 30))).toBeNull();
    expect(await verdict(await mint({ azp: 'portico', aud: ['portico', 'other'] }))).toBeNull();
  });

  it('on Microsoft’s common endpoint, demands the issuer of the token’s own tenant', async () => {
    const common = provider({ issuer: 'https://login.microsoftonline.com/common/v2.0', multiTenant: true });
    // Discovery is fetched from the configured issuer: point it at the test server.
    const atTestServer = { ...common, issuer };
    const own = `https://login.microsoftonline.com/${TENANT}/v2.0`;
    expect(await verdict(await mint({ iss: own, tid: TENANT }), atTestServer)).toBeNull();
    expect(
      await verdict(await mint({ iss: 'https://login.microsoftonline.com/11111111-1111-1111-1111-111111111111/v2.0', tid: TENANT }), atTestServer),
    ).toBe('issuer');
    expect(await verdict(await mint({ iss: own }), atTestServer)).toBe('issuer');
  });

  it('refuses a provider whose discovery names another issuer, and answers at once for 30 s after', async () => {
    discoveredIssuer = 'https://attacker.example';
    nextToken = await mint({});
    const client = new OidcClient(provider(), 'http://portico.test/cb');
    await expect(client.ready()).rejects.toMatchObject({ reason: 'unavailable' });
    // Even once discovery is right again, the failure is remembered for a while rather than retried per request.
    discoveredIssuer = issuer;
    await expect(client.ready()).rejects.toMatchObject({ reason: 'unavailable' });
    expect(await new OidcClient(provider(), 'http://portico.test/cb').ready()).toBeUndefined();
  });
});

describe('who vouches for an email', () => {
  it('an OpenID provider by email_verified; Microsoft, which says nothing, only through a tenant the firm trusts', () => {
    const google = { issuer: 'https://accounts.google.com' };
    expect(vouches(google, { emailVerified: true, tenant: null }, '')).toBe(true);
    expect(vouches(google, { emailVerified: false, tenant: null }, TENANT)).toBe(false);
    const microsoft = { issuer: 'https://login.microsoftonline.com/common/v2.0' };
    expect(vouches(microsoft, { emailVerified: true, tenant: TENANT }, '')).toBe(false);
    expect(vouches(microsoft, { emailVerified: false, tenant: TENANT }, `11111111-1111-1111-1111-111111111111, ${TENANT}`)).toBe(true);
    expect(vouches(microsoft, { emailVerified: true, tenant: null }, TENANT)).toBe(false);
  });
});

describe('a provider’s addresses', () => {
  it('are https, or http only on this machine', () => {
    for (const good of ['https://accounts.google.com', 'http://127.0.0.1:9000/x', 'http://localhost/y', 'http://[::1]:80/z'])
      expect(isProviderUrl(good)).toBe(true);
    for (const bad of ['http://accounts.google.com', 'http://127.0.0.1.evil.example/', 'ftp://127.0.0.1/', 'javascript:alert(1)', '', 42])
      expect(isProviderUrl(bad)).toBe(false);
  });
});
