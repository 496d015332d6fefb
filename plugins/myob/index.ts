/**
 * Sign in with MYOB, as firms' clients use MYOB to keep their books. MYOB vouches for no email, so
 * it is linked from Your account first (after a fresh sign-in), then signs that person in. The
 * flow, the pages and the audit lines are the sign-in kit's (plugins/sign-in-kit/); MYOB's own
 * part is its authorization URL and its token request (client.ts).
 */
import { definePlugin } from '../../src/plugins/index.js';
import { providerUrl } from '../sign-in-kit/endpoints.js';
import { callbackUrl, registerSignIn } from '../sign-in-kit/register.js';
import { signInMigrations } from '../sign-in-kit/store.js';
import { authorizationUrl, identify, MYOB_AUTHORIZE_URL, MYOB_TOKEN_URL, type MyobConfig } from './client.js';

const endpoint = providerUrl('https://secure.myob.com/oauth2/v1/authorize');

export default definePlugin({
  id: 'myob',
  version: '1.0.0',
  host: '^1',
  settings: {
    secrets: {
      clientId: { env: 'MYOB_CLIENT_ID' },
      clientSecret: { env: 'MYOB_CLIENT_SECRET' },
      authorizeUrl: { env: 'MYOB_AUTHORIZE_URL', schema: endpoint, optional: true },
      tokenUrl: { env: 'MYOB_TOKEN_URL', schema: endpoint, optional: true },
      scope: { env: 'MYOB_SCOPE', optional: true },
    },
  },
  migrations: signInMigrations('myob'),
  register(ctx) {
    const config: MyobConfig = {
      clientId: ctx.secret('clientId') ?? '',
      clientSecret: ctx.secret('clientSecret') ?? '',
      authorizeUrl: ctx.secret('authorizeUrl') ?? MYOB_AUTHORIZE_URL,
      tokenUrl: ctx.secret('tokenUrl') ?? MYOB_TOKEN_URL,
      scope: ctx.secret('scope') ?? 'sme-company-file',
      redirectUri: callbackUrl(ctx, 'myob'),
    };
    registerSignIn(ctx, [
      {
        name: 'myob',
        label: 'MYOB',
        firstSignIn: 'link-first',
        // Nothing to discover: MYOB's endpoints are fixed.
        ready: async () => {},
        authorizationUrl: async (flow) => authorizationUrl(config, flow),
        identify: (query, flow) => identify(config, query('code') ?? '', flow.verifier),
        vouches: () => false,
      },
    ]);
  },
});
