/**
 * A loopback stand-in for MYOB's OAuth 2.0 server that is as strict as the real one is documented
 * to be: its token endpoint takes the client id and secret only in the form body, demands the exact
 * redirect_uri the code was issued for, accepts each code once, demands PKCE (S256), and answers in MYOB's shape (tokens
 * and `user: { uid, username }`, no id_token). Its authorize endpoint signs in `signedIn` at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestMyob {
  authorizeUrl: string;
  tokenUrl: string;
  /** Who the next authorization signs in as. */
  signedIn: { uid: string; username: string };
  /** Token requests refused, with why: for tests that a rule holds. */
  refusals: string[];
  close(): Promise<void>;
}

export async function startMyob(client: { id: string; secret: string }): Promise<TestMyob> {
  const codes = new Map<
    string,
    { redirectUri: string; user: { uid: string; username: string }; challenge: string | null }
  >();
  const myob: TestMyob = {
    authorizeUrl: '',
    tokenUrl: '',
    signedIn: { uid: 'myob-user-1', username: 'grace@harbour.example' },
    refusals: [],
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', myob.authorizeUrl);
    if (req.method === 'GET' && url.pathname === '/oauth2/account/authorize') {
      const redirectUri = url.searchParams.get('redirect_uri') ?? '';
      if (url.searchParams.get('client_id') !== client.id || url.searchParams.get('response_type') !== 'code')
        return res.writeHead(400).end('bad request');
      const code = randomBytes(16).toString('hex');
      codes.set(code, {
        redirectUri,
        user: { ...myob.signedIn },
        challenge:
          url.searchParams.get('code_challenge_method') === 'S256'
            ? url.searchParams.get('code_challenge')
            : null,
      });
      const back = new URL(redirectUri);
      back.searchParams.set('code', code);
      back.searchParams.set('state', url.searchParams.get('state') ?? '');
      return res.writeHead(302, { location: back.href }).end();
    }
    if (req.method === 'POST' && url.pathname === '/oauth2/v1/authorize') {
      let raw = '';
      for await (const chunk of req) raw += chunk;
      const form = new URLSearchParams(raw);
      const refuse = (why: string) => {
        myob.refusals.push(why);
        res
          .writeHead(400, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'invalid_request' }));
      };
      if (req.headers.authorization) return refuse('credentials sent by HTTP Basic');
      if (form.get('client_id') !== client.id || form.get('client_secret') !== client.secret)
        return refuse('wrong client id or secret in the body');
      if (form.get('grant_type') !== 'authorization_code') return refuse('wrong grant_type');
      const issued = codes.get(form.get('code') ?? '');
      if (!issued) return refuse('unknown or used code');
      codes.delete(form.get('code') ?? '');
      if (form.get('redirect_uri') !== issued.redirectUri) return refuse('another redirect_uri');
      // Stricter than MYOB documents: PKCE required, so the plugin's use of it is tested.
      const verifier = form.get('code_verifier') ?? '';
      if (!issued.challenge || createHash('sha256').update(verifier).digest('base64url') !== issued.challenge)
        return refuse('no PKCE, or the wrong verifier');
      return res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          access_token: 'myob-access',
          token_type: 'bearer',
          expires_in: '1200',
          refresh_token: 'myob-refresh',
          scope: form.get('scope'),
          user: issued.user,
        }),
      );
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  myob.authorizeUrl = `${origin}/oauth2/account/authorize`;
  myob.tokenUrl = `${origin}/oauth2/v1/authorize`;
  return myob;
}
