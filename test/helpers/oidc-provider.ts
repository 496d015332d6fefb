/**
 * A real OpenID Connect provider (oidc-provider) on loopback, for tests of "Sign in with Google /
 * Microsoft / OIDC". It speaks the genuine protocol — discovery, JWKS, authorization code with
 * PKCE S256, signed ID tokens carrying nonce and email claims — so a relying party is tested
 * against a provider it cannot quietly agree with. Its login page is a one-field form ("Username"
 * = the account's sub, "Sign in") that a browser test can press; consent is granted automatically.
 * `authorize()` plays that browser over HTTP for integration tests.
 */
import { generateKeyPair } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import type { Configuration, default as Provider } from 'oidc-provider';

export interface OidcAccount {
  sub: string;
  email?: string;
  email_verified?: boolean;
  name?: string;
  /** Entra-style claims, e.g. tid */
  extra?: Record<string, unknown>;
}

export interface OidcClientSpec {
  client_id: string;
  client_secret: string;
  redirect_uris: string[];
}

export interface TestOidcProvider {
  /** e.g. http://127.0.0.1:<port>, exactly the `iss` of its ID tokens and discovery's `issuer`. */
  issuer: string;
  /** Looked up on every login and token request, so tests may add or change accounts while running. */
  accounts: Map<string, OidcAccount>;
  /**
   * Drives the provider's side of an authorization request over HTTP, as a browser would: GET
   * `authorizeUrl`, follow the provider's own redirects with a cookie jar, submit its login form as
   * `sub` (consent is granted automatically), and return the final redirect URL that points at the
   * client's redirect_uri (carrying code & state, or error). Never follows the redirect to the
   * client itself. Throws when the login is refused or the provider answers with an error page.
   */
  authorize(authorizeUrl: string, sub: string): Promise<URL>;
  /** How many token requests the provider has served (for "a replayed code is refused" tests). */
  tokenRequests(): number;
  close(): Promise<void>;
}

const MAX_HOPS = 10;
const INTERACTION_PATH = /^\/interaction\/([^/]+)$/;

export async function startOidcProvider(options: {
  clients: OidcClientSpec[];
  accounts: OidcAccount[];
  port?: number;
  idTokenTtlSeconds?: number;
}): Promise<TestOidcProvider> {
  const accounts = new Map(options.accounts.map((account) => [account.sub, account]));

  // Listen first so the issuer (which needs the port) is known before the provider is built;
  // nobody can send a request before the port is handed out, so the late handler is safe.
  let handle: http.RequestListener = (_req, res) => res.writeHead(503).end();
  const server = http.createServer((req, res) => handle(req, res));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', resolve);
  });
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const provider = await withoutProviderNotices(async () => {
    const { default: Provider } = await import('oidc-provider');
    return new Provider(issuer, await providerConfiguration(options, accounts));
  }).catch((error: unknown) => {
    server.close();
    throw error;
  });

  const tokenPath = provider.pathFor('token');
  const callback = provider.callback();
  let tokenRequestCount = 0;
  handle = (req, res) => {
    const path = new URL(req.url ?? '/', issuer).pathname;
    if (req.method === 'POST' && path === tokenPath) tokenRequestCount++;
    const interactionUid = INTERACTION_PATH.exec(path)?.[1];
    if (interactionUid === undefined) return callback(req, res);
    handleInteraction(provider, accounts, interactionUid, req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`interaction failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  };

  const redirectUris = new Set(options.clients.flatMap((client) => client.redirect_uris));

  return {
    issuer,
    accounts,
    authorize: (authorizeUrl, sub) => driveAuthorization(authorizeUrl, sub, redirectUris),
    tokenRequests: () => tokenRequestCount,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function providerConfiguration(
  options: { clients: OidcClientSpec[]; accounts: OidcAccount[]; idTokenTtlSeconds?: number },
  accounts: Map<string, OidcAccount>,
): Promise<Configuration> {
  // The set of claims a provider can release is fixed when it is built, so extra claims (tid, …)
  // must appear on at least one of the starting accounts to be released later.
  const extraClaims = [...new Set(options.accounts.flatMap((account) => Object.keys(account.extra ?? {})))];
  return {
    clients: options.clients.map((client) => ({
      ...client,
      grant_types: ['authorization_code'],
      response_types: ['code'],
      // Either Basic or form-post credentials are accepted for any client_secret_* method.
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    clientAuthMethods: ['client_secret_basic', 'client_secret_post'],
    jwks: { keys: [await rsaSigningKey()] },
    scopes: ['openid', 'email', 'profile'],
    claims: {
      openid: ['sub', ...extraClaims],
      email: ['email', 'email_verified'],
      profile: ['name'],
    },
    // By default scope-requested claims go to userinfo only; Google and Entra put them in the
    // ID token, and that is what a relying party reads.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    pkce: { required: () => true },
    findAccount: (_ctx, sub) => {
      if (!accounts.has(sub)) return undefined;
      return {
        accountId: sub,
        // Read at call time, so a test's change to the account shows in the next token.
        claims: () => {
          const { extra, ...standard } = accounts.get(sub) ?? { sub };
          return { ...extra, ...standard };
        },
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    features: { devInteractions: { enabled: false } },
    // A loopback test provider: any origin may call it (the default also logs a notice on each call).
    clientBasedCORS: () => true,
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page(
        'Error',
        `<h1>${escapeHtml(String(out.error))}</h1><p>${escapeHtml(String(out.error_description ?? ''))}</p>`,
      );
    },
    ttl: {
      AccessToken: 3600,
      AuthorizationCode: 60,
      IdToken: options.idTokenTtlSeconds ?? 3600,
      Interaction: 600,
      Session: 3600,
      Grant: 3600,
    },
  };
}

/** The login form on GET; on POST, signs in as the posted sub. Consent prompts are granted at once. */
async function handleInteraction(
  provider: Provider,
  accounts: Map<string, OidcAccount>,
  uid: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const details = await provider.interactionDetails(req, res);

  if (details.prompt.name === 'consent') {
    const grantId = await grantEverythingAsked(provider, details);
    const consent = details.grantId ? {} : { grantId };
    return provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
  }
  if (details.prompt.name !== 'login') throw new Error(`unsupported prompt ${details.prompt.name}`);
  if (req.method !== 'POST') return sendLoginForm(res, uid);

  const sub = new URLSearchParams(await readBody(req)).get('username') ?? '';
  if (!accounts.has(sub)) return sendLoginForm(res, uid, 'No such user');
  return provider.interactionFinished(
    req,
    res,
    { login: { accountId: sub } },
    { mergeWithLastSubmission: false },
  );
}

type InteractionDetails = Awaited<ReturnType<Provider['interactionDetails']>>;

/** oidc-provider only issues codes against an explicit Grant; this one covers whatever was requested. */
async function grantEverythingAsked(provider: Provider, details: InteractionDetails): Promise<string> {
  const grant =
    (details.grantId ? await provider.Grant.find(details.grantId) : undefined) ??
    new provider.Grant({ accountId: details.session?.accountId, clientId: String(details.params.client_id) });
  const missing = details.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (missing.missingOIDCScope) grant.addOIDCScope(missing.missingOIDCScope.join(' '));
  if (missing.missingOIDCClaims) grant.addOIDCClaims(missing.missingOIDCClaims);
  for (const [resource, scopes] of Object.entries(missing.missingResourceScopes ?? {})) {
    grant.addResourceScope(resource, scopes.join(' '));
  }
  return grant.save();
}

function sendLoginForm(res: http.ServerResponse, uid: string, problem?: string): void {
  const alert = problem ? `<p role="alert">${escapeHtml(problem)}</p>` : '';
  const body = `<h1>Sign in</h1>${alert}
<form method="post" action="/interaction/${encodeURIComponent(uid)}">
  <label for="username">Username</label>
  <input id="username" name="username" autocomplete="username" autofocus>
  <button type="submit">Sign in</button>
</form>`;
  res.writeHead(problem ? 401 : 200, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(page('Sign in', body));
}

/** The browser's part, over fetch: follow redirects by hand with a cookie jar and fill in the login form. */
async function driveAuthorization(
  authorizeUrl: string,
  sub: string,
  redirectUris: Set<string>,
): Promise<URL> {
  const cookies = new Map<string, string>();
  let url = new URL(authorizeUrl);
  let loginForm: URLSearchParams | undefined;

  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const response = await fetch(url, {
      redirect: 'manual',
      method: loginForm ? 'POST' : 'GET',
      body: loginForm,
      headers: { cookie: [...cookies].map(([name, value]) => `${name}=${value}`).join('; ') },
    });
    for (const setCookie of response.headers.getSetCookie()) {
      const [name = '', value = ''] = setCookie.split(';', 1)[0]!.split(/=(.*)/s);
      if (value === '') cookies.delete(name.trim());
      else cookies.set(name.trim(), value);
    }

    const location = response.headers.get('location');
    if (location) {
      const next = new URL(location, url);
      if (redirectUris.has(next.origin + next.pathname)) return next;
      url = next;
      loginForm = undefined;
      continue;
    }

    const text = await response.text();
    if (loginForm) {
      const reason = /<p role="alert">([^<]*)<\/p>/.exec(text)?.[1] ?? `HTTP ${response.status}`;
      throw new Error(`The test OIDC provider refused the login as "${sub}": ${reason}`);
    }
    if (INTERACTION_PATH.test(url.pathname) && text.includes('name="username"')) {
      loginForm = new URLSearchParams({ username: sub });
      continue;
    }
    throw new Error(
      `The test OIDC provider answered ${response.status} at ${url.href}: ${text.slice(0, 500)}`,
    );
  }
  throw new Error(`authorize() followed more than ${MAX_HOPS} hops without reaching a redirect_uri`);
}

/** A fresh RS256 key per provider: Google and Entra sign with RS256, the default a client expects. */
async function rsaSigningKey() {
  const { privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  return { ...privateKey.export({ format: 'jwk' }), use: 'sig', alg: 'RS256' };
}

/**
 * oidc-provider announces on the console that it runs on Node 20 rather than 22, with its
 * in-memory adapter, and so on — all expected here. Drop those lines while it loads and starts.
 */
async function withoutProviderNotices<T>(start: () => Promise<T>): Promise<T> {
  const { warn, info } = console;
  const unlessNotice =
    (log: (...args: unknown[]) => void) =>
    (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider ')) return;
      log(...args);
    };
  console.warn = unlessNotice(warn);
  console.info = unlessNotice(info);
  try {
    return await start();
  } finally {
    console.warn = warn;
    console.info = info;
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title}</title></head><body>${body}</body></html>`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
