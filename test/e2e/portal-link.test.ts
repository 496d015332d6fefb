/**
 * A contact's first way in, in real browsers: an Admin adds a client and a contact, gives the
 * contact Contact - Entity Access at the client, turns their Client portal switch on, and the
 * invitation's link (read from the server's console, where the development outbox prints it) is
 * opened in the contact's own browser: the confirm page names the account, one click signs them in
 * to the portal home listing the client, and a staff page refuses them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  addClient,
  addContact,
  assignToClient,
  completeSetup,
  printedLink,
  submit,
  useE2E,
} from './harness.js';

const e2e = useE2E();
const CONTACT = 'grace@clearwater.example';

beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
  await addClient(e2e.page, 'Clearwater Holdings');
});

describe('the Client portal switch and its link', () => {
  it('an Admin turns the portal on for a contact, who follows the emailed link, confirms and lands in the portal', async () => {
    const { page } = e2e;
    const contactPage = await addContact(
      page,
      { firstName: 'Grace', lastName: 'Hopper', email: CONTACT },
      'Clearwater Holdings',
    );
    await assignToClient(page, 'Grace Hopper', 'clear', 'Clearwater Holdings', 'Contact - Entity Access');

    await page.goto(e2e.url(contactPage));
    await submit(page, page.getByRole('button', { name: 'Turn on Client portal and email an invitation' }));
    await page
      .getByRole('status')
      .getByText(`An invitation was kept in the Outbox for ${CONTACT}.`)
      .waitFor();
    await page.getByRole('button', { name: 'Turn off Client portal' }).waitFor();

    const link = await printedLink(e2e.server, CONTACT);
    expect(link.startsWith(e2e.url('/sign-in/link/'))).toBe(true);
    const grace = await e2e.openBrowser();
    await grace.page.goto(link);
    await grace.page
      .getByRole('heading', { name: `Sign in as Grace Hopper (${CONTACT})`, level: 1 })
      .waitFor();
    await grace.page.getByRole('button', { name: 'Sign in' }).click();
    await grace.page.getByRole('heading', { name: 'Welcome, Grace Hopper', level: 1 }).waitFor();
    expect(new URL(grace.page.url()).pathname).toBe('/portal');
    await grace.page.getByRole('heading', { name: 'Clearwater Holdings', level: 2 }).waitFor();
    await grace.page.getByRole('region', { name: 'Files' }).getByText('Nothing here yet.').waitFor();
    expect(await grace.page.getByRole('link', { name: 'Contacts' }).count()).toBe(0);

    expect((await grace.page.goto(e2e.url('/contacts')))?.status()).toBe(403);
    // The link was used: opening it again offers a new one instead.
    await grace.page.goto(link);
    await grace.page.getByRole('heading', { name: 'This link has expired or was already used' }).waitFor();
  });
});
