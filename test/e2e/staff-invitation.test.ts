/**
 * A new staff member's first sign-in, in real browsers and over real SMTP (issue 11): an Admin adds
 * them without a password; the page shows the invitation's link once, with a Copy button, and the
 * staff list says Invited; the invitation travels from the server's queue to an SMTP server on
 * loopback, read as a mail client would; the new staff member opens its link in their own browser,
 * chooses a password, is signed in, and signs in again with it; the list then says Active.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { header, mailTo, part } from '../helpers/mail.js';
import {
  ADMIN,
  bodyRows,
  completeSetup,
  FIRM,
  FLOW_VIEWPORT,
  goTo,
  makeLinus,
  type Person,
  signIn,
  signOut,
  submit,
  useE2EWithSmtp,
} from './harness.js';

const e2e = useE2EWithSmtp();
beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
});

/** A newcomer of this test's own, so no test reads what another one did. */
const newcomer = (lastName: string): Person => ({
  ...makeLinus(),
  lastName,
  email: `${lastName.toLowerCase()}@example.com`,
});
const nameOf = (person: Person) => `${person.firstName} ${person.lastName}`;

/** The Status cell of the staff list's row for `name`. */
async function statusInList(name: string): Promise<string | undefined> {
  const { page } = e2e;
  await goTo(page, 'Staff');
  const rows = await bodyRows(page.getByRole('table'));
  return rows.find((r) => r[0] === name)?.at(-1);
}

/** The Admin adds `person` without a password, which emails an invitation; returns the link the page shows. */
async function invite(person: Person): Promise<string> {
  const { page } = e2e;
  await goTo(page, 'Staff');
  await page.getByRole('link', { name: 'Add staff member' }).click();
  await page.getByLabel('First name').fill(person.firstName);
  await page.getByLabel('Last name').fill(person.lastName);
  await page.getByLabel('Email').fill(person.email);
  // Emailing an invitation is what the form does unless told to set a password now.
  expect(
    await page
      .getByRole('radio', { name: 'Send them an invitation to choose their own password' })
      .isChecked(),
  ).toBe(true);
  await submit(page, page.getByRole('button', { name: 'Add staff member' }));
  await page.getByRole('heading', { name: nameOf(person), level: 1 }).waitFor();
  return page.getByLabel('Set-password link').inputValue();
}

describe('a staff member invited by email chooses a password and signs in', () => {
  it('an Admin adds a staff member without a password: the page says the invitation was emailed and shows its link once, with a Copy button', async () => {
    const { page } = e2e;
    const linus = newcomer('Pauling');
    await page
      .context()
      .grantPermissions(['clipboard-read', 'clipboard-write'], { origin: e2e.server.baseUrl });
    const shown = await invite(linus);
    await page
      .getByRole('status')
      .getByText(`${nameOf(linus)} was added, and an invitation was emailed to ${linus.email}.`)
      .waitFor();
    await page.getByText('Invited: they have not chosen a password yet.').waitFor();
    expect(shown.startsWith(e2e.url('/set-password/'))).toBe(true);

    await page.getByRole('button', { name: 'Copy link' }).click();
    await page.getByText('Copied.').waitFor();
    // What the clipboard now holds, read in the page (BrowserWindow types the page's globals here).
    type WithClipboard = { navigator: { clipboard: { readText(): Promise<string> } } };
    expect(
      await page.evaluate(() => (globalThis as unknown as WithClipboard).navigator.clipboard.readText()),
    ).toBe(shown);

    // At phone width the long link stays inside its field: nothing scrolls sideways.
    await page.setViewportSize({ width: 390, height: 800 });
    type Widths = { innerWidth: number; document: { documentElement: { scrollWidth: number } } };
    expect(
      await page.evaluate(() => {
        const w = globalThis as unknown as Widths;
        return w.document.documentElement.scrollWidth - w.innerWidth;
      }),
    ).toBe(0);
    await page.setViewportSize(FLOW_VIEWPORT);

    expect(await statusInList(nameOf(linus))).toBe('Invited');
  });

  it('the invitation arrives over SMTP: the firm in its subject, no token there, the same link in both parts', async () => {
    const linus = newcomer('Lin');
    const shown = await invite(linus);
    const invitation = await mailTo(e2e.smtp(), linus.email);
    expect(invitation.from).toBe('portal@lovelace.example');
    const subject = header(invitation.raw, 'Subject') ?? '';
    expect(subject).toBe(`${FIRM}: you are invited to Portico`);
    const text = part(invitation.raw, 'text/plain') ?? '';
    const html = part(invitation.raw, 'text/html') ?? '';
    const link = text.match(/Set your password: (\S+)/)?.[1];
    expect(link).toBe(shown);
    expect(subject).not.toContain(shown.split('/').pop());
    expect(html).toContain(`<a href="${shown}" style="display:inline-block;`);
    expect(html).toContain('>Set your password</a>');
    expect(text).toContain(`Hello ${linus.firstName},`);
    const toThem = e2e.smtp().received.filter((m) => m.to.includes(linus.email));
    expect(
      toThem.map((m) => m.to),
      'one email, to the new staff member only',
    ).toEqual([[linus.email]]);
  });

  it('they open the link in their own browser, choose a password and are signed in; then sign in with it; the list says Active', async () => {
    const linus = newcomer('Torvalds');
    await invite(linus);
    const invitation = await mailTo(e2e.smtp(), linus.email);
    const theirs = await e2e.openBrowser();
    const { page } = theirs;
    const link = (part(invitation.raw, 'text/plain') ?? '').match(/Set your password: (\S+)/)?.[1] ?? '';
    await page.goto(link);
    await page.getByRole('heading', { name: 'Choose your password', level: 1 }).waitFor();
    await page.getByText(`This sets the password for ${linus.email}.`).waitFor();
    await page.getByLabel('New password', { exact: true }).fill(linus.password);
    await page.getByLabel('Repeat new password').fill(linus.password);
    await submit(page, page.getByRole('button', { name: 'Set password and sign in' }));
    await page.getByRole('heading', { name: `Welcome, ${linus.firstName}`, level: 1 }).waitFor();

    await signOut(page);
    await signIn(page, e2e.server, linus);
    await page.getByRole('heading', { name: `Welcome, ${linus.firstName}`, level: 1 }).waitFor();

    // The link worked once.
    expect((await page.goto(link))?.status()).toBe(404);
    await page.getByRole('heading', { name: 'This link has expired or was already used' }).waitFor();

    expect(await statusInList(nameOf(linus))).toBe('Active');
    // The Admin is still signed in as themself throughout.
    await e2e.page.getByRole('banner').getByText(`${ADMIN.firstName} ${ADMIN.lastName}`).first().waitFor();
  });
});
