/**
 * Settings → Security → Role Permissions in a real browser, by role and label: an Admin reads a
 * built-in role's letters in its panel, adds a custom role (a blank name refused beside the field,
 * the ticks kept), edits one (added before the tests, so each test runs alone) and deletes it after
 * confirming; on a phone the panel stacks below the list and opens in view.
 */
import type { Locator, Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  type BrowserWindow,
  bodyRows,
  completeSetup,
  expectFieldError,
  goTo,
  PHONE,
  signIn,
  submit,
  useE2E,
} from './harness.js';

const e2e = useE2E();

beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
  // The custom role the edit-and-delete test works on.
  const { page } = e2e;
  await page.goto(e2e.url('/settings/roles'));
  await page.getByRole('link', { name: 'Add custom role' }).click();
  await page.getByLabel('Role name').fill('Payroll clerks');
  await page.getByRole('radio', { name: 'Contacts' }).check();
  await page.getByRole('checkbox', { name: 'File: Read', exact: true }).check();
  await page.getByRole('button', { name: 'Add role' }).click();
  await page.getByRole('status').getByText('Role “Payroll clerks” added.').waitFor();
});

/**
 * One object type's row of a permission table, C R E D A S: 'Granted', 'Not granted', or '' where
 * the object type has no such letter (the words a screen reader reads; the ✓ is hidden from it).
 */
async function letters(table: Locator, objectType: string): Promise<string[]> {
  const row = table
    .getByRole('row')
    .filter({ has: table.page().getByRole('rowheader', { name: objectType, exact: true }) });
  const cells = await row.getByRole('cell').allTextContents();
  return cells.map((t) =>
    t.includes('Not granted') ? 'Not granted' : t.includes('Granted') ? 'Granted' : t,
  );
}

/** The selected role's panel, a region named by its heading. */
const panelOf = (page: Page, role: string) => page.getByRole('region', { name: role });

describe('Role Permissions', () => {
  it('an Admin opens Role Permissions from Settings and reads a built-in role’s letters in its panel', async () => {
    const { page } = e2e;
    await goTo(page, 'Settings');
    await page.getByRole('link', { name: 'Role Permissions' }).click();
    await page.getByRole('heading', { name: 'Role Permissions', level: 1 }).waitFor();
    const roles = page.getByRole('table', { name: 'Roles' });
    expect(await bodyRows(roles)).toContainEqual(['Settings Admin', 'Staff', 'Built-in']);
    expect(await bodyRows(roles)).toContainEqual(['Contact - Viewer', 'Contacts', 'Built-in']);

    await roles.getByRole('link', { name: 'Settings Admin' }).click();
    const panel = panelOf(page, 'Settings Admin');
    await panel.getByText('Access and modify all system settings.').waitFor();
    await panel.getByText('Built-in roles cannot be changed or deleted.').waitFor();
    expect(await roles.getByRole('link', { name: 'Settings Admin' }).getAttribute('aria-current')).toBe(
      'true',
    );
    const table = panel.getByRole('table', { name: 'Permissions of Settings Admin' });
    expect(await letters(table, 'Organization')).toEqual(['', 'Granted', 'Granted', '', '', '']);
    expect(await letters(table, 'File')).toEqual(Array(6).fill('Not granted'));
    expect(await panel.getByRole('link', { name: 'Edit role' }).count()).toBe(0);
  });

  it('adds a custom role: a blank name is refused beside the field and the ticks stay', async () => {
    const { page } = e2e;
    await page.goto(e2e.url('/settings/roles'));
    await page.getByRole('link', { name: 'Add custom role' }).click();
    await page.getByRole('heading', { name: 'Add custom role', level: 1 }).waitFor();
    await page.getByRole('radio', { name: 'Contacts' }).check();
    // Only the letters each object type has are offered.
    expect(await page.getByRole('checkbox', { name: 'Tag: Read', exact: true }).count()).toBe(0);
    for (const name of ['File: Read', 'Activity: Read', 'Activity - Comment: Create'])
      await page.getByRole('checkbox', { name, exact: true }).check();

    const refused = await submit(page, page.getByRole('button', { name: 'Add role' }));
    expect(refused.status()).toBe(422);
    await expectFieldError(page.getByLabel('Role name'), 'Enter the role name.');
    expect(await page.getByRole('radio', { name: 'Contacts' }).isChecked()).toBe(true);
    for (const name of ['File: Read', 'Activity: Read', 'Activity - Comment: Create'])
      expect(await page.getByRole('checkbox', { name, exact: true }).isChecked(), name).toBe(true);

    await page.getByLabel('Role name').fill('Tax reviewers');
    await page.getByRole('button', { name: 'Add role' }).click();
    await page.getByRole('status').getByText('Role “Tax reviewers” added.').waitFor();
    expect(await bodyRows(page.getByRole('table', { name: 'Roles' }))).toContainEqual([
      'Tax reviewers',
      'Contacts',
      'Custom',
    ]);
    const table = panelOf(page, 'Tax reviewers').getByRole('table', { name: 'Permissions of Tax reviewers' });
    expect(await letters(table, 'File')).toEqual([
      'Not granted',
      'Granted',
      'Not granted',
      'Not granted',
      'Not granted',
      'Not granted',
    ]);
    expect(await letters(table, 'Activity - Comment')).toEqual([
      'Granted',
      '',
      'Not granted',
      'Not granted',
      '',
      '',
    ]);
  });

  it('edits a custom role, then deletes it once the deletion is confirmed', async () => {
    const { page } = e2e;
    await page.goto(e2e.url('/settings/roles'));
    await page.getByRole('table', { name: 'Roles' }).getByRole('link', { name: 'Payroll clerks' }).click();
    await panelOf(page, 'Payroll clerks').getByRole('link', { name: 'Edit role' }).click();
    await page.getByRole('heading', { name: 'Edit role: Payroll clerks', level: 1 }).waitFor();
    await page.getByLabel('Role name').fill('Senior payroll clerks');
    await page.getByRole('checkbox', { name: 'File: Edit', exact: true }).check();
    await page.getByRole('button', { name: 'Save role' }).click();
    await page.getByRole('status').getByText('Role “Senior payroll clerks” saved.').waitFor();
    const table = panelOf(page, 'Senior payroll clerks').getByRole('table');
    expect((await letters(table, 'File')).slice(0, 3)).toEqual(['Not granted', 'Granted', 'Granted']);

    await panelOf(page, 'Senior payroll clerks').getByRole('link', { name: 'Edit role' }).click();
    await page.getByText('It is not given to anyone.').waitFor();
    const confirm = page.getByLabel('Yes, delete the Senior payroll clerks role');
    await submit(page, page.getByRole('button', { name: 'Delete role' }));
    await expectFieldError(
      confirm,
      'Tick the box to confirm that the Senior payroll clerks role should be deleted.',
    );
    await confirm.check();
    await page.getByRole('button', { name: 'Delete role' }).click();
    await page.getByRole('status').getByText('Role “Senior payroll clerks” deleted.').waitFor();
    const names = (await bodyRows(page.getByRole('table', { name: 'Roles' }))).map((r) => r[0]);
    expect(names).not.toContain('Senior payroll clerks');
    expect(names).toContain('Admin');
  });

  it('on a phone the panel stacks below the list, opens in view, and nothing scrolls sideways', async () => {
    const phone = await e2e.openBrowser(PHONE);
    const { page } = phone;
    await signIn(page, e2e.server, ADMIN);
    await page.goto(e2e.url('/settings/roles'));
    const roles = page.getByRole('table', { name: 'Roles' });
    await roles.getByRole('link', { name: 'Owner', exact: true }).tap();
    const panel = page.getByRole('region', { name: 'Owner', exact: true });
    const heading = panel.getByRole('heading', { name: 'Owner', exact: true });
    await heading.waitFor();
    const [list, box] = [await roles.boundingBox(), await panel.boundingBox()];
    expect(box!.y).toBeGreaterThanOrEqual(list!.y + list!.height);
    // The link leads to the panel, so it is on screen without scrolling down past the list.
    expect(await heading.isVisible()).toBe(true);
    const top = await heading.evaluate(
      (el: { getBoundingClientRect(): { top: number } }) => el.getBoundingClientRect().top,
    );
    expect(top).toBeGreaterThanOrEqual(0);
    expect(top).toBeLessThan(PHONE.viewport.height);
    const widths = await page.evaluate(() => {
      const w = globalThis as unknown as BrowserWindow;
      return { scrollWidth: w.document.documentElement.scrollWidth, innerWidth: w.innerWidth };
    });
    expect(widths.scrollWidth).toBeLessThanOrEqual(widths.innerWidth);
    const table = panel.getByRole('table', { name: 'Permissions of Owner' });
    expect(await letters(table, 'File')).toEqual([
      'Granted',
      'Granted',
      'Granted',
      'Granted',
      'Not granted',
      'Granted',
    ]);
    // The last column is on screen: the letters table fits the phone without scrolling its frame.
    const s = await table.getByRole('columnheader', { name: 'S', exact: true }).boundingBox();
    expect(s!.x + s!.width).toBeLessThanOrEqual(PHONE.viewport.width);
  });
});
