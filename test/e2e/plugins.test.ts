/**
 * The example plugin in a real browser: an Admin finds it on the Plugins page (not configured),
 * saves its setting (a blank one refused beside the field), then sees its nav item, its tab in a
 * new client's workspace (showing the client once the worker has delivered the event) and its own
 * page. (Every page's fit on a phone, the Plugins pages among them, is every-page.test.ts's.)
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addClient, completeSetup, expectFieldError, goTo, navLinks, submit, useE2E } from './harness.js';

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
});
