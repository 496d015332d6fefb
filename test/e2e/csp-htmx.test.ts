/**
 * The Content-Security-Policy holds in a real browser: htmx (served by the app, under the nonce)
 * loads and works, and nothing the pages do is refused by the policy. Every test file also fails on
 * any CSP message in the console (see useE2E in harness.ts); this one checks that the policy is
 * really enforced, so that check is not vacuous.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  type BrowserWindow,
  chooseOwnPassword,
  completeSetup,
  goTo,
  makeGrace,
  signIn,
  useE2E,
} from './harness.js';

const e2e = useE2E();

const GRACE = makeGrace();

beforeAll(async () => {
  const { page } = e2e;
  await completeSetup(page, e2e.server);
  // A second staff member, so that a search has something to leave out.
  await goTo(page, 'Staff');
  await page.getByRole('link', { name: 'Add staff member' }).click();
  await page.getByLabel('First name').fill(GRACE.firstName);
  await page.getByLabel('Last name').fill(GRACE.lastName);
  await page.getByLabel('Email').fill(GRACE.email);
  await page.getByRole('radio', { name: 'Set an initial password now' }).check();
  await page.getByLabel('Initial password (only when setting one now)').fill(GRACE.password);
  await page.getByRole('button', { name: 'Add staff member' }).click();
  await page.getByRole('heading', { name: 'Grace Hopper', level: 1 }).waitFor();
});

describe('Content-Security-Policy and htmx', () => {
  it('pages are served with a nonce-based policy, and htmx loads under it', async () => {
    const { page } = e2e;
    const response = await page.goto(e2e.url('/staff'));
    const csp = response?.headers()['content-security-policy'] ?? '';
    expect(csp).toMatch(/(^|;\s*)default-src 'none'/);
    // A nonce-source is base64 or base64url (CSP3: letters, digits, + / - _, then = padding).
    expect(csp).toMatch(/(^|;\s*)script-src 'self' 'nonce-[A-Za-z0-9+/_-]+={0,2}'(;|$)/);
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');

    expect(await page.evaluate(() => typeof (globalThis as unknown as BrowserWindow).htmx)).toBe('object');
    // The app's stylesheet applied too (style-src 'self').
    expect(
      await page
        .getByRole('table')
        .evaluate((t) => (globalThis as unknown as BrowserWindow).getComputedStyle(t).borderCollapse),
    ).toBe('collapse');
  });

  it('typing in the Staff search box updates the results table without a full page load', async () => {
    const { page } = e2e;
    await page.goto(e2e.url('/staff'));
    const table = page.getByRole('table');
    expect(await table.getByRole('caption').textContent()).toBe('All staff');
    expect(await table.getByRole('row').count()).toBe(3); // header, Ada, Grace

    // A mark on this document: a full page load would wipe it.
    await page.evaluate(() => {
      (globalThis as unknown as BrowserWindow).e2eSameDocument = true;
    });
    const search = page.getByRole('searchbox', { name: 'Search staff by name or email' });
    const [request] = await Promise.all([
      page.waitForRequest((r) => new URL(r.url()).pathname === '/staff' && r.url().includes('q=grace')),
      search.pressSequentially('grace', { delay: 30 }),
    ]);
    expect(request.headers()['hx-request']).toBe('true');
    expect(request.isNavigationRequest()).toBe(false);
    const answer = await request.response();
    expect(answer?.status()).toBe(200);
    expect(await answer?.text()).not.toMatch(/<html|<!DOCTYPE/i);

    await expect.poll(() => table.getByRole('caption').textContent()).toBe('Staff matching “grace”');
    const rows = table.getByRole('row').filter({ has: page.getByRole('cell') });
    expect(await rows.count()).toBe(1);
    expect(await rows.getByRole('cell').first().textContent()).toBe('Grace Hopper');
    expect(await page.evaluate(() => (globalThis as unknown as BrowserWindow).e2eSameDocument)).toBe(true);
    // The address follows the search (hx-push-url), so it can be shared or reloaded.
    expect(new URL(page.url()).searchParams.get('q')).toBe('grace');
    // Focus stays in the box while typing.
    expect(
      await search.evaluate((el) => el === (globalThis as unknown as BrowserWindow).document.activeElement),
    ).toBe(true);

    // No match, then back to everyone when the box is cleared.
    await search.pressSequentially('zzz', { delay: 30 });
    await expect.poll(() => table.getByRole('caption').textContent()).toBe('Staff matching “gracezzz”');
    expect(await table.getByRole('cell').allTextContents()).toEqual(['No staff match.']);
    await search.clear();
    await expect.poll(() => table.getByRole('caption').textContent()).toBe('All staff');
    expect(await table.getByRole('row').count()).toBe(3);
    expect(await page.evaluate(() => (globalThis as unknown as BrowserWindow).e2eSameDocument)).toBe(true);

    // Reloading the pushed address gives the same results as a full page.
    await search.pressSequentially('ada', { delay: 30 });
    await expect.poll(() => new URL(page.url()).searchParams.get('q')).toBe('ada');
    await page.reload();
    expect(await page.getByRole('table').getByRole('caption').textContent()).toBe('Staff matching “ada”');
    expect(await page.getByRole('searchbox', { name: 'Search staff by name or email' }).inputValue()).toBe(
      'ada',
    );
  });

  it('when access is taken away while the Staff page is open, the next search shows the refusal as the page', async () => {
    const { page } = e2e;
    // The Admin makes Grace a Staff Admin, so she may search the directory.
    await page.goto(e2e.url('/staff'));
    await page.getByRole('link', { name: 'Grace Hopper' }).click();
    await page.getByRole('checkbox', { name: 'Staff Admin' }).check();
    await page.getByRole('button', { name: 'Save roles' }).click();
    await page.getByRole('status').getByText('Roles saved.').waitFor();
    const gracePage = page.url();

    const grace = await e2e.openBrowser();
    await signIn(grace.page, e2e.server, GRACE);
    await chooseOwnPassword(grace.page, GRACE, 'graces-own-password-1906');
    await grace.page.goto(e2e.url('/staff'));
    const search = grace.page.getByRole('searchbox', { name: 'Search staff by name or email' });

    // The Admin takes the role away again while Grace's page is open.
    await page.goto(gracePage);
    await page.getByRole('checkbox', { name: 'Staff Admin' }).uncheck();
    await page.getByRole('button', { name: 'Save roles' }).click();
    await page.getByRole('status').getByText('Roles saved.').waitFor();

    const [answer] = await Promise.all([
      grace.page.waitForResponse((r) => new URL(r.url()).pathname === '/staff' && r.url().includes('q=ada')),
      search.pressSequentially('ada', { delay: 30 }),
    ]);
    expect(answer.status()).toBe(403);
    // The refusal takes the page's place, not the results box's, and the address stays put.
    await grace.page.getByRole('heading', { name: 'You do not have access', level: 1 }).waitFor();
    expect(await grace.page.getByRole('heading', { name: 'Staff', level: 1 }).count()).toBe(0);
    expect(await grace.page.getByRole('searchbox').count()).toBe(0);
    expect(new URL(grace.page.url()).search).toBe('');
  });

  it('the policy is enforced: an injected inline script is refused and reported in the console', async () => {
    const { page } = e2e;
    await page.goto(e2e.url('/'));
    const refused = page.waitForEvent('console', (m) => /Content Security Policy/i.test(m.text()));
    await page.evaluate(() => {
      const { document } = globalThis as unknown as BrowserWindow;
      const script = document.createElement('script');
      script.textContent = 'window.e2eInlineRan = true;';
      document.body.append(script);
    });
    await refused;
    expect(await page.evaluate(() => (globalThis as unknown as BrowserWindow).e2eInlineRan)).toBeUndefined();
    // The harness saw it too (this is what fails every other test on a violation); clear it here.
    const problems = e2e.takeProblems();
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^CSP violation on .*: .*Content Security Policy/);
  });
});
