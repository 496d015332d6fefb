/**
 * Signing in with an OpenID provider in a real browser, against a real provider on loopback
 * standing in for Google and Microsoft (test/helpers/oidc-provider.ts): a contact presses "Sign in
 * with Google", signs in at the provider's own page and lands in their portal; the Admin links
 * Microsoft from Your account and sees it listed, with a way to unlink it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOidcProvider, type TestOidcProvider } from '../helpers/oidc-provider.js';
import {
  ADMIN,
  addClient,
  addContact,
  assignToClient,
  completeSetup,
  freePort,
  RESULTS_DIR,
  submit,
  useE2E,
} from './harness.js';

let provider: TestOidcProvider;
const GRACE = { firstName: 'Grace', lastName: 'Hopper', email: 'grace@harbour.example' };

const e2e = useE2E({
  // The app's address is chosen here, so the provider knows the redirect URIs before either starts.
  async env() {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    provider = await startOidcProvider({
      clients: [
        {
          client_id: 'google-client',
          client_secret: 'google-secret-of-the-test',
          redirect_uris: [`${base}/p/oidc/google/callback`],
        },
        {
          client_id: 'microsoft-client',
          client_secret: 'microsoft-secret-of-the-test',
          redirect_uris: [`${base}/p/oidc/microsoft/callback`],
        },
      ],
      accounts: [
        { sub: 'grace', email: GRACE.email, email_verified: true, name: 'Grace Hopper' },
        { sub: 'ada-at-work', email: 'ada@work.example', email_verified: true, name: 'Ada' },
      ],
    });
    return {
      PORT: String(port),
      BASE_URL: base,
      PLUGINS: 'example,oidc',
      OIDC_PROVIDERS: 'google,microsoft',
      OIDC_GOOGLE_ISSUER: provider.issuer,
      OIDC_GOOGLE_CLIENT_ID: 'google-client',
      OIDC_GOOGLE_CLIENT_SECRET: 'google-secret-of-the-test',
      OIDC_MICROSOFT_ISSUER: provider.issuer,
      OIDC_MICROSOFT_CLIENT_ID: 'microsoft-client',
      OIDC_MICROSOFT_CLIENT_SECRET: 'microsoft-secret-of-the-test',
    };
  },
});
afterAll(() => provider?.close());

beforeAll(async () => {
  const { page } = e2e;
  await completeSetup(page, e2e.server);
  await addClient(page, 'Harbour Bakery');
  await addContact(page, GRACE, 'Harbour Bakery');
  await submit(page, page.getByRole('button', { name: 'Turn on Client portal and email an invitation' }));
  await assignToClient(page, 'Grace Hopper', 'harbour', 'Harbour Bakery', 'Contact - Entity Access');
});

describe('signing in with a provider', () => {
  it('a contact presses Sign in with Google, signs in at the provider and lands in their portal', async () => {
    const grace = await e2e.openBrowser();
    const { page } = grace;
    await page.goto(e2e.url('/sign-in'));
    const ways = page.getByRole('navigation', { name: 'Other ways to sign in' });
    expect(await ways.getByRole('link').allTextContents()).toEqual([
      'Sign in with Google',
      'Sign in with Microsoft',
    ]);
    for (const [name, viewport] of [
      ['1280', { width: 1280, height: 800 }],
      ['390', { width: 390, height: 844 }],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.screenshot({ path: `${RESULTS_DIR}/sign-in-providers-${name}.png`, fullPage: true });
    }
    await ways.getByRole('link', { name: 'Sign in with Google' }).click();
    // The provider's own page, on its own origin.
    await page.getByLabel('Username').fill('grace');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Welcome, Grace Hopper', level: 1 }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/portal');
    await page.getByRole('heading', { name: 'Harbour Bakery', level: 2 }).waitFor();
  });

  it('the Admin links Microsoft from Your account, then sees it among their sign-in methods', async () => {
    const { page } = e2e;
    await page.goto(e2e.url('/account'));
    const methods = page.getByRole('region', { name: 'Sign in with Google or Microsoft' });
    await methods.getByText('Not linked to your account yet.').waitFor();
    await methods.getByRole('link', { name: 'Link Microsoft' }).click();
    await page.getByLabel('Username').fill('ada-at-work');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page
      .getByRole('status')
      .getByText('Microsoft is linked to your account: you can sign in with it.')
      .waitFor();
    expect(await methods.getByRole('list', { name: 'Linked sign-in methods' }).textContent()).toMatch(
      /^Microsoft · ada@work\.example · linked \d{4}-\d{2}-\d{2}/,
    );
    await methods.getByRole('button', { name: 'Unlink Microsoft' }).waitFor();
    for (const [name, viewport] of [
      ['1280', { width: 1280, height: 800 }],
      ['390', { width: 390, height: 844 }],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.screenshot({ path: `${RESULTS_DIR}/account-sign-in-methods-${name}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 800 });
    // Linking adds a way in; the account is still the Admin's own, under their own email.
    await page.getByText(`${ADMIN.firstName} ${ADMIN.lastName} · ${ADMIN.email}`).waitFor();
  });
});
