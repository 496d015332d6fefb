/**
 * A client's workspace in a real browser: an Admin goes through its tabs by their names (Overview,
 * the example plugin's Example log, People and access, Settings) with JavaScript on and with it
 * off; each time the address changes and the current mark moves with the tab. Then, on Settings, a
 * summary saved with its name emptied is refused beside the field, keeping what was typed, and
 * saved once the name is back.
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  addClient,
  type BrowserWindow,
  completeSetup,
  expectFieldError,
  FIRM,
  goTo,
  signIn,
  submit,
  useE2E,
} from './harness.js';

const e2e = useE2E();
const CLIENT = 'Clearwater Holdings';
let overview = '';

const sections = (page: Page) => page.getByRole('navigation', { name: 'Client sections' });

/** The tab links' names, and which one is marked as the current page. */
async function tabs(page: Page) {
  const links = sections(page).getByRole('link');
  const names = (await links.allTextContents()).map((t) => t.trim());
  const current = await sections(page).locator('a[aria-current="page"]').allTextContents();
  return { names, current };
}

/** Follows the tab named `name` and waits for its address and for it to be marked current. */
async function openTab(page: Page, name: string, path: string) {
  await sections(page).getByRole('link', { name, exact: true }).click();
  await page.waitForURL((url) => url.pathname === path);
  await sections(page).locator('a[aria-current="page"]', { hasText: name }).waitFor();
}

beforeAll(async () => {
  const { page } = e2e;
  await completeSetup(page, e2e.server);
  // The example plugin, configured, so its tab shows beside the core's.
  await goTo(page, 'Plugins');
  await page.getByRole('link', { name: 'Settings of example' }).click();
  await page.getByLabel('Email footer line').fill(`${FIRM}, 12 Analytical Row`);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').waitFor();
  await addClient(page, CLIENT);
  overview = new URL(page.url()).pathname;
});

describe('a client’s workspace', () => {
  it.each([
    ['on', true],
    ['off', false],
  ])(
    'goes through the tabs by name with JavaScript %s: the address changes and the current mark moves',
    async (_, javaScriptEnabled) => {
      const { page } = await e2e.openBrowser({ javaScriptEnabled });
      await signIn(page, e2e.server, ADMIN);
      await page.goto(e2e.url(overview));
      await page.getByRole('heading', { name: CLIENT, level: 1 }).waitFor();
      expect(await tabs(page)).toEqual({
        names: ['Overview', 'Files', 'Example log', 'People and access', 'Settings'],
        current: ['Overview'],
      });

      // A mark on the window: with JavaScript, htmx swaps each tab in, so the window keeps it.
      if (javaScriptEnabled)
        await page.evaluate(() => {
          (globalThis as unknown as BrowserWindow).stayed = true;
        });

      await openTab(page, 'People and access', `${overview}/access`);
      await page.getByRole('heading', { name: `Who can see ${CLIENT}`, level: 2 }).waitFor();
      expect((await tabs(page)).current).toEqual(['People and access']);
      expect(await page.title()).toBe(`People and access · ${CLIENT} · ${FIRM}`);

      await openTab(page, 'Settings', `${overview}/settings`);
      await page.getByRole('button', { name: 'Save summary' }).waitFor();
      expect((await tabs(page)).current).toEqual(['Settings']);
      expect(await page.title()).toBe(`Settings · ${CLIENT} · ${FIRM}`);

      await openTab(page, 'Files', `${overview}/files`);
      await page.getByRole('heading', { name: 'Files', level: 2 }).waitFor();
      expect((await tabs(page)).current).toEqual(['Files']);
      expect(await page.title()).toBe(`Files · ${CLIENT} · ${FIRM}`);

      await openTab(page, 'Example log', overview.replace('/entities/', '/p/example/entities/'));
      await page.getByRole('heading', { name: 'Example log', level: 2 }).waitFor();
      expect((await tabs(page)).current).toEqual(['Example log']);

      await openTab(page, 'Overview', overview);
      await page.getByRole('heading', { name: 'Details', level: 2 }).waitFor();
      expect((await tabs(page)).current).toEqual(['Overview']);
      // The header stays the client's throughout: one h1, its name.
      expect(await page.getByRole('heading', { level: 1 }).allTextContents()).toEqual([CLIENT]);
      if (javaScriptEnabled) {
        // The link followed keeps the keyboard's focus across the swap.
        const focused = await page.evaluate(
          () =>
            ((globalThis as unknown as BrowserWindow).document.activeElement as { id?: string } | null)?.id,
        );
        expect(focused).toBe('entity-tab-overview');
        expect(await page.evaluate(() => (globalThis as unknown as BrowserWindow).stayed)).toBe(true);
      }
    },
  );

  it('on Settings, a summary without a name is refused beside the field, keeping what was typed, then saved', async () => {
    const { page } = e2e;
    await page.goto(e2e.url(overview));
    await openTab(page, 'Settings', `${overview}/settings`);
    await page.getByLabel('Name', { exact: true }).fill('');
    await page.getByLabel('Reference (optional)').fill('CW-001');
    const refused = await submit(page, page.getByRole('button', { name: 'Save summary' }));
    expect(refused.status()).toBe(422);
    await expectFieldError(page.getByLabel('Name', { exact: true }), 'Enter the name.');
    expect(await page.getByLabel('Reference (optional)').inputValue()).toBe('CW-001');
    // Still on Settings, under the client's name as it is saved.
    await page.getByRole('heading', { name: CLIENT, level: 1 }).waitFor();
    expect(await sections(page).locator('a[aria-current]').allTextContents()).toEqual(['Settings']);

    await page.getByLabel('Name', { exact: true }).fill(`${CLIENT} Pty Ltd`);
    await submit(page, page.getByRole('button', { name: 'Save summary' }));
    await page.getByRole('status').getByText('Summary saved.').waitFor();
    expect(new URL(page.url()).pathname).toBe(`${overview}/settings`);
    await page.getByRole('heading', { name: `${CLIENT} Pty Ltd`, level: 1 }).waitFor();
    expect((await tabs(page)).current).toEqual(['Settings']);
  });
});
