/**
 * First-run setup in a real browser: the token printed on the console, a wrong token reported
 * beside its field, and setup refused once the firm exists. Setup happens once per server, so each
 * group of tests below has a server of its own, and no test needs another to have run first.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, type BrowserSession, completeSetup, FIRM, type Person, submit, useE2E } from './harness.js';

const INTRUDER: Person = {
  firstName: 'Mallory',
  lastName: 'Late',
  email: 'mallory@example.com',
  password: 'second-admin-attempt',
};
/** Opens the console's setup link in a browser of its own and fills the form as INTRUDER, unsent. */
async function openSetupForm(browser: BrowserSession, setupUrl: string): Promise<void> {
  const { page } = browser;
  await page.goto(setupUrl);
  await page.getByLabel('Firm name').fill('Someone Else & Co');
  await page.getByLabel('First name').fill(INTRUDER.firstName);
  await page.getByLabel('Last name').fill(INTRUDER.lastName);
  await page.getByLabel('Email').fill(INTRUDER.email);
  await page.getByLabel('Password', { exact: true }).fill(INTRUDER.password);
  await page.getByLabel('Repeat password').fill(INTRUDER.password);
}

describe('first-run setup, before the firm exists', () => {
  const e2e = useE2E();

  it('setup with a wrong token shows the error beside the token field and keeps what was typed', async () => {
    const { page } = e2e;
    const response = await page.goto(e2e.server.setupUrl);
    expect(response?.status()).toBe(200);
    await page.getByRole('heading', { name: 'Set up Portico', level: 1 }).waitFor();

    const token = page.getByLabel('Setup token');
    expect(await token.inputValue()).toBe(e2e.server.setupToken);
    await token.fill('not-the-token-from-the-console');
    await page.getByLabel('Firm name').fill(FIRM);
    await page.getByLabel("What do you call your clients' workspaces?").selectOption('Matter');
    await page.getByLabel('Time zone').selectOption('Europe/London');
    await page.getByLabel('First name').fill(ADMIN.firstName);
    await page.getByLabel('Last name').fill(ADMIN.lastName);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Repeat password').fill(ADMIN.password);

    const answer = await submit(page, page.getByRole('button', { name: 'Create firm and Admin' }));
    expect(answer.status()).toBe(422);
    await page.getByRole('heading', { name: 'Set up Portico', level: 1 }).waitFor();

    // The error sits beside the token field and is tied to it for assistive technology.
    const message = 'This setup token is not valid. Use the link printed in the server console.';
    expect(await token.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await token.getAttribute('aria-describedby')) ?? '';
    expect(describedBy).not.toBe('');
    const descriptions = await Promise.all(
      describedBy.split(/\s+/).map((id) => page.locator(`[id="${id}"]`).textContent()),
    );
    expect(descriptions.map((t) => t?.trim())).toContain(message);
    expect(await page.getByText(message).isVisible()).toBe(true);
    // …and it is the only field marked wrong.
    for (const label of ['Firm name', 'First name', 'Last name', 'Email']) {
      expect(await page.getByLabel(label).getAttribute('aria-invalid'), label).toBeNull();
    }

    // What was typed is kept (passwords are never sent back, by design).
    expect(await token.inputValue()).toBe('not-the-token-from-the-console');
    expect(await page.getByLabel('Firm name').inputValue()).toBe(FIRM);
    expect(await page.getByLabel("What do you call your clients' workspaces?").inputValue()).toBe('Matter');
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/London');
    expect(await page.getByLabel('First name').inputValue()).toBe(ADMIN.firstName);
    expect(await page.getByLabel('Last name').inputValue()).toBe(ADMIN.lastName);
    expect(await page.getByLabel('Email').inputValue()).toBe(ADMIN.email);
    expect(await page.getByLabel('Password', { exact: true }).inputValue()).toBe('');
    expect(await page.getByLabel('Repeat password').inputValue()).toBe('');

    // Nothing was created: every other page still leads to setup.
    await page.goto(e2e.url('/sign-in'));
    expect(new URL(page.url()).pathname).toBe('/setup');
  });
});

describe('first-run setup with the console’s token', () => {
  const e2e = useE2E();

  it('first-run setup with the token from the console signs the first Admin in', async () => {
    const { page } = e2e;
    await page.goto(e2e.server.setupUrl);
    expect(await page.getByLabel('Setup token').inputValue()).toBe(e2e.server.setupToken);
    await page.getByLabel('Firm name').fill(FIRM);
    await page.getByLabel('First name').fill(ADMIN.firstName);
    await page.getByLabel('Last name').fill(ADMIN.lastName);
    await page.getByLabel('Email').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Repeat password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Create firm and Admin' }).click();

    await page.waitForURL(e2e.url('/'));
    await page.getByRole('heading', { name: `Welcome, ${ADMIN.firstName}`, level: 1 }).waitFor();
    expect(await page.getByRole('status').textContent()).toContain(
      `Welcome to Portico, ${ADMIN.firstName}. Your firm is ready.`,
    );
    // The firm's name heads every page, and the title says where you are.
    expect(await page.getByRole('banner').getByRole('link', { name: FIRM }).isVisible()).toBe(true);
    expect(await page.title()).toBe(`Home · ${FIRM}`);
    // Signed in as the new Admin: the home page says what needs them (no clients yet), and the
    // staff directory lists them with the role.
    await page
      .getByRole('region', { name: 'Recently changed clients' })
      .getByText('No clients yet.')
      .waitFor();
    await page.goto(e2e.url('/staff'));
    const listed = page.getByRole('row', { name: new RegExp(`${ADMIN.firstName} ${ADMIN.lastName}`) });
    expect(await listed.getByRole('cell').allTextContents()).toEqual([
      `${ADMIN.firstName} ${ADMIN.lastName}`,
      ADMIN.email,
      'Admin',
      'Active',
    ]);
  });
});

describe('first-run setup, once the firm exists', () => {
  const e2e = useE2E();
  /** Someone else opened the same console link in another browser and filled the form, but was slower. */
  let lateForm: BrowserSession;

  beforeAll(async () => {
    lateForm = await e2e.openBrowser();
    await openSetupForm(lateForm, e2e.server.setupUrl);
    await completeSetup(e2e.page, e2e.server);
  });

  it('visiting /setup again is refused: Portico is already set up', async () => {
    const { page } = e2e;
    for (const url of [e2e.server.setupUrl, e2e.url('/setup')]) {
      const response = await page.goto(url);
      expect(response?.status(), url).toBe(403);
      await page.getByRole('heading', { name: 'Portico is already set up', level: 1 }).waitFor();
      expect(await page.getByText('Setup can only be done once. Sign in instead.').isVisible()).toBe(true);
      expect(await page.getByLabel('Setup token').count()).toBe(0);
    }
  });

  it('a setup form left open in another browser cannot create a second Admin', async () => {
    const { page } = lateForm;
    const answer = await submit(page, page.getByRole('button', { name: 'Create firm and Admin' }));
    expect(answer.status()).toBe(403);
    await page.getByRole('heading', { name: 'Portico is already set up', level: 1 }).waitFor();

    // No account was made for them: signing in as them fails like any unknown account.
    await page.goto(e2e.url('/sign-in'));
    await page.getByLabel('Email').fill(INTRUDER.email);
    await page.getByLabel('Password').fill(INTRUDER.password);
    expect((await submit(page, page.getByRole('button', { name: 'Sign in' }))).status()).toBe(422);
    expect(await page.getByRole('alert').textContent()).toBe(
      'That email and password do not match an account that can sign in.',
    );

    // The firm is still the first Admin's.
    await e2e.page.goto(e2e.url('/'));
    expect(await e2e.page.getByRole('banner').getByRole('link', { name: FIRM }).isVisible()).toBe(true);
  });
});
