/**
 * Staff groups in a real browser: an Admin creates a group with members and the Settings Admin
 * role, a member gets Settings through it and loses it when taken out, a duplicate name is
 * refused beside the name field, and the group is deleted.
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
  signIn,
  submit,
  useE2E,
} from './harness.js';

const e2e = useE2E();

const GRACE = makeGrace();
const LINUS = makeLinus();
const GROUP = 'Office managers';
const DESCRIPTION = 'Keep the firm’s details up to date.';

/** Grace's own browser, signed in during the second test. */
let grace: BrowserSession | undefined;

beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
  await addStaff(e2e.page, GRACE);
  await addStaff(e2e.page, LINUS);
});

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
    await goTo(page, 'Staff groups');
    await page.getByRole('heading', { name: 'Staff groups', level: 1 }).waitFor();
    expect(await bodyRows(page.getByRole('table'))).toEqual([['No staff groups yet.']]);

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
    expect(await bodyRows(page.getByRole('table'))).toEqual([[GROUP, '2', 'Settings Admin']]);
  });

  it('a member of the group signs in and may open Settings', async () => {
    grace = await e2e.openBrowser();
    const { page } = grace;
    await signIn(page, e2e.server, GRACE);
    // The Admin set Grace's password, so she chooses her own first.
    await chooseOwnPassword(page, GRACE, 'graces-own-password-1906');

    expect(await navLinks(page)).toEqual(['Home', 'Settings']);
    await goTo(page, 'Settings');
    await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
    expect(await page.getByLabel('Firm name').inputValue()).toBe(FIRM);
    expect(await page.getByRole('button', { name: 'Save settings' }).isVisible()).toBe(true);
  });

  it('the Admin takes her out of the group, and her next page load no longer shows Settings', async () => {
    const { page } = e2e;
    await openGroup(GROUP);
    const members = page.getByRole('group', { name: 'Members' });
    await members.getByRole('checkbox', { name: 'Grace Hopper' }).uncheck();
    await page.getByRole('button', { name: 'Save group' }).click();
    await page.getByRole('status').getByText('Staff group saved.').waitFor();
    expect(await members.getByRole('checkbox', { name: 'Grace Hopper' }).isChecked()).toBe(false);
    expect(await members.getByRole('checkbox', { name: 'Linus Pauling' }).isChecked()).toBe(true);
    await page.getByRole('link', { name: 'All staff groups' }).click();
    expect(await bodyRows(page.getByRole('table'))).toEqual([[GROUP, '1', 'Settings Admin']]);

    // Grace is still on Settings in her own browser; she reloads it.
    expect(grace, 'Grace’s browser from the previous test').toBeDefined();
    if (!grace) return;
    const them = grace.page;
    expect(new URL(them.url()).pathname).toBe('/settings');
    const response = await them.reload();
    expect(response?.status()).toBe(403);
    await them.getByRole('heading', { name: 'You do not have access', level: 1 }).waitFor();
    expect(await them.getByLabel('Firm name').count()).toBe(0);
    expect(await navLinks(them)).toEqual(['Home']);
    await grace.close();
    grace = undefined;
  });

  it('a duplicate group name is refused beside the name field, keeping what was typed', async () => {
    const { page } = e2e;
    await goTo(page, 'Staff groups');
    await page.getByRole('link', { name: 'New staff group' }).click();
    await page.getByLabel('Group name').fill(GROUP);
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

    expect(await page.getByLabel('Group name').inputValue()).toBe(GROUP);
    expect(await page.getByLabel('Description').inputValue()).toBe('A second try.');
    expect(await members.getByRole('checkbox', { name: 'Linus Pauling' }).isChecked()).toBe(true);
    expect(await members.getByRole('checkbox', { name: 'Grace Hopper' }).isChecked()).toBe(false);
    expect(await roles.getByRole('checkbox', { name: 'Staff Admin', exact: true }).isChecked()).toBe(true);
    expect(await roles.getByRole('checkbox', { name: 'Settings Admin', exact: true }).isChecked()).toBe(
      false,
    );

    // Nothing was created.
    await page.getByRole('link', { name: 'All staff groups' }).click();
    expect(await bodyRows(page.getByRole('table'))).toEqual([[GROUP, '1', 'Settings Admin']]);
  });

  it('the Admin deletes the group', async () => {
    const { page } = e2e;
    await openGroup(GROUP);
    await page
      .getByRole('checkbox', { name: `Yes, delete ${GROUP} and the roles it gives its members` })
      .check();
    await page.getByRole('button', { name: 'Delete group' }).click();
    await page.waitForURL(e2e.url('/groups'));
    expect(await page.getByRole('status').textContent()).toContain(`Staff group “${GROUP}” deleted.`);
    expect(await bodyRows(page.getByRole('table'))).toEqual([['No staff groups yet.']]);

    // Linus was still a member: his staff page no longer lists the group.
    await goTo(page, 'Staff');
    await page.getByRole('link', { name: 'Linus Pauling' }).click();
    await page.getByRole('heading', { name: 'Linus Pauling', level: 1 }).waitFor();
    expect(await page.getByText('Groups: none').isVisible()).toBe(true);
  });
});
