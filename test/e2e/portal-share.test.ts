/**
 * "Share in Client Portal" (on a client's People and access tab) and "Client Portal Notifications"
 * (linked from its Overview), in real browsers.
 * An Admin adds a contact to a client and turns their Client portal on (no email yet: nothing is
 * shared with them), ticks them under Share in Client Portal, sees the "was shared with you" email
 * go out in the Outbox, and the contact follows its link into the portal showing that client;
 * unshared, the contact's next request no longer shows it. Then the Admin chooses who receives the
 * client's portal notifications, and the page keeps the choice; both fit a phone's width.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  addClient,
  addContact,
  type BrowserWindow,
  bodyRows,
  completeSetup,
  FIRM,
  outboxOnceKept,
  PHONE,
  printedLink,
  signIn,
  submit,
  useE2E,
} from './harness.js';

const e2e = useE2E();
const CONTACT = 'grace@clearwater.example';
const CLIENT = 'Clearwater Holdings';
const SUBJECT = `${FIRM}: Client ${CLIENT} was shared with you`;
/** Shared with before the tests, so the unsharing test has a contact of its own to sign in. */
const MARY = 'mary@clearwater.example';
let clientPage: string;

beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
  await addClient(e2e.page, CLIENT);
  clientPage = e2e.page.url();
  const { page } = e2e;
  await addContact(page, { firstName: 'Mary', lastName: 'Jackson', email: MARY }, CLIENT);
  await submit(page, page.getByRole('button', { name: 'Turn on Client portal and email an invitation' }));
  await page.goto(clientPage);
  await page
    .getByRole('navigation', { name: 'Client sections' })
    .getByRole('link', { name: 'People and access' })
    .click();
  const section = page.getByRole('region', { name: 'Share in Client Portal' });
  await section.getByRole('checkbox', { name: `Mary Jackson (${MARY})` }).check();
  await submit(page, section.getByRole('button', { name: 'Save sharing' }));
  await page.getByRole('status').getByText(`${CLIENT} is now shared with Mary Jackson.`).waitFor();
});

describe('Share in Client Portal', () => {
  it('an Admin shares a client with its contact, who is emailed a link to the portal showing it', async () => {
    const { page } = e2e;
    await addContact(page, { firstName: 'Grace', lastName: 'Hopper', email: CONTACT }, CLIENT);
    await submit(page, page.getByRole('button', { name: 'Turn on Client portal and email an invitation' }));
    await page
      .getByRole('alert')
      .getByText('no invitation was sent: Grace Hopper cannot sign in until')
      .waitFor();

    await page.goto(clientPage);
    await page
      .getByRole('navigation', { name: 'Client sections' })
      .getByRole('link', { name: 'People and access' })
      .click();
    const section = page.getByRole('region', { name: 'Share in Client Portal' });
    const box = section.getByRole('checkbox', { name: `Grace Hopper (${CONTACT})` });
    expect(await box.isChecked()).toBe(false);
    await box.check();
    await submit(page, section.getByRole('button', { name: 'Save sharing' }));
    await page
      .getByRole('status')
      .getByText(`${CLIENT} is now shared with Grace Hopper. Kept in the Outbox for Grace Hopper.`)
      .waitFor();
    expect(await page.getByRole('checkbox', { name: `Grace Hopper (${CONTACT})` }).isChecked()).toBe(true);

    // The email, in the Outbox once the worker has sent it.
    const table = await outboxOnceKept(page, SUBJECT);
    expect((await bodyRows(table))[0]?.slice(1)).toEqual([CONTACT, SUBJECT, 'Kept, not sent']);
    // The newest, Grace's (Mary's, shared before the tests, is below it).
    await table.getByRole('link', { name: SUBJECT }).first().click();
    const text = await page.getByRole('region', { name: 'Text part' }).textContent();
    expect(text).toContain(`${FIRM} shared the client ${CLIENT} with you in its client portal.`);

    const link = await printedLink(e2e.server, CONTACT);
    expect(link.startsWith(e2e.url('/sign-in/link/'))).toBe(true);
    const grace = await e2e.openBrowser();
    await grace.page.goto(link);
    await grace.page.getByRole('button', { name: 'Sign in' }).click();
    await grace.page.getByRole('heading', { name: 'Welcome, Grace Hopper', level: 1 }).waitFor();
    await grace.page.getByRole('heading', { name: CLIENT, level: 2 }).waitFor();
  });

  it('unshared, the contact’s next request no longer shows the client, and with nothing left shared signs her out', async () => {
    const { page } = e2e;
    // Mary, shared with before the tests, is in the portal in her own browser.
    const mary = await e2e.openBrowser();
    await mary.page.goto(await printedLink(e2e.server, MARY));
    await mary.page.getByRole('button', { name: 'Sign in' }).click();
    await mary.page.getByRole('heading', { name: CLIENT, level: 2 }).waitFor();

    await page.goto(clientPage);
    await page
      .getByRole('navigation', { name: 'Client sections' })
      .getByRole('link', { name: 'People and access' })
      .click();
    const section = page.getByRole('region', { name: 'Share in Client Portal' });
    await section.getByRole('checkbox', { name: `Mary Jackson (${MARY})` }).uncheck();
    await submit(page, section.getByRole('button', { name: 'Save sharing' }));
    await page.getByRole('status').getByText('No longer shared with Mary Jackson.').waitFor();

    await mary.page.reload();
    expect(new URL(mary.page.url()).pathname).toBe('/sign-in');
    expect(await mary.page.getByRole('heading', { name: CLIENT }).count()).toBe(0);
  });
});

describe('Client Portal Notifications', () => {
  it('an Admin ticks who receives the client’s portal notifications, and the choice is kept', async () => {
    const { page } = e2e;
    await page.goto(clientPage);
    await page.getByRole('link', { name: 'Client Portal Notifications' }).click();
    await page.getByRole('heading', { name: `Client Portal Notifications: ${CLIENT}`, level: 1 }).waitFor();
    const me = page.getByRole('checkbox', { name: `${ADMIN.firstName} ${ADMIN.lastName} (${ADMIN.email})` });
    expect(await me.isChecked()).toBe(false);
    await me.check();
    await submit(page, page.getByRole('button', { name: 'Save', exact: true }));
    await page.getByRole('status').getByText('Client Portal Notifications saved.').waitFor();
    expect(page.url()).toBe(clientPage);

    await page.getByRole('link', { name: 'Client Portal Notifications' }).click();
    expect(
      await page
        .getByRole('checkbox', { name: `${ADMIN.firstName} ${ADMIN.lastName} (${ADMIN.email})` })
        .isChecked(),
    ).toBe(true);
  });

  it('the client page with its sharing form, and the notifications page, fit a phone', async () => {
    const phone = await e2e.openBrowser(PHONE);
    await signIn(phone.page, e2e.server, ADMIN);
    for (const path of [
      `${new URL(clientPage).pathname}/access`,
      `${new URL(clientPage).pathname}/notifications`,
    ]) {
      await phone.page.goto(e2e.url(path));
      await phone.page.getByRole('checkbox').first().waitFor();
      const { scrollWidth, innerWidth } = await phone.page.evaluate(() => {
        const w = globalThis as unknown as BrowserWindow;
        return { scrollWidth: w.document.documentElement.scrollWidth, innerWidth: w.innerWidth };
      });
      expect([path, scrollWidth <= innerWidth]).toEqual([path, true]);
    }
  });
});
