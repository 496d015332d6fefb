/**
 * The staff home page, "what needs me", in a real browser: a new firm's Admin sees that there are
 * no clients yet; after adding a client and inviting its contact to the portal, the home page
 * lists the client under "Recently changed clients" and the contact under "Portal invitations not
 * yet accepted", each a link to its page; once the contact signs in, the invitation leaves the list.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  addClient,
  addContact,
  assignToClient,
  completeSetup,
  goTo,
  PHONE,
  printedLink,
  RESULTS_DIR,
  submit,
  useE2E,
} from './harness.js';

const e2e = useE2E();
const KATHERINE = 'katherine@harbour.example';

beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
});

describe('the staff home page', () => {
  it('shows recent clients and invitations not yet accepted, each leading to its page', async () => {
    const { page } = e2e;
    await page.getByRole('heading', { name: `Welcome, ${ADMIN.firstName}`, level: 1 }).waitFor();
    const clients = page.getByRole('region', { name: 'Recently changed clients' });
    await clients.getByText('No clients yet.').waitFor();
    expect(await page.getByRole('region', { name: 'Portal invitations not yet accepted' }).count()).toBe(0);

    await addClient(page, 'Harbour Bakery');
    const katherinePage = await addContact(
      page,
      { firstName: 'Katherine', lastName: 'Johnson', email: KATHERINE },
      'Harbour Bakery',
    );
    await assignToClient(page, 'Katherine Johnson', 'harbour', 'Harbour Bakery', 'Contact - Entity Access');
    await page.goto(e2e.url(katherinePage));
    await submit(page, page.getByRole('button', { name: 'Turn on Client portal and email an invitation' }));

    await goTo(page, 'Home');
    expect(await clients.getByRole('link').allTextContents()).toEqual(['Harbour Bakery', 'All clients']);
    const invitations = page.getByRole('region', { name: 'Portal invitations not yet accepted' });
    expect(await invitations.getByRole('listitem').textContent()).toMatch(
      /^Katherine Johnson\s*Harbour Bakery · invited /,
    );

    for (const [name, viewport] of [
      ['1280', { width: 1280, height: 800 }],
      ['390', { width: 390, height: 844 }],
    ] as const) {
      await page.setViewportSize(viewport);
      await page.screenshot({ path: `${RESULTS_DIR}/home-${name}.png`, fullPage: true });
    }
    await page.setViewportSize({ width: 1280, height: 800 });

    await invitations.getByRole('link', { name: 'Katherine Johnson' }).click();
    await page.getByRole('heading', { name: 'Katherine Johnson', level: 1 }).waitFor();

    const katherine = await e2e.openBrowser(PHONE);
    await katherine.page.goto(await printedLink(e2e.server, KATHERINE));
    await katherine.page.getByRole('button', { name: 'Sign in' }).click();
    await katherine.page.getByRole('heading', { name: 'Welcome, Katherine Johnson', level: 1 }).waitFor();
    await katherine.close();

    await goTo(page, 'Home');
    await clients.getByRole('link', { name: 'Harbour Bakery' }).waitFor();
    expect(await invitations.count()).toBe(0);
    await clients.getByRole('link', { name: 'Harbour Bakery' }).click();
    await page.getByRole('heading', { name: 'Harbour Bakery', level: 1 }).waitFor();
  });
});
