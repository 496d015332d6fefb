/**
 * "Assign to Entities" and "Who can see it" in a real browser: an Admin gives a new staff member
 * Viewer at one client (refused first with nothing chosen, the choice kept), the staff member sees
 * that client and no other, the Admin asks why, revokes it from the client's side, and on their
 * next click the staff member no longer sees it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addClient,
  addStaff,
  type BrowserSession,
  bodyRows,
  chooseOwnPassword,
  completeSetup,
  expectFieldError,
  goTo,
  makeGrace,
  signIn,
  submit,
  useE2E,
} from './harness.js';

const e2e = useE2E();
const grace = makeGrace();
/** Grace's own browser, signed in while the Admin works. */
let graces: BrowserSession;

beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
  await addClient(e2e.page, 'Clearwater Holdings');
  await addClient(e2e.page, 'Harbour Trust');
  await addStaff(e2e.page, grace);
});

describe('assigning roles at clients', () => {
  it('an Admin gives a staff member Viewer at one client; they see it and no other', async () => {
    const { page } = e2e;
    await goTo(page, 'Staff');
    await page.getByRole('link', { name: 'Grace Hopper' }).click();
    await page.getByRole('link', { name: 'Assign to clients' }).click();
    await page.getByRole('heading', { name: 'Assign Grace Hopper to clients', level: 1 }).waitFor();

    await page.getByRole('radio', { name: 'Viewer' }).check();
    const refused = await submit(page, page.getByRole('button', { name: 'Share' }));
    expect(refused.status()).toBe(422);
    await expectFieldError(
      page.getByLabel('Find clients (name or reference)'),
      'Choose at least one client.',
    );
    expect(await page.getByRole('radio', { name: 'Viewer' }).isChecked()).toBe(true);

    await page.getByLabel('Find clients (name or reference)').fill('clear');
    await page.getByRole('button', { name: 'Find clients' }).click();
    await page.getByRole('checkbox', { name: 'Clearwater Holdings' }).check();
    expect(await page.getByRole('radio', { name: 'Viewer' }).isChecked()).toBe(true);
    await page.getByRole('button', { name: 'Share' }).click();
    await page.getByRole('status').getByText('Grace Hopper now has Viewer at Clearwater Holdings.').waitFor();
    const given = page.getByRole('table', { name: 'Roles given to Grace Hopper at clients' });
    expect((await bodyRows(given)).map((row) => row.slice(0, 2))).toEqual([
      ['Clearwater Holdings', 'Viewer'],
    ]);
    await given.getByRole('button', { name: 'Remove Viewer at Clearwater Holdings' }).waitFor();

    graces = await e2e.openBrowser();
    await signIn(graces.page, e2e.server, grace);
    await chooseOwnPassword(graces.page, grace, 'grace-chooses-her-own-1');
    await goTo(graces.page, 'Clients');
    expect(await bodyRows(graces.page.getByRole('table'))).toEqual([
      ['Clearwater Holdings', 'Individual', ''],
    ]);
  });

  it('the Admin asks why she can see it, revokes it from the client’s page, and it is gone on her next click', async () => {
    const { page } = e2e;
    await goTo(page, 'Clients');
    await page.getByRole('link', { name: 'Clearwater Holdings' }).click();
    await page.getByRole('link', { name: 'Who can see it' }).click();
    await page.getByRole('heading', { name: 'Who can see Clearwater Holdings', level: 1 }).waitFor();
    await page.getByLabel('Email address to explain').fill(grace.email);
    await page.getByRole('button', { name: 'Explain' }).click();
    expect(
      await bodyRows(page.getByRole('table', { name: 'Why Grace Hopper can see Clearwater Holdings' })),
    ).toEqual([['Viewer', 'Clearwater Holdings', 'Given directly']]);
    await page.getByRole('button', { name: 'Revoke Viewer from Grace Hopper' }).click();
    await page
      .getByRole('status')
      .getByText('Revoked Grace Hopper’s access to Clearwater Holdings.')
      .waitFor();
    expect(await page.getByRole('button', { name: 'Revoke Viewer from Grace Hopper' }).count()).toBe(0);

    // Her session is the same one; the very next request no longer shows the client.
    const answer = await graces.page.reload();
    expect(answer?.status()).toBe(403);
  });

  it('the Admin gives her access again from the client’s page, by email; a wrong address is refused beside it', async () => {
    const { page } = e2e;
    await page.getByLabel('Their email address').fill('nobody@example.com');
    await page.getByRole('radio', { name: 'Editor (staff)' }).check();
    const refused = await submit(page, page.getByRole('button', { name: 'Share', exact: true }));
    expect(refused.status()).toBe(422);
    await expectFieldError(
      page.getByLabel('Their email address'),
      'No one you can give access here has this email address.',
    );
    expect(await page.getByRole('radio', { name: 'Editor (staff)' }).isChecked()).toBe(true);
    await page.getByLabel('Their email address').fill(grace.email);
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByRole('status').getByText('Grace Hopper now has Editor at Clearwater Holdings.').waitFor();
    await page.getByRole('button', { name: 'Revoke Editor from Grace Hopper' }).waitFor();
    expect((await graces.page.goto(e2e.url('/entities')))?.status()).toBe(200);
  });
});
