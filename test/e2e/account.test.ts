/**
 * A staff member's page and "Your account" in a real browser: an Admin gives a role, disables an
 * account (its open session ends, and it cannot sign in) and enables one; you change your own
 * password and sign out of every other session; the last Admin cannot take away their own Admin.
 * Each test signs in the browsers it needs and works on a staff member of its own, so any one of
 * them runs alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  addStaff,
  type BrowserSession,
  bodyRows,
  chooseOwnPassword,
  completeSetup,
  expectFieldError,
  GENERIC_SIGN_IN_FAILURE,
  goTo,
  makeGrace,
  makeLinus,
  navLink,
  navLinks,
  openMenu,
  type Person,
  signIn,
  signOut,
  submit,
  useE2E,
} from './harness.js';

const e2e = useE2E();

const GENERIC = GENERIC_SIGN_IN_FAILURE;
/** The Roles column of the Staff list for someone holding no role. */
const NO_ROLES = '';
const LAST_ADMIN = 'Portico must always have at least one enabled Admin. Make someone else an Admin first.';

/** This file changes the Admin's password: a copy, so the shared ADMIN stays as it was. */
const ADA: Person = { ...ADMIN };
/** Given a role (Grace), disabled (Linus), enabled again (Mary): one each, so each test stands alone. */
const GRACE = makeGrace();
const LINUS = makeLinus();
const MARY: Person = {
  firstName: 'Mary',
  lastName: 'Jackson',
  email: 'mary@example.com',
  password: 'wind-tunnel-1951',
};
/** Grace's staff page, as a path. */
let gracePath = '';

/** Adds the staff member, who signs in once and chooses their own password (then signs out). */
async function addReadyStaff(person: Person, own: string): Promise<string> {
  const path = await addStaff(e2e.page, person);
  const theirs = await e2e.openBrowser();
  await signIn(theirs.page, e2e.server, person);
  await chooseOwnPassword(theirs.page, person, own);
  await theirs.close();
  return path;
}

/** A browser of the person's own, signed in, on their home page. */
async function signedInAs(person: Person): Promise<BrowserSession> {
  const theirs = await e2e.openBrowser();
  await signIn(theirs.page, e2e.server, person);
  await theirs.page.getByRole('heading', { name: `Welcome, ${person.firstName}`, level: 1 }).waitFor();
  return theirs;
}

beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
  gracePath = await addReadyStaff(GRACE, 'graces-own-password-1906');
  await addReadyStaff(LINUS, 'linus-own-password-1954');
  await addReadyStaff(MARY, 'marys-own-password-1958');
  // Mary's account is disabled before the tests, for the test that enables it.
  await openStaffPage('Mary Jackson');
  await e2e.page.getByRole('button', { name: 'Disable account' }).click();
  await e2e.page.getByRole('status').getByText('Account disabled and signed out everywhere.').waitFor();
});

/** Staff → the person's staff page, from the list. */
async function openStaffPage(name: string) {
  const { page } = e2e;
  await goTo(page, 'Staff');
  await page.getByRole('table').getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

/** The Staff list's row for `name`, as its cell texts. */
async function staffRow(name: string) {
  const { page } = e2e;
  await goTo(page, 'Staff');
  const rows = await bodyRows(page.getByRole('table'));
  return rows.find(([first]) => first === name);
}

/** Follows the "Your account" link in the header. */
async function openAccount(page = e2e.page) {
  await openMenu(page);
  await page.getByRole('banner').getByRole('link', { name: 'Your account' }).click();
  await page.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
}

describe('a staff member’s page', () => {
  it('an Admin gives a staff member the Staff Admin role, which they get on their next page', async () => {
    const { page } = e2e;
    const grace = await signedInAs(GRACE);
    expect(await navLinks(grace.page)).toEqual(['Home', 'Notifications']);

    await openStaffPage('Grace Hopper');
    const roles = page.getByRole('group', { name: 'Administrative roles' });
    expect(await roles.getByRole('checkbox', { checked: true }).count()).toBe(0);
    await roles.getByRole('checkbox', { name: 'Staff Admin', exact: true }).check();
    await page.getByRole('button', { name: 'Save roles' }).click();
    await page.getByRole('status').getByText('Roles saved.').waitFor();
    expect(new URL(page.url()).pathname).toBe(gracePath);
    expect(await roles.getByRole('checkbox', { name: 'Staff Admin', exact: true }).isChecked()).toBe(true);
    expect(await roles.getByRole('checkbox', { checked: true }).count()).toBe(1);
    expect(await staffRow('Grace Hopper')).toEqual(['Grace Hopper', GRACE.email, 'Staff Admin', 'Active']);

    // Grace, already signed in, clicks Home: the staff pages are hers now.
    await goTo(grace.page, 'Home');
    expect(await navLinks(grace.page)).toEqual(['Home', 'Notifications', 'Staff', 'Staff groups']);
    await goTo(grace.page, 'Staff');
    await grace.page.getByRole('heading', { name: 'Staff', level: 1 }).waitFor();
  });

  it('disabling an account signs its open session out at the next click, and it cannot sign in', async () => {
    const { page } = e2e;
    const linus = await signedInAs(LINUS);
    await openStaffPage('Linus Pauling');
    await page.getByRole('button', { name: 'Disable account' }).click();
    await page.getByRole('status').getByText('Account disabled and signed out everywhere.').waitFor();
    expect(await page.getByText('This account is disabled: it cannot sign in.').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Disable account' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Enable account' }).isVisible()).toBe(true);
    expect(await staffRow('Linus Pauling')).toEqual(['Linus Pauling', LINUS.email, NO_ROLES, 'Disabled']);

    // Linus's browser still shows his home page; his next click asks him to sign in.
    const them = linus.page;
    await openMenu(them);
    await them
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Home', exact: true })
      .click();
    await them.waitForURL((url) => url.pathname === '/sign-in');
    await them.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();
    expect(await them.getByRole('button', { name: 'Sign out', exact: true }).count()).toBe(0);

    // His right password does not let him in, and the message says no more than for a wrong one.
    await them.getByLabel('Email').fill(LINUS.email);
    await them.getByLabel('Password').fill(LINUS.password);
    const answer = await submit(them, them.getByRole('button', { name: 'Sign in' }));
    expect(answer.status()).toBe(422);
    expect(await them.getByRole('alert').allTextContents()).toEqual([GENERIC]);
    expect(new URL(them.url()).pathname).toBe('/sign-in');
  });

  it('enabling a disabled account lets them sign in, back where they were going', async () => {
    const { page } = e2e;
    // While disabled, Mary's browser is asked to sign in on the way to her account page.
    const mary = await e2e.openBrowser();
    const them = mary.page;
    await them.goto(e2e.url('/account'));
    await them.waitForURL((url) => url.pathname === '/sign-in');

    await openStaffPage('Mary Jackson');
    expect(await staffRow('Mary Jackson')).toEqual(['Mary Jackson', MARY.email, NO_ROLES, 'Disabled']);
    await openStaffPage('Mary Jackson');
    await page.getByRole('button', { name: 'Enable account' }).click();
    await page.getByRole('status').getByText('Account enabled.').waitFor();
    expect(await page.getByText('This account is disabled: it cannot sign in.').count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Disable account' }).isVisible()).toBe(true);
    expect(await staffRow('Mary Jackson')).toEqual(['Mary Jackson', MARY.email, NO_ROLES, 'Active']);

    await signIn(them, e2e.server, MARY);
    // Back where she was going before she was asked to sign in.
    expect(new URL(them.url()).pathname).toBe('/account');
    await them.getByRole('heading', { name: 'Your account', level: 1 }).waitFor();
    expect(await navLinks(them)).toEqual(['Home', 'Notifications']);
  });
});

describe('Your account', () => {
  it('changes your own password; a wrong current password is refused beside its field', async () => {
    const { page } = e2e;
    await openAccount();
    expect(await page.getByText(`${ADA.firstName} ${ADA.lastName} · ${ADA.email}`).isVisible()).toBe(true);
    const own = 'difference-engine-no-2';

    await page.getByLabel('Current password').fill('not-my-password-at-all');
    await page.getByLabel('New password', { exact: true }).fill(own);
    await page.getByLabel('Repeat new password').fill(own);
    const refused = await submit(page, page.getByRole('button', { name: 'Change password' }));
    expect(refused.status()).toBe(422);
    await expectFieldError(page.getByLabel('Current password'), 'That is not your current password.');
    expect(await page.getByLabel('New password', { exact: true }).getAttribute('aria-invalid')).toBeNull();
    // Passwords are never sent back.
    expect(await page.getByLabel('Current password').inputValue()).toBe('');

    await page.getByLabel('Current password').fill(ADA.password);
    await page.getByLabel('New password', { exact: true }).fill(own);
    await page.getByLabel('Repeat new password').fill(own);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page
      .getByRole('status')
      .getByText('Your password is changed. You were signed out everywhere else.')
      .waitFor();
    expect(new URL(page.url()).pathname).toBe('/account');
    const old = ADA.password;
    ADA.password = own;

    // Elsewhere, the old password no longer signs in and the new one does.
    const elsewhere = await e2e.openBrowser();
    const other = elsewhere.page;
    await other.goto(e2e.url('/sign-in'));
    await other.getByLabel('Email').fill(ADA.email);
    await other.getByLabel('Password').fill(old);
    expect((await submit(other, other.getByRole('button', { name: 'Sign in' }))).status()).toBe(422);
    expect(await other.getByRole('alert').allTextContents()).toEqual([GENERIC]);
    await signIn(other, e2e.server, ADA);
    await other.getByRole('heading', { name: `Welcome, ${ADA.firstName}`, level: 1 }).waitFor();
    await signOut(other);
  });

  it('"Sign out of every other session" ends the other browser’s session and keeps this one', async () => {
    const { page } = e2e;
    const elsewhere = await signedInAs(ADA);
    await openAccount();
    expect(await page.getByText('You are signed in on 1 other browser or device.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Sign out of every other session' }).click();
    await page.getByRole('status').getByText('One other session was ended.').waitFor();
    expect(await page.getByText('You are not signed in anywhere else.').isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Sign out of every other session' }).isDisabled()).toBe(
      true,
    );

    // The other browser's next click asks it to sign in.
    const other = elsewhere.page;
    await (await navLink(other, 'Staff')).click();
    await other.waitForURL((url) => url.pathname === '/sign-in');
    await other.getByRole('heading', { name: 'Sign in', level: 1 }).waitFor();

    // This one is still signed in.
    await goTo(page, 'Home');
    await page.getByRole('heading', { name: `Welcome, ${ADA.firstName}`, level: 1 }).waitFor();
  });

  it('the last Admin cannot take away their own Admin role: a clear message, and the role stays', async () => {
    const { page } = e2e;
    await openStaffPage('Ada Lovelace');
    const roles = page.getByRole('group', { name: 'Administrative roles' });
    const admin = roles.getByRole('checkbox', { name: 'Admin', exact: true });
    expect(await admin.isChecked()).toBe(true);
    await admin.uncheck();
    const answer = await submit(page, page.getByRole('button', { name: 'Save roles' }));
    expect(answer.status()).toBe(422);
    expect(await page.getByRole('alert').allTextContents()).toEqual([LAST_ADMIN]);

    // The role is kept: a fresh look at the page, the list and the navigation.
    await openStaffPage('Ada Lovelace');
    expect(await admin.isChecked()).toBe(true);
    expect(await page.getByRole('alert').count()).toBe(0);
    expect(await staffRow('Ada Lovelace')).toEqual(['Ada Lovelace', ADA.email, 'Admin', 'Active']);
    expect(await navLinks(page)).toEqual([
      'Home',
      'Notifications',
      'Clients',
      'Contacts',
      'Contact groups',
      'Portals',
      'Staff',
      'Staff groups',
      'Settings',
      'Audit log',
      'Outbox',
      'Plugins',
    ]);
  });
});
