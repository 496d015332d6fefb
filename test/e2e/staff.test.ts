/**
 * Signing in and out, adding staff (with an initial password, and with a one-time link opened in
 * another browser), and what a staff member without roles may see and do, in a real browser. The
 * tests that sign someone in or out do it in a browser of their own, so any one of them runs alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  completeSetup,
  FIRM,
  GENERIC_SIGN_IN_FAILURE,
  goTo,
  makeGrace,
  makeLinus,
  openMenu,
  type Person,
  signIn,
  signOut,
  submit,
  useE2E,
} from './harness.js';

const e2e = useE2E();

const GENERIC = GENERIC_SIGN_IN_FAILURE;

const GRACE = makeGrace();
const LINUS = makeLinus();
/** Added with a password set by the Admin before the tests: the staff member without roles. */
const MARY: Person = {
  firstName: 'Mary',
  lastName: 'Jackson',
  email: 'mary@example.com',
  password: 'wind-tunnel-1951',
};

beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
  await openAddStaffForm(MARY);
  await e2e.page.getByRole('radio', { name: 'Set an initial password now' }).check();
  await e2e.page.getByLabel('Initial password (only when setting one now)').fill(MARY.password);
  await e2e.page.getByRole('button', { name: 'Add staff member' }).click();
  await e2e.page.getByRole('heading', { name: 'Mary Jackson', level: 1 }).waitFor();
});

/** Staff → Add staff member, with the summary filled in; the caller chooses how they sign in. */
async function openAddStaffForm(person: Person) {
  const { page } = e2e;
  await goTo(page, 'Staff');
  await page.getByRole('heading', { name: 'Staff', level: 1 }).waitFor();
  await page.getByRole('link', { name: 'Add staff member' }).click();
  await page.getByRole('heading', { name: 'Add staff member', level: 1 }).waitFor();
  await page.getByLabel('First name').fill(person.firstName);
  await page.getByLabel('Last name').fill(person.lastName);
  await page.getByLabel('Email').fill(person.email);
}

describe('signing in and managing staff', () => {
  it('signs out, refuses a wrong password with one generic message, then signs the Admin in', async () => {
    const { page } = e2e;
    await signOut(page);
    expect(await page.getByRole('status').textContent()).toContain('You are signed out.');
    await page.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();

    // A wrong password for a real account…
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password').fill('not-the-right-password');
    expect((await submit(page, page.getByRole('button', { name: 'Sign in' }))).status()).toBe(422);
    expect(await page.getByRole('alert').allTextContents()).toEqual([GENERIC]);
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    // …is one message for the whole form: no field is singled out, and the email is kept.
    expect(await page.getByLabel('Email').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByLabel('Password').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByLabel('Email').inputValue()).toBe(ADMIN.email);
    expect(await page.getByLabel('Password').inputValue()).toBe('');

    // An unknown email gets exactly the same message, so it reveals nothing.
    await page.getByLabel('Email').fill('nobody@example.com');
    await page.getByLabel('Password').fill('whatever-password-1');
    const answer = await submit(page, page.getByRole('button', { name: 'Sign in' }));
    expect(answer.status()).toBe(422);
    expect(await page.getByLabel('Email').inputValue()).toBe('nobody@example.com');
    expect(await page.getByRole('alert').allTextContents()).toEqual([GENERIC]);

    await signIn(page, e2e.server, ADMIN);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('heading', { name: `Welcome, ${ADMIN.firstName}`, level: 1 }).waitFor();
    expect(await page.getByRole('banner').getByRole('link', { name: FIRM }).isVisible()).toBe(true);
  });

  it('adds a staff member with an initial password set now', async () => {
    const { page } = e2e;
    await openAddStaffForm(GRACE);
    await page.getByRole('radio', { name: 'Set an initial password now' }).check();
    await page.getByLabel('Initial password (only when setting one now)').fill(GRACE.password);
    await page.getByRole('button', { name: 'Add staff member' }).click();

    await page.waitForURL(/\/staff\/[^/]+$/);
    await page.getByRole('heading', { name: `${GRACE.firstName} ${GRACE.lastName}`, level: 1 }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain(
      `${GRACE.firstName} ${GRACE.lastName} was added.`,
    );
    // No link is shown when a password was set.
    expect(await page.getByLabel('Set-password link').count()).toBe(0);
    expect(await page.getByRole('checkbox', { checked: true }).count()).toBe(0);

    await page.getByRole('link', { name: 'All staff' }).click();
    const row = page.getByRole('row', { name: new RegExp(`${GRACE.firstName} ${GRACE.lastName}`) });
    expect(await row.getByRole('cell').allTextContents()).toEqual([
      `${GRACE.firstName} ${GRACE.lastName}`,
      GRACE.email,
      '',
      'Active',
    ]);
  });

  it('adds a staff member with an invitation, whose link on the page (no email transport here) they open to choose a password and sign in', async () => {
    const { page } = e2e;
    await openAddStaffForm(LINUS);
    await page.getByRole('radio', { name: 'Send them an invitation to choose their own password' }).check();
    await page.getByRole('button', { name: 'Add staff member' }).click();

    await page.getByRole('heading', { name: `${LINUS.firstName} ${LINUS.lastName}`, level: 1 }).waitFor();
    const panel = page.getByRole('status');
    // Without an email transport the invitation is only kept in the Outbox: the page says so, and
    // the link it shows is the way to hand it over.
    expect(await panel.textContent()).toContain(
      `${LINUS.firstName} ${LINUS.lastName} was added, and an invitation was kept in the Outbox for ${LINUS.email}. If it does not arrive, give ${LINUS.firstName} the same link yourself.`,
    );
    const link = await page.getByLabel('Set-password link').inputValue();
    expect(link.startsWith(`${e2e.server.baseUrl}/set-password/`)).toBe(true);
    expect(link.slice(`${e2e.server.baseUrl}/set-password/`.length)).toMatch(/^[A-Za-z0-9_-]{20,}$/);

    // They open it in their own browser: nothing shared with the Admin's session.
    const theirs = await e2e.openBrowser();
    const them = theirs.page;
    await them.goto(link);
    await them.getByRole('heading', { name: 'Choose your password', level: 1 }).waitFor();
    expect(await them.getByText(`This sets the password for ${LINUS.email}.`).isVisible()).toBe(true);

    // A too-short password is refused beside its field first.
    await them.getByLabel('New password', { exact: true }).fill('short');
    await them.getByLabel('Repeat new password').fill('short');
    await them.getByRole('button', { name: 'Set password and sign in' }).click();
    await them.getByText('Use at least 12 characters.').waitFor();
    expect(await them.getByLabel('New password', { exact: true }).getAttribute('aria-invalid')).toBe('true');

    await them.getByLabel('New password', { exact: true }).fill(LINUS.password);
    await them.getByLabel('Repeat new password').fill(LINUS.password);
    await them.getByRole('button', { name: 'Set password and sign in' }).click();
    await them.waitForURL(e2e.url('/'));
    await them.getByRole('heading', { name: `Welcome, ${LINUS.firstName}`, level: 1 }).waitFor();
    expect(await them.getByRole('status').textContent()).toContain(
      'Your password is set and you are signed in.',
    );
    await openMenu(them);
    const shownName = them
      .getByText(`${LINUS.firstName} ${LINUS.lastName}`, { exact: true })
      .filter({ visible: true });
    expect(await shownName.count()).toBe(1);

    // The link worked once.
    const again = await them.goto(link);
    expect(again?.status()).toBe(404);
    await them.getByRole('heading', { name: 'This link has expired or was already used' }).waitFor();

    // And the password they chose is theirs: sign out and back in with it.
    await signOut(them);
    await signIn(them, e2e.server, LINUS);
    await them.getByRole('heading', { name: `Welcome, ${LINUS.firstName}`, level: 1 }).waitFor();
    await theirs.close();
  });

  it('a staff member without roles sees no admin navigation and is refused the staff directory', async () => {
    const { page } = await e2e.openBrowser();
    await signIn(page, e2e.server, MARY);
    // The Admin chose Mary's password, so she is asked to choose her own before anything else.
    await page.waitForURL(e2e.url('/account'));
    expect(await page.getByRole('status').textContent()).toContain(
      'Your password was set by someone else. Choose your own now.',
    );
    const own = 'marys-own-password-1958';
    await page.getByLabel('Current password').fill(MARY.password);
    await page.getByLabel('New password', { exact: true }).fill(own);
    await page.getByLabel('Repeat new password').fill(own);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.waitForURL(e2e.url('/account'));
    expect(await page.getByRole('status').textContent()).toContain('Your password is changed.');
    MARY.password = own;
    await page.goto(e2e.url('/'));
    await page.getByRole('heading', { name: `Welcome, ${MARY.firstName}`, level: 1 }).waitFor();
    expect(
      await page
        .getByText("Nothing has been shared with you yet. Your firm's Admins can give you access.")
        .count(),
    ).toBe(1);

    await openMenu(page);
    const nav = page.getByRole('navigation', { name: 'Main' });
    expect(await nav.getByRole('link').allTextContents()).toEqual(['Home', 'Notifications']);
    for (const name of ['Staff', 'Staff groups', 'Settings', 'Audit log']) {
      expect(await page.getByRole('link', { name, exact: true }).count(), name).toBe(0);
    }

    // Typing the address does not get them in either: the 403 page, for each admin area.
    for (const [pathname, title] of [
      ['/staff', 'Staff'],
      ['/staff/new', 'Add staff member'],
      ['/settings', 'Settings'],
      ['/audit', 'Audit log'],
    ] as const) {
      const response = await page.goto(e2e.url(pathname));
      expect(response?.status(), pathname).toBe(403);
      await page.getByRole('heading', { name: 'You do not have access', level: 1 }).waitFor();
      expect(await page.getByRole('heading', { name: title, level: 1 }).count(), pathname).toBe(0);
      expect(new URL(page.url()).pathname, pathname).toBe(pathname);
    }
    expect(
      await page
        .getByText('Your account is not allowed to do this. Ask an Admin if you need it.')
        .isVisible(),
    ).toBe(true);
    // Still signed in as themselves, and the way home works.
    await page.getByRole('link', { name: 'Go to the home page' }).click();
    await page.getByRole('heading', { name: `Welcome, ${MARY.firstName}`, level: 1 }).waitFor();
  });

  it('signs out: the session ends and pages ask to sign in again', async () => {
    const { page } = await e2e.openBrowser();
    await signIn(page, e2e.server, ADMIN);
    await page.getByRole('heading', { name: `Welcome, ${ADMIN.firstName}`, level: 1 }).waitFor();
    await signOut(page);
    expect(await page.getByRole('status').textContent()).toContain('You are signed out.');
    expect(await page.getByRole('button', { name: 'Sign out', exact: true }).count()).toBe(0);
    expect(await page.getByText('Menu', { exact: true }).count()).toBe(0);

    // Going back to a page that needed the session asks to sign in, and returns there after.
    await page.goto(e2e.url('/account'));
    const url = new URL(page.url());
    expect(url.pathname).toBe('/sign-in');
    expect(url.searchParams.get('next')).toBe('/account');
    await signIn(page, e2e.server, ADMIN);
    expect(new URL(page.url()).pathname).toBe('/account');
    await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    await signOut(page);
  });
});

describe('signed-in pages are not kept by the browser', () => {
  // On a shared office computer the next person must not read the last page from the cache.
  it('after signing out, Back does not show the signed-in page again', async () => {
    const { page } = await e2e.openBrowser();
    await signIn(page, e2e.server, ADMIN);
    await page.goto(e2e.url('/account'));
    await page.getByText(ADMIN.email).first().waitFor();
    await signOut(page);
    await page.goBack();
    await page.waitForLoadState();
    expect(await page.getByText(ADMIN.email).count()).toBe(0);
    expect(await page.getByRole('heading', { level: 1 }).allTextContents()).toEqual(['Sign in']);
  });
});
