/**
 * The example plugin in a real browser: an Admin finds it on the Plugins page (not configured),
 * saves its setting (a blank one refused beside the field), then sees its nav item, its tab in a
 * new client's workspace (showing the client once the worker has delivered the event) and its own
 * page; then gives the client portal the firm's colour (a colour too light to read refused beside
 * the field), which a contact sees in their portal and staff pages do not take. (Every page's fit on
 * a phone, the Plugins pages among them, is every-page.test.ts's.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addClient,
  addContact,
  assignToClient,
  type BrowserWindow,
  completeSetup,
  expectFieldError,
  goTo,
  navLinks,
  PHONE,
  printedLink,
  RESULTS_DIR,
  submit,
  useE2E,
} from './harness.js';

const e2e = useE2E();

beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
});

describe('plugins', () => {
  it('an Admin configures the example plugin, then meets its nav item, its tab on a client and its page', async () => {
    const { page } = e2e;
    expect(await navLinks(page)).not.toContain('Example log');
    await goTo(page, 'Plugins');
    const example = page.getByRole('article', { name: /example/ });
    await example.getByText('Not configured').waitFor();
    await example.getByRole('link', { name: 'Settings of example' }).click();
    await page.getByRole('heading', { name: 'Settings of example', level: 1 }).waitFor();

    const refused = await submit(page, page.getByRole('button', { name: 'Save settings' }));
    expect(refused.status()).toBe(422);
    await expectFieldError(
      page.getByLabel('Email footer line'),
      'Enter the line to add at the foot of every email.',
    );

    await page.getByLabel('Email footer line').fill('Lovelace & Babbage LLP, 12 Analytical Row');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').getByText('Settings of example saved.').waitFor();
    await page
      .getByRole('article', { name: /example/ })
      .getByText('Working.')
      .waitFor();
    expect(await navLinks(page)).toContain('Example log');

    await addClient(page, 'Harbour Bakery');
    await page
      .getByRole('navigation', { name: 'Client sections' })
      .getByRole('link', { name: 'Example log' })
      .click();
    await page.getByRole('heading', { name: 'Example log', level: 2 }).waitFor();
    // The worker delivers the event within a poll or two: reload until the plugin's tab shows it.
    const logged = page.getByText('Harbour Bakery was created');
    for (let i = 0; i < 40 && !(await logged.isVisible()); i++) {
      await page.waitForTimeout(250);
      await page.reload();
    }
    await page.getByRole('link', { name: 'The whole example log' }).click();
    await page.getByRole('heading', { name: 'Example log', level: 1 }).waitFor();
    await page.getByRole('link', { name: 'Harbour Bakery' }).waitFor();
  });

  it('an Admin gives the client portal the firm’s colour, and a contact sees their portal in it', async () => {
    const { page } = e2e;
    await goTo(page, 'Plugins');
    await page.getByRole('link', { name: 'Settings of example' }).click();
    const colour = page.getByLabel('Client portal colour (optional, such as #1f5f8b)');
    await colour.fill('#ffd700');
    expect((await submit(page, page.getByRole('button', { name: 'Save settings' }))).status()).toBe(422);
    await expectFieldError(
      colour,
      'This colour is too light for links on a white page (contrast 1.4:1; it needs 4.5:1). Choose a darker shade.',
    );
    // The form kept what was typed, the footer line too.
    expect(await page.getByLabel('Email footer line').inputValue()).toBe(
      'Lovelace & Babbage LLP, 12 Analytical Row',
    );
    await colour.fill('#0b5d1e');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').getByText('Settings of example saved.').waitFor();
    const green = 'rgb(11, 93, 30)';
    await goTo(page, 'Clients');
    const staffLink = page.getByRole('link', { name: 'Harbour Bakery' });
    expect(
      await staffLink.evaluate((a) => (globalThis as unknown as BrowserWindow).getComputedStyle(a).color),
    ).not.toBe(green);

    await addContact(
      page,
      { firstName: 'Grace', lastName: 'Hopper', email: 'grace@harbour.example' },
      'Harbour Bakery',
    );
    await submit(page, page.getByRole('button', { name: 'Turn on Client portal and email an invitation' }));
    await assignToClient(page, 'Grace Hopper', 'harbour', 'Harbour Bakery', 'Contact - Entity Access');
    const grace = await e2e.openBrowser();
    await grace.page.goto(await printedLink(e2e.server, 'grace@harbour.example'));
    await grace.page.getByRole('button', { name: 'Sign in' }).click();
    await grace.page.getByRole('heading', { name: 'Welcome, Grace Hopper', level: 1 }).waitFor();
    const account = grace.page.getByRole('link', { name: 'Your account' }).first();
    expect(
      await account.evaluate((a) => (globalThis as unknown as BrowserWindow).getComputedStyle(a).color),
    ).toBe(green);
    const switchButton = grace.page.getByRole('button', { name: 'Sign out' }).first();
    expect(
      await switchButton.evaluate((b) => (globalThis as unknown as BrowserWindow).getComputedStyle(b).color),
    ).toBe(green);
    await grace.page.screenshot({ path: `${RESULTS_DIR}/portal-theme-1280.png`, fullPage: true });
    const phone = await e2e.openBrowser({ ...PHONE, viewport: { width: 390, height: 844 } });
    await phone.context.addCookies(await grace.context.cookies());
    await phone.page.goto(e2e.url('/portal'));
    await phone.page.getByRole('heading', { name: 'Welcome, Grace Hopper', level: 1 }).waitFor();
    await phone.page.screenshot({ path: `${RESULTS_DIR}/portal-theme-390.png`, fullPage: true });
  });
});
