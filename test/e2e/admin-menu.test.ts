/**
 * The Admin menu in a real browser: an Admin finds the administrative places under it and not in
 * the bar, sees which of them is open, closes it with Escape or a click elsewhere, and uses it with
 * JavaScript off; a staff member without administrative roles has no Admin menu; and the bar holds
 * on one row from 768 px up (the example plugin's item included).
 */
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  addStaff,
  type BrowserWindow,
  chooseOwnPassword,
  completeSetup,
  FIRM,
  FLOW_VIEWPORT,
  goTo,
  makeGrace,
  openMenu,
  signIn,
  useE2E,
} from './harness.js';

const e2e = useE2E();
const GRACE = makeGrace();

const BAR = ['Home', 'Notifications', 'Clients', 'Contacts', 'Contact groups', 'Portals', 'Example log'];
const ADMIN_PLACES = ['Staff', 'Staff groups', 'Settings', 'Audit log', 'Outbox', 'Plugins'];

beforeAll(async () => {
  const { page } = e2e;
  await completeSetup(page, e2e.server);
  // The example plugin's item makes the bar its longest.
  await goTo(page, 'Plugins');
  await page.getByRole('link', { name: 'Settings of example' }).click();
  await page.getByLabel('Email footer line').fill('Lovelace & Babbage LLP, 12 Analytical Row');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').getByText('Settings of example saved.').waitFor();
  await addStaff(page, GRACE);
  await goTo(page, 'Home');
});

const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });
/** The Admin menu's toggle: a <summary>, which has no role of its own to find it by. */
const adminToggle = (page: Page) =>
  mainNav(page)
    .locator('summary')
    .filter({ hasText: /^Admin$/ });
/** The open Admin menu's links (a <details> is a group). */
const adminLinks = (page: Page) => mainNav(page).getByRole('group').getByRole('link');

describe('an Admin at desktop width', () => {
  it('finds Staff, Staff groups, Settings, Audit log, Outbox and Plugins under the Admin menu, and none of them in the bar', async () => {
    const { page } = e2e;
    expect(await mainNav(page).getByRole('link').allTextContents()).toEqual(BAR);
    expect(await adminLinks(page).count()).toBe(0);

    await adminToggle(page).click();
    expect(await adminLinks(page).allTextContents()).toEqual(ADMIN_PLACES);
    for (const name of ADMIN_PLACES) {
      expect(await adminLinks(page).getByText(name, { exact: true }).isVisible(), name).toBe(true);
    }
    await adminLinks(page).getByText('Outbox', { exact: true }).click();
    await page.getByRole('heading', { name: 'Outbox', level: 1 }).waitFor();
  });

  it('marks the admin page you are on, and the closed menu too, as current', async () => {
    const { page } = e2e;
    await goTo(page, 'Home');
    expect(await adminToggle(page).locator('xpath=..').getAttribute('class')).toBe('admin-menu');

    await goTo(page, 'Audit log');
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    expect(await adminToggle(page).locator('xpath=..').getAttribute('class')).toBe('admin-menu current');
    await adminToggle(page).click();
    const current = mainNav(page).locator('[aria-current="page"]');
    expect(await current.allTextContents()).toEqual(['Audit log']);
  });

  it('Escape closes the Admin menu and puts the focus back on its toggle; a click elsewhere or a Tab out closes it too', async () => {
    const { page } = e2e;
    await goTo(page, 'Home');
    await adminToggle(page).focus();
    await page.keyboard.press('Enter');
    await page.keyboard.press('Tab');
    expect(await adminLinks(page).first().evaluate(hasFocus)).toBe(true);

    await page.keyboard.press('Escape');
    expect(await adminLinks(page).count()).toBe(0);
    expect(await adminToggle(page).evaluate(hasFocus)).toBe(true);

    await adminToggle(page).click();
    expect(await adminLinks(page).count()).toBe(ADMIN_PLACES.length);
    await page.getByRole('heading', { level: 1 }).click({ position: { x: 1, y: 1 } });
    expect(await adminLinks(page).count()).toBe(0);

    // Tabbing on past its last place closes it as well, leaving nothing open over the page.
    await adminToggle(page).focus();
    await page.keyboard.press('Enter');
    for (const _ of [...ADMIN_PLACES, 'Your account']) await page.keyboard.press('Tab');
    expect(await page.getByRole('link', { name: 'Your account' }).evaluate(hasFocus)).toBe(true);
    expect(await adminLinks(page).count()).toBe(0);
  });

  it('works with JavaScript off: the menu opens and its links lead to their pages', async () => {
    const { page } = await e2e.openBrowser({ javaScriptEnabled: false });
    await signIn(page, e2e.server, ADMIN);
    await adminToggle(page).click();
    expect(await adminLinks(page).allTextContents()).toEqual(ADMIN_PLACES);
    await adminLinks(page).getByText('Settings', { exact: true }).click();
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
  });
});

it('a staff member without an administrative role has no Admin menu, wide or narrow', async () => {
  const { page } = await e2e.openBrowser();
  await signIn(page, e2e.server, GRACE);
  await chooseOwnPassword(page, GRACE, 'graces-own-password-1906');
  expect(await mainNav(page).getByRole('link').allTextContents()).toEqual([
    'Home',
    'Notifications',
    'Example log',
  ]);
  expect(await adminToggle(page).count()).toBe(0);

  await page.setViewportSize({ width: 390, height: 844 });
  await openMenu(page);
  expect(await mainNav(page).getByRole('link').allTextContents()).toEqual([
    'Home',
    'Notifications',
    'Example log',
  ]);
  expect(await page.getByRole('banner').getByText('Admin', { exact: true }).count()).toBe(0);
});

describe('the top bar', () => {
  /**
   * What the bar shows, in page order, with their boxes: the firm's name, each shown link and menu
   * toggle, the signed-in name and Sign out.
   */
  async function shownBoxes(page: Page) {
    const items = await page
      .getByRole('banner')
      .locator('a, summary, .who, button')
      .filter({ visible: true })
      .all();
    const boxes = [];
    for (const item of items)
      boxes.push({ text: (await item.textContent())?.trim(), box: await item.boundingBox() });
    return boxes;
  }

  /** Checks every box is centred on the first one's line, each after the one before it. */
  function expectOneRow(boxes: Awaited<ReturnType<typeof shownBoxes>>) {
    expect(boxes.length, 'the firm name and at least one control').toBeGreaterThan(1);
    const middle = (b: (typeof boxes)[number]) => b.box!.y + b.box!.height / 2;
    for (const [i, shown] of boxes.entries()) {
      expect(Math.abs(middle(shown) - middle(boxes[0]!)), `${shown.text} sits on the one row`).toBeLessThan(
        2,
      );
      const before = boxes[i - 1];
      if (before)
        expect(shown.box!.x, `${shown.text} comes after ${before.text}`).toBeGreaterThanOrEqual(
          before.box!.x + before.box!.width,
        );
    }
  }

  it('at 1280 px shows an Admin the firm, the places, the Admin menu and the account links on one row', async () => {
    const { page } = e2e;
    await goTo(page, 'Home');
    const boxes = await shownBoxes(page);
    expect(boxes.map((b) => b.text)).toEqual([
      FIRM,
      ...BAR,
      'Admin',
      `${ADMIN.firstName} ${ADMIN.lastName}`,
      'Your account',
      'Sign out',
    ]);
    expectOneRow(boxes);
  });

  it.each([1200, 1000, 900, 768])('does not wrap at %i px', async (width) => {
    const { page } = e2e;
    await page.setViewportSize({ width, height: 800 });
    try {
      await goTo(page, 'Home');
      expectOneRow(await shownBoxes(page));
    } finally {
      await page.setViewportSize(FLOW_VIEWPORT);
    }
  });
});

/** Whether `element` has the keyboard focus (run inside the page). */
function hasFocus(element: unknown): boolean {
  return element === (globalThis as unknown as BrowserWindow).document.activeElement;
}
