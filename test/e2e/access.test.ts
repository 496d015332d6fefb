/**
 * "Assign to Entities" and "Who can see it" in a real browser: an Admin gives a new staff member
 * Viewer at one client (refused first with nothing chosen, the choice kept), the staff member sees
 * that client and no other, the Admin asks why, revokes it from the client's side, and on their
 * next click the staff member no longer sees it; then gives access by email. Each test has a staff
 * member of its own and signs in the browsers it needs, so any one of them runs alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addClient,
  addStaff,
  assignToClient,
  type BrowserSession,
  bodyRows,
  chooseOwnPassword,
  completeSetup,
  expectFieldError,
  goTo,
  makeGrace,
  makeLinus,
  type Person,
  signIn,
  submit,
  useE2E,
} from './harness.js';

const e2e = useE2E();
/** Given Viewer in the first test (Grace), revoked in the second (Linus), given by email in the third (Mary). */
const grace = makeGrace();
const linus = makeLinus();
const mary: Person = {
  firstName: 'Mary',
  lastName: 'Jackson',
  email: 'mary@example.com',
  password: 'wind-tunnel-1951',
};

/** Adds the staff member, who signs in once and chooses their own password (then closes the browser). */
async function addReadyStaff(person: Person, own: string) {
  await addStaff(e2e.page, person);
  const theirs = await e2e.openBrowser();
  await signIn(theirs.page, e2e.server, person);
  await chooseOwnPassword(theirs.page, person, own);
  await theirs.close();
}

/** A browser of the person's own, signed in. */
async function signedInAs(person: Person): Promise<BrowserSession> {
  const theirs = await e2e.openBrowser();
  await signIn(theirs.page, e2e.server, person);
  await theirs.page.getByRole('heading', { name: `Welcome, ${person.firstName}`, level: 1 }).waitFor();
  return theirs;
}

beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
  await addClient(e2e.page, 'Clearwater Holdings');
  await addClient(e2e.page, 'Harbour Trust');
  await addReadyStaff(grace, 'grace-chooses-her-own-1');
  await addReadyStaff(mary, 'mary-chooses-her-own-1');
  // Linus holds Viewer at Clearwater before the tests, for the test that revokes it.
  await addReadyStaff(linus, 'linus-chooses-his-own-1');
  await goTo(e2e.page, 'Staff');
  await e2e.page.getByRole('link', { name: 'Linus Pauling' }).click();
  await assignToClient(e2e.page, 'Linus Pauling', 'clear', 'Clearwater Holdings', 'Viewer');
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

    const graces = await signedInAs(grace);
    await goTo(graces.page, 'Clients');
    expect(await bodyRows(graces.page.getByRole('table'))).toEqual([
      ['Clearwater Holdings', 'Individual', ''],
    ]);
  });

  it('the Admin asks why he can see it, revokes it from the client’s page, and it is gone on his next click', async () => {
    const { page } = e2e;
    const linuss = await signedInAs(linus);
    await goTo(linuss.page, 'Clients');
    expect(await bodyRows(linuss.page.getByRole('table'))).toEqual([
      ['Clearwater Holdings', 'Individual', ''],
    ]);

    await goTo(page, 'Clients');
    await page.getByRole('link', { name: 'Clearwater Holdings' }).click();
    await page
      .getByRole('navigation', { name: 'Client sections' })
      .getByRole('link', { name: 'People and access' })
      .click();
    await page.getByRole('heading', { name: 'Who can see Clearwater Holdings', level: 2 }).waitFor();
    await page.getByLabel('Email address to explain').fill(linus.email);
    await page.getByRole('button', { name: 'Explain' }).click();
    expect(
      await bodyRows(page.getByRole('table', { name: 'Why Linus Pauling can see Clearwater Holdings' })),
    ).toEqual([['Viewer', 'Clearwater Holdings', 'Given directly']]);
    await page.getByRole('button', { name: 'Revoke Viewer from Linus Pauling' }).click();
    await page
      .getByRole('status')
      .getByText('Revoked Linus Pauling’s access to Clearwater Holdings.')
      .waitFor();
    expect(await page.getByRole('button', { name: 'Revoke Viewer from Linus Pauling' }).count()).toBe(0);

    // His session is the same one; the very next request no longer shows the client.
    const answer = await linuss.page.reload();
    expect(answer?.status()).toBe(403);
  });

  it('the Admin gives a staff member access from the client’s page, by email; a wrong address is refused beside it', async () => {
    const { page } = e2e;
    const marys = await signedInAs(mary);
    expect((await marys.page.goto(e2e.url('/entities')))?.status()).toBe(403);

    await goTo(page, 'Clients');
    await page.getByRole('link', { name: 'Clearwater Holdings' }).click();
    await page
      .getByRole('navigation', { name: 'Client sections' })
      .getByRole('link', { name: 'People and access' })
      .click();
    await page.getByRole('heading', { name: 'Who can see Clearwater Holdings', level: 2 }).waitFor();
    await page.getByLabel('Their email address').fill('nobody@example.com');
    await page.getByRole('radio', { name: 'Editor (staff)' }).check();
    const refused = await submit(page, page.getByRole('button', { name: 'Share', exact: true }));
    expect(refused.status()).toBe(422);
    await expectFieldError(
      page.getByLabel('Their email address'),
      'No one you can give access here has this email address.',
    );
    expect(await page.getByRole('radio', { name: 'Editor (staff)' }).isChecked()).toBe(true);
    await page.getByLabel('Their email address').fill(mary.email);
    await page.getByRole('button', { name: 'Share', exact: true }).click();
    await page.getByRole('status').getByText('Mary Jackson now has Editor at Clearwater Holdings.').waitFor();
    await page.getByRole('button', { name: 'Revoke Editor from Mary Jackson' }).waitFor();
    expect((await marys.page.goto(e2e.url('/entities')))?.status()).toBe(200);
    expect(await bodyRows(marys.page.getByRole('table'))).toEqual([
      ['Clearwater Holdings', 'Individual', ''],
    ]);
  });
});
