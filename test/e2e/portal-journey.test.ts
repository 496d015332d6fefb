/**
 * A contact's whole journey, in real browsers and over real SMTP (issue 5): an Admin signs in,
 * adds a contact at one client, gives them access at a second, and turns their Client portal on; the
 * invitation travels from the server process's queue to an SMTP server on loopback, where it is
 * read as a mail client would (subject, text and HTML parts); the contact opens its link in their
 * own browser, confirms, lands in the portal, switches to the second client, is refused a staff
 * page, and finds the link used up when they open it again.
 *
 * Each step stands alone: the Admin's step works on Grace; the invitation read and followed is
 * Mary's, and the contact who switches clients, is refused a staff page and reuses a link is
 * Katherine, both given the same two clients and the portal before the tests; each contact step
 * signs in a browser of its own.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { header, mailTo, part, type Received } from '../helpers/mail.js';
import {
  ADMIN,
  addClient,
  addContact,
  assignToClient,
  type BrowserSession,
  completeSetup,
  FIRM,
  goTo,
  signIn,
  signOut,
  submit,
  useE2EWithSmtp,
} from './harness.js';

const FIRST = 'Clearwater Holdings';
const SECOND = 'Riverside Trust';
type Contact = { firstName: string; lastName: string; email: string };
const CONTACT: Contact = { firstName: 'Grace', lastName: 'Hopper', email: 'grace@clearwater.example' };
const NAME = `${CONTACT.firstName} ${CONTACT.lastName}`;
/** Invited before the tests: the invitation read and followed. */
const MARY: Contact = { firstName: 'Mary', lastName: 'Jackson', email: 'mary@clearwater.example' };
/** In the portal before the tests: signs in by asking for a link, as often as a test needs. */
const KATHERINE: Contact = {
  firstName: 'Katherine',
  lastName: 'Johnson',
  email: 'katherine@clearwater.example',
};
const ROLE = 'Contact - Entity Access';

const e2e = useE2EWithSmtp();
beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
  await addClient(e2e.page, FIRST);
  await addClient(e2e.page, SECOND);
  for (const contact of [MARY, KATHERINE]) await giveBothClientsAndInvite(contact);
  // The journey starts with staff signing in, as on any working day.
  await signOut(e2e.page);
  await signIn(e2e.page, e2e.server, ADMIN);
});

/** The Admin's part of the journey, for `contact`: both clients, then the Client portal turned on. */
async function giveBothClientsAndInvite(contact: Contact) {
  const { page } = e2e;
  const name = `${contact.firstName} ${contact.lastName}`;
  const contactPage = await addContact(page, contact, FIRST);
  await assignToClient(page, name, 'clear', FIRST, ROLE);
  await shareClientWithContact(SECOND, contact.email, ROLE, name);
  await page.goto(e2e.url(contactPage));
  await submit(page, page.getByRole('button', { name: 'Turn on Client portal and email an invitation' }));
  await page.getByRole('status').getByText(`An invitation was emailed to ${contact.email}.`).waitFor();
}

/** The `n`th email to arrive for `to` (counting from 1). */
async function nthMailTo(to: string, n: number): Promise<Received> {
  for (let i = 0; i < 300; i++) {
    const found = e2e.smtp().received.filter((m) => m.to.includes(to))[n - 1];
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no email number ${n} to ${to}`);
}

/** The sign-in link in an email's text part. */
const linkIn = (mail: Received) =>
  (part(mail.raw, 'text/plain') ?? '').match(/https?:\/\/\S+\/sign-in\/link\/[A-Za-z0-9_-]+/)?.[0] ?? '';

/** Katherine asks for a sign-in link from the sign-in page; returns it once it arrives. */
async function freshLinkForKatherine(): Promise<string> {
  const before = e2e.smtp().received.filter((m) => m.to.includes(KATHERINE.email)).length;
  const { page } = await e2e.openBrowser();
  await page.goto(e2e.url('/sign-in/link'));
  await page.getByLabel('Email').fill(KATHERINE.email);
  await submit(page, page.getByRole('button', { name: 'Email me a sign-in link' }));
  return linkIn(await nthMailTo(KATHERINE.email, before + 1));
}

/** Katherine, signed in to the portal in a browser of her own. */
async function katherineSignedIn(): Promise<BrowserSession> {
  const link = await freshLinkForKatherine();
  const katherine = await e2e.openBrowser();
  await katherine.page.goto(link);
  await submit(katherine.page, katherine.page.getByRole('button', { name: 'Sign in' }));
  await katherine.page.waitForURL((url) => url.pathname === '/portal');
  return katherine;
}

/**
 * Gives the contact `role` at a client from that client's "Who can see it" page. (The one step to
 * change when the client page shares with contacts in its own section.)
 */
async function shareClientWithContact(client: string, email: string, role: string, name = NAME) {
  const { page } = e2e;
  await goTo(page, 'Clients');
  await page.getByRole('link', { name: client }).click();
  await page
    .getByRole('navigation', { name: 'Client sections' })
    .getByRole('link', { name: 'People and access' })
    .click();
  await page.getByLabel('Their email address').fill(email);
  await page.getByRole('radio', { name: `${role} (contacts)` }).check();
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByRole('status').getByText(`${name} now has ${role} at ${client}.`).waitFor();
}

describe('a contact’s journey from the Client portal switch to the portal', () => {
  it('an Admin adds a contact at one client, shares a second client with them, and turns the portal on', async () => {
    const { page } = e2e;
    const contactPage = await addContact(page, CONTACT, FIRST);
    await assignToClient(page, NAME, 'clear', FIRST, ROLE);
    await shareClientWithContact(SECOND, CONTACT.email, ROLE);

    await page.goto(e2e.url(contactPage));
    await submit(page, page.getByRole('button', { name: 'Turn on Client portal and email an invitation' }));
    await page.getByRole('status').getByText(`An invitation was emailed to ${CONTACT.email}.`).waitFor();
    await page.getByRole('button', { name: 'Turn off Client portal' }).waitFor();
  });

  it('the invitation arrives over SMTP: the firm in its subject, the link from BASE_URL in both parts, no token in the subject', async () => {
    const invitation = await mailTo(e2e.smtp(), MARY.email);
    expect(invitation.to).toEqual([MARY.email]);
    expect(invitation.from).toBe('portal@lovelace.example');
    const subject = header(invitation.raw, 'Subject') ?? '';
    expect(subject).toBe(`Your client portal at ${FIRM}`);

    const text = part(invitation.raw, 'text/plain') ?? '';
    const html = part(invitation.raw, 'text/html') ?? '';
    const found = text.match(/Go to Client Portal: (\S+)/)?.[1] ?? '';
    expect(found.startsWith(e2e.url('/sign-in/link/')), `the text part's link: ${found}`).toBe(true);
    const link = found;
    const token = link.slice(e2e.url('/sign-in/link/').length);
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(html).toContain(`<a href="${link}" style="display:inline-block;`);
    expect(html).toContain('>Go to Client Portal</a>');
    expect(subject).not.toContain(token);
    expect(
      e2e.smtp().received.filter((m) => m.to.includes(MARY.email)),
      'one email, to the contact only',
    ).toEqual([invitation]);
  });

  it('the contact opens the link in their own browser, confirms as themselves and lands in the portal', async () => {
    const link = linkIn(await mailTo(e2e.smtp(), MARY.email));
    const mary = `${MARY.firstName} ${MARY.lastName}`;
    const { page } = await e2e.openBrowser();
    await page.goto(link);
    await page.getByRole('heading', { name: `Sign in as ${mary} (${MARY.email})`, level: 1 }).waitFor();
    await submit(page, page.getByRole('button', { name: 'Sign in' }));
    expect(new URL(page.url()).pathname).toBe('/portal');
    await page.getByRole('heading', { name: `Welcome, ${mary}`, level: 1 }).waitFor();
    await page.getByText(`${FIRM} · Client portal`).waitFor();
    // The clients come by name, so the first is shown first.
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual([FIRST]);
  });

  it('the contact switches to the other client with the Client list and sees it', async () => {
    const { page } = await katherineSignedIn();
    const chooser = page.getByLabel('Client', { exact: true });
    expect(await chooser.getByRole('option').allTextContents()).toEqual([FIRST, SECOND]);
    await chooser.selectOption({ label: SECOND });
    await page.getByRole('button', { name: 'Switch' }).click();
    await page.getByRole('heading', { name: SECOND, level: 2 }).waitFor();
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual([SECOND]);
    await page.getByRole('region', { name: 'Files' }).getByText('Nothing here yet.').waitFor();
    // The page remembers the choice in its address and in the list.
    expect(await chooser.inputValue()).toBe(new URL(page.url()).searchParams.get('entity'));
  });

  it('a staff page refuses the contact', async () => {
    const { page } = await katherineSignedIn();
    for (const staffPage of ['/staff', '/entities']) {
      const answer = await page.goto(e2e.url(staffPage));
      expect(answer?.status(), staffPage).toBe(403);
      await page.getByRole('heading', { name: 'You do not have access', level: 1 }).waitFor();
    }
  });

  it('the same link a second time shows that it expired or was used, and signs no one in', async () => {
    const link = await freshLinkForKatherine();
    const first = await e2e.openBrowser();
    await first.page.goto(link);
    await submit(first.page, first.page.getByRole('button', { name: 'Sign in' }));
    expect(new URL(first.page.url()).pathname).toBe('/portal');

    const other = await e2e.openBrowser();
    const answer = await other.page.goto(link);
    expect(answer?.status()).toBe(404);
    await other.page.getByRole('heading', { name: 'This link has expired or was already used' }).waitFor();
    expect((await other.page.goto(e2e.url('/portal')))?.url()).toContain('/sign-in');
  });
});
