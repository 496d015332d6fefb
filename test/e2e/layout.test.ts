/**
 * The page shell at phone width (no sideways scrolling, the Menu opens the navigation, the
 * administrative places in a group of their own) and at desktop width (the navigation shown without
 * a Menu, the administrative places under the Admin menu; admin-menu.test.ts tests that menu).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  type BrowserSession,
  type BrowserWindow,
  completeSetup,
  PHONE,
  signIn,
  signOut,
  useE2E,
} from './harness.js';

const e2e = useE2E();
const BAR = ['Home', 'Notifications', 'Clients'];
const ADMIN_PLACES = ['Staff', 'Staff groups', 'Settings', 'Audit log', 'Outbox', 'Plugins'];
const ADMIN_NAV = [...BAR, ...ADMIN_PLACES];

beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
});

/** Width of the document and of the window, in CSS pixels. */
function widths(session: BrowserSession) {
  return session.page.evaluate(() => {
    const w = globalThis as unknown as BrowserWindow;
    return { scrollWidth: w.document.documentElement.scrollWidth, innerWidth: w.innerWidth };
  });
}

describe('at phone width (375px)', () => {
  it('the home page has no horizontal scroll, and the Menu opens to show the navigation', async () => {
    const phone = await e2e.openBrowser(PHONE);
    const { page } = phone;
    await signIn(page, e2e.server, ADMIN);
    await page.getByRole('heading', { name: `Welcome, ${ADMIN.firstName}`, level: 1 }).waitFor();

    const closed = await widths(phone);
    expect(closed.innerWidth).toBe(375);
    expect(closed.scrollWidth).toBeLessThanOrEqual(closed.innerWidth);

    // Folded away at first: the navigation and account links are behind the Menu.
    const nav = page.getByRole('navigation', { name: 'Main' });
    const menu = page.getByText('Menu', { exact: true });
    expect(await menu.isVisible()).toBe(true);
    expect(await nav.isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: 'Sign out', exact: true }).isVisible()).toBe(false);

    await menu.tap();
    await nav.waitFor();
    for (const name of ADMIN_NAV) {
      expect(await nav.getByRole('link', { name, exact: true }).isVisible(), name).toBe(true);
    }
    expect(await nav.getByRole('link', { name: 'Home', exact: true }).getAttribute('aria-current')).toBe(
      'page',
    );
    // The administrative places are a list of their own, named by the heading over it.
    expect(await nav.getByRole('list', { name: 'Admin' }).getByRole('link').allTextContents()).toEqual(
      ADMIN_PLACES,
    );
    expect(await page.getByRole('link', { name: 'Your account' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Sign out', exact: true }).isVisible()).toBe(true);
    const open = await widths(phone);
    expect(open.scrollWidth).toBeLessThanOrEqual(open.innerWidth);

    // The links work: Staff, whose page fits the width too.
    await nav.getByRole('link', { name: 'Staff', exact: true }).tap();
    await page.waitForURL(e2e.url('/staff'));
    await page.getByRole('heading', { name: 'Staff', level: 1 }).waitFor();
    const staff = await widths(phone);
    expect(staff.scrollWidth).toBeLessThanOrEqual(staff.innerWidth);

    await signOut(page);
    const signInPage = await widths(phone);
    expect(signInPage.scrollWidth).toBeLessThanOrEqual(signInPage.innerWidth);
  });
});

describe('at desktop width (1280px)', () => {
  /** A browser of its own at desktop width, signed in as the Admin, on the home page. */
  async function desktopSignedIn(): Promise<BrowserSession> {
    const desktop = await e2e.openBrowser({ viewport: { width: 1280, height: 800 } });
    await signIn(desktop.page, e2e.server, ADMIN);
    await desktop.page.getByRole('heading', { name: `Welcome, ${ADMIN.firstName}`, level: 1 }).waitFor();
    return desktop;
  }

  it('the home page fits the window, with no horizontal scroll', async () => {
    const desktop = await desktopSignedIn();
    const { scrollWidth, innerWidth } = await widths(desktop);
    expect(innerWidth).toBe(1280);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  });

  it('the navigation, "Your account" and "Sign out" are shown without opening a Menu, the administrative places under the Admin menu', async () => {
    const { page } = await desktopSignedIn();
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await page.getByText('Menu', { exact: true }).isVisible()).toBe(false);
    for (const name of BAR) {
      expect(await nav.getByRole('link', { name, exact: true }).isVisible(), name).toBe(true);
    }
    for (const name of ADMIN_PLACES) {
      expect(await nav.getByRole('link', { name, exact: true }).isVisible(), name).toBe(false);
    }
    await nav.getByText('Admin', { exact: true }).click();
    for (const name of ADMIN_PLACES) {
      expect(await nav.getByRole('link', { name, exact: true }).isVisible(), name).toBe(true);
    }
    expect(await page.getByRole('link', { name: 'Your account' }).isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Sign out', exact: true }).isVisible()).toBe(true);
  });
});
