/**
 * A contact's whole journey, in real browsers and over real SMTP (issue 5): an Admin signs in,
 * adds a contact at one client, gives them access at a second, and turns their Client portal on; the
 * invitation travels from the server process's queue to an SMTP server on loopback, where it is
 * read as a mail client would (subject, text and HTML parts); the contact opens its link in their
 * own browser, confirms, lands in the portal, switches to the second client, is refused a staff
 * page, and finds the link used up when they open it again.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { header, mailTo, part, type Received, startSmtp, type TestSmtp } from '../helpers/mail.js';
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
  useE2E,
} from './harness.js';

const FIRST = 'Clearwater Holdings';
const SECOND = 'Riverside Trust';
const CONTACT = { firstName: 'Grace', lastName: 'Hopper', email: 'grace@clearwater.example' };
const NAME = `${CONTACT.firstName} ${CONTACT.lastName}`;
const ROLE = 'Contact - Entity Access';

let smtp: TestSmtp | undefined;
// Registered before useE2E's hooks, so it runs after them (vitest runs "after" hooks as a stack):
// the server process, whose SMTP connection the SMTP server would otherwise wait 30 s for, is
// stopped first.
afterAll(async () => {
  await smtp?.close();
});
const e2e = useE2E({
  env: async () => {
    smtp = await startSmtp();
    return {
      SMTP_URL: `smtp://127.0.0.1:${smtp.port}?ignoreTLS=true`,
      MAIL_FROM: `${FIRM} <portal@lovelace.example>`,
      QUEUE_POLL_MS: '50',
    };
  },
});
beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
  await addClient(e2e.page, FIRST);
  await addClient(e2e.page, SECOND);
  // The journey starts with staff signing in, as on any working day.
  await signOut(e2e.page);
  await signIn(e2e.page, e2e.server, ADMIN);
});

/**
 * Gives the contact `role` at a client from that client's "Who can see it" page. (The one step to
 * change when the client page shares with contacts in its own section.)
 */
async function shareClientWithContact(client: string, email: string, role: string) {
  const { page } = e2e;
  await goTo(page, 'Clients');
  await page.getByRole('link', { name: client }).click();
  await page.getByRole('link', { name: 'Who can see it' }).click();
  await page.getByLabel('Their email address').fill(email);
  await page.getByRole('radio', { name: `${role} (contacts)` }).check();
  await page.getByRole('button', { name: 'Share', exact: true }).click();
  await page.getByRole('status').getByText(`${NAME} now has ${role} at ${client}.`).waitFor();
}

describe('a contact’s journey from the Client portal switch to the portal', () => {
  let invitation: Received;
  let link: string;
  let grace: BrowserSession;

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
    if (!smtp) throw new Error('the SMTP server did not start');
    invitation = await mailTo(smtp, CONTACT.email);
    expect(invitation.to).toEqual([CONTACT.email]);
    expect(invitation.from).toBe('portal@lovelace.example');
    const subject = header(invitation.raw, 'Subject') ?? '';
    expect(subject).toBe(`Your client portal at ${FIRM}`);

    const text = part(invitation.raw, 'text/plain') ?? '';
    const html = part(invitation.raw, 'text/html') ?? '';
    const found = text.match(/Go to Client Portal: (\S+)/)?.[1] ?? '';
    expect(found.startsWith(e2e.url('/sign-in/link/')), `the text part's link: ${found}`).toBe(true);
    link = found;
    const token = link.slice(e2e.url('/sign-in/link/').length);
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(html).toContain(`<a href="${link}" style="display:inline-block;`);
    expect(html).toContain('>Go to Client Portal</a>');
    expect(subject).not.toContain(token);
    expect(smtp.received, 'one email, to the contact only').toHaveLength(1);
  });

  it('the contact opens the link in their own browser, confirms as themselves and lands in the portal', async () => {
    grace = await e2e.openBrowser();
    const { page } = grace;
    await page.goto(link);
    await page.getByRole('heading', { name: `Sign in as ${NAME} (${CONTACT.email})`, level: 1 }).waitFor();
    await submit(page, page.getByRole('button', { name: 'Sign in' }));
    expect(new URL(page.url()).pathname).toBe('/portal');
    await page.getByRole('heading', { name: `Welcome, ${NAME}`, level: 1 }).waitFor();
    await page.getByText(`${FIRM} · Client portal`).waitFor();
    // The clients come by name, so the first is shown first.
    expect(await page.getByRole('heading', { level: 2 }).allTextContents()).toEqual([FIRST]);
  });

  it('the contact switches to the other client with the Client list and sees it', async () => {
    const { page } = grace;
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
    const { page } = grace;
    for (const staffPage of ['/staff', '/entities']) {
      const answer = await page.goto(e2e.url(staffPage));
      expect(answer?.status(), staffPage).toBe(403);
      await page.getByRole('heading', { name: 'You do not have access', level: 1 }).waitFor();
    }
  });

  it('the same link a second time shows that it expired or was used, and signs no one in', async () => {
    const other = await e2e.openBrowser();
    const answer = await other.page.goto(link);
    expect(answer?.status()).toBe(404);
    await other.page.getByRole('heading', { name: 'This link has expired or was already used' }).waitFor();
    expect((await other.page.goto(e2e.url('/portal')))?.url()).toContain('/sign-in');
  });
});
