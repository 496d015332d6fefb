/**
 * Staff groups in a real browser: an Admin creates a group with members and the Settings Admin
 * role, a member gets Settings through it and loses it when taken out, a duplicate name is
 * refused beside the name field, and a group is deleted. Each test works on a group and people of
 * its own (made before the tests) and signs in the browsers it needs, so any one of them runs alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addStaff,
  type BrowserSession,
  bodyRows,
  chooseOwnPassword,
  completeSetup,
  expectFieldError,
  FIRM,
  goTo,
  makeGrace,
  makeLinus,
  navLinks,
  type Person,
  signIn,
  submit,
  useE2E,
} from './harness.js';

const e2e = useE2E();

const person = (firstName: string, lastName: string, password: string): Person => ({
  firstName,
  lastName,
  email: `${firstName.toLowerCase()}@example.com`,
  password,
});
const GRACE = makeGrace();
const LINUS = makeLinus();
/** In Front desk: gets Settings through it. */
const MARY = person('Mary', 'Jackson', 'wind-tunnel-1951');
/** In Reception with Mary: taken out of it. */
const KATHERINE = person('Katherine', 'Johnson', 'orbital-mechanics-1962');
/** The only member of Archive, the group deleted. */
const DOROTHY = person('Dorothy', 'Vaughan', 'fortran-teacher-1961');
const GROUP = 'Office managers';
const DESCRIPTION = 'Keep the firm’s details up to date.';

/** Adds the staff member, who signs in once and chooses their own password (then closes the browser). */
async function addReadyStaff(who: Person, own: string) {
  await addStaff(e2e.page, who);
  const theirs = await e2e.openBrowser();
  await signIn(theirs.page, e2e.server, who);
  await chooseOwnPassword(theirs.page, who, own);
  await theirs.close();
}

/** Staff groups → New staff group, with these members and one administrative role. */
async function createGroup(name: string, members: string[], role: string) {
  const { page } = e2e;
  await goTo(page, 'Staff groups');
  await page.getByRole('link', { name: 'New staff group' }).click();
  await page.getByLabel('Group name').fill(name);
  for (const member of members)
    await page.getByRole('group', { name: 'Members' }).getByRole('checkbox', { name: member }).check();
  await page
    .getByRole('group', { name: 'Administrative roles' })
    .getByRole('checkbox', { name: role, exact: true })
    .check();
  await page.getByRole('button', { name: 'Save group' }).click();
  await page.getByRole('heading', { name: `Staff group: ${name}`, level: 1 }).waitFor();
}

/** The Staff groups list's rows, in name order. */
async function groupRows() {
  await goTo(e2e.page, 'Staff groups');
  return (await bodyRows(e2e.page.getByRole('table'))).sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? ''));
}

beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
  await goTo(e2e.page, 'Staff groups');
  expect(await bodyRows(e2e.page.getByRole('table'))).toEqual([['No staff groups yet.']]);
  await addStaff(e2e.page, GRACE);
  await addStaff(e2e.page, LINUS);
  await addStaff(e2e.page, DOROTHY);
  await addReadyStaff(MARY, 'marys-own-password-1958');
  await addReadyStaff(KATHERINE, 'katherines-own-password-1969');
  await createGroup('Front desk', ['Mary Jackson'], 'Settings Admin');
  await createGroup('Reception', ['Katherine Johnson', 'Mary Jackson'], 'Settings Admin');
  await createGroup('Archive', ['Dorothy Vaughan'], 'Staff Admin');
});

/** A browser of the person's own, signed in. */
async function signedInAs(who: Person): Promise<BrowserSession> {
  const theirs = await e2e.openBrowser();
  await signIn(theirs.page, e2e.server, who);
  await theirs.page.getByRole('heading', { name: `Welcome, ${who.firstName}`, level: 1 }).waitFor();
  return theirs;
}

/** Staff groups → the group's own page, from the list. */
async function openGroup(name: string) {
  const { page } = e2e;
  await goTo(page, 'Staff groups');
  await page.getByRole('heading', { name: 'Staff groups', level: 1 }).waitFor();
  await page.getByRole('table').getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { name: `Staff group: ${name}`, level: 1 }).waitFor();
}

describe('staff groups', () => {
  it('an Admin creates a group with two members and the Settings Admin role; the list shows it', async () => {
    const { page } = e2e;
    const before = await groupRows();
    await goTo(page, 'Staff groups');
    await page.getByRole('heading', { name: 'Staff groups', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'New staff group' }).click();
    await page.getByRole('heading', { name: 'New staff group', level: 1 }).waitFor();
    await page.getByLabel('Group name').fill(GROUP);
    await page.getByLabel('Description').fill(DESCRIPTION);
    const members = page.getByRole('group', { name: 'Members' });
    await members.getByRole('checkbox', { name: 'Grace Hopper' }).check();
    await members.getByRole('checkbox', { name: 'Linus Pauling' }).check();
    const roles = page.getByRole('group', { name: 'Administrative roles' });
    await roles.getByRole('checkbox', { name: 'Settings Admin', exact: true }).check();
    await page.getByRole('button', { name: 'Save group' }).click();

    await page.waitForURL(/\/groups\/[^/]+$/);
    await page.getByRole('heading', { name: `Staff group: ${GROUP}`, level: 1 }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain(`Staff group “${GROUP}” created.`);
    // The saved group is what was chosen.
    expect(await page.getByLabel('Group name').inputValue()).toBe(GROUP);
    expect(await page.getByLabel('Description').inputValue()).toBe(DESCRIPTION);
    expect(await members.getByRole('checkbox', { checked: true }).count()).toBe(2);
    expect(await members.getByRole('checkbox', { name: 'Grace Hopper' }).isChecked()).toBe(true);
    expect(await members.getByRole('checkbox', { name: 'Linus Pauling' }).isChecked()).toBe(true);
    expect(await members.getByRole('checkbox', { name: 'Ada Lovelace' }).isChecked()).toBe(false);
    expect(await roles.getByRole('checkbox', { checked: true }).count()).toBe(1);
    expect(await roles.getByRole('checkbox', { name: 'Settings Admin', exact: true }).isChecked()).toBe(true);

    await page.getByRole('link', { name: 'All staff groups' }).click();
    await page.getByRole('heading', { name: 'Staff groups', level: 1 }).waitFor();
    expect(await groupRows()).toEqual(
      [...before, [GROUP, '2', 'Settings Admin']].sort((a, b) => (a[0] ?? '').localeCompare(b[0] ?? '')),
    );
  });

  it('a member of a group with the Settings Admin role signs in and may open Settings', async () => {
    const { page } = await signedInAs(MARY);
    // The Plugins page is a system setting too.
    expect(await navLinks(page)).toEqual(['Home', 'Notifications', 'Settings', 'Plugins']);
    await goTo(page, 'Settings');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    expect(await page.getByLabel('Firm name').inputValue()).toBe(FIRM);
    expect(await page.getByRole('button', { name: 'Save settings' }).isVisible()).toBe(true);
  });

  it('the Admin takes a member out of the group, and her next page load no longer shows Settings', async () => {
    const { page } = e2e;
    // Katherine, in Reception (Settings Admin), has Settings open in her own browser.
    const katherine = await signedInAs(KATHERINE);
    const them = katherine.page;
    await goTo(them, 'Settings');
    await them.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();

    await openGroup('Reception');
    const members = page.getByRole('group', { name: 'Members' });
    await members.getByRole('checkbox', { name: 'Katherine Johnson' }).uncheck();
    await page.getByRole('button', { name: 'Save group' }).click();
    await page.getByRole('status').getByText('Staff group saved.').waitFor();
    expect(await members.getByRole('checkbox', { name: 'Katherine Johnson' }).isChecked()).toBe(false);
    expect(await members.getByRole('checkbox', { name: 'Mary Jackson' }).isChecked()).toBe(true);
    await page.getByRole('link', { name: 'All staff groups' }).click();
    expect((await groupRows()).find(([name]) => name === 'Reception')).toEqual([
      'Reception',
      '1',
      'Settings Admin',
    ]);

    // Katherine is still on Settings in her own browser; she reloads it.
    const response = await them.reload();
    expect(response?.status()).toBe(403);
    await them.getByRole('heading', { name: 'You do not have access', level: 1 }).waitFor();
    expect(await them.getByLabel('Firm name').count()).toBe(0);
    expect(await navLinks(them)).toEqual(['Home', 'Notifications']);
  });

  it('a duplicate group name is refused beside the name field, keeping what was typed', async () => {
    const { page } = e2e;
    const before = await groupRows();
    await goTo(page, 'Staff groups');
    await page.getByRole('link', { name: 'New staff group' }).click();
    await page.getByLabel('Group name').fill('Front desk');
    await page.getByLabel('Description').fill('A second try.');
    const members = page.getByRole('group', { name: 'Members' });
    await members.getByRole('checkbox', { name: 'Linus Pauling' }).check();
    const roles = page.getByRole('group', { name: 'Administrative roles' });
    await roles.getByRole('checkbox', { name: 'Staff Admin', exact: true }).check();

    const answer = await submit(page, page.getByRole('button', { name: 'Save group' }));
    expect(answer.status()).toBe(422);
    await page.getByRole('heading', { name: 'New staff group', level: 1 }).waitFor();
    await expectFieldError(page.getByLabel('Group name'), 'Another staff group already has this name.');
    expect(await page.getByLabel('Description').getAttribute('aria-invalid')).toBeNull();

    expect(await page.getByLabel('Group name').inputValue()).toBe('Front desk');
    expect(await page.getByLabel('Description').inputValue()).toBe('A second try.');
    expect(await members.getByRole('checkbox', { name: 'Linus Pauling' }).isChecked()).toBe(true);
    expect(await members.getByRole('checkbox', { name: 'Grace Hopper' }).isChecked()).toBe(false);
    expect(await roles.getByRole('checkbox', { name: 'Staff Admin', exact: true }).isChecked()).toBe(true);
    expect(await roles.getByRole('checkbox', { name: 'Settings Admin', exact: true }).isChecked()).toBe(
      false,
    );

    // Nothing was created.
    expect(await groupRows()).toEqual(before);
  });

  it('the Admin deletes a group', async () => {
    const { page } = e2e;
    const before = await groupRows();
    await openGroup('Archive');
    await page
      .getByRole('checkbox', { name: 'Yes, delete Archive and the roles it gives its members' })
      .check();
    await page.getByRole('button', { name: 'Delete group' }).click();
    await page.waitForURL(e2e.url('/groups'));
    expect(await page.getByRole('status').textContent()).toContain('Staff group “Archive” deleted.');
    expect(await groupRows()).toEqual(before.filter(([name]) => name !== 'Archive'));

    // Dorothy was its member: her staff page no longer lists the group.
    await goTo(page, 'Staff');
    await page.getByRole('link', { name: 'Dorothy Vaughan' }).click();
    await page.getByRole('heading', { name: 'Dorothy Vaughan', level: 1 }).waitFor();
    expect(await page.getByText('Groups: none').isVisible()).toBe(true);
  });
});
