/**
 * A staff member who forgot their password, in real browsers and over real SMTP (issue 11): from
 * the sign-in page they ask for a link (an unknown address gets the same answer, and no email); the
 * link arrives at an SMTP server on loopback; they choose a new password through it in a second
 * browser and are signed in; the session they had left open elsewhere is gone; they sign in with
 * the new password, not the old one; and the link works once. Each test asks for the link it
 * reads or follows, so any one of them runs alone.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { header, part, type Received } from '../helpers/mail.js';
import {
  ADMIN,
  completeSetup,
  expectFieldError,
  FIRM,
  GENERIC_SIGN_IN_FAILURE,
  type Person,
  signIn,
  signOut,
  submit,
  useE2EWithSmtp,
} from './harness.js';

const SENT =
  'If that is the email of a staff account here, a link to choose a new password is on its way. Check your email: the link lasts 1 hour.';
const ME: Person = { ...ADMIN };
const NEW_PASSWORD = 'difference-engine-1822';

const e2e = useE2EWithSmtp();
// The main browser stays signed in as the Admin: the session left open on another computer.
beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server, ME);
});

/** From the sign-in page, "Forgot your password?", asking for a link to `email`. */
async function askForLink(page: Parameters<typeof signIn>[0], email: string) {
  await page.goto(e2e.url('/sign-in'));
  await page.getByRole('link', { name: 'Forgot your password?' }).click();
  await page.getByRole('heading', { name: 'Forgot your password?', level: 1 }).waitFor();
  await page.getByLabel('Email').fill(email);
  return submit(page, page.getByRole('button', { name: 'Email me a link' }));
}

/** Asks for a link to `email` in a browser of its own; returns the email it brings, once arrived. */
async function linkEmailFor(email: string): Promise<Received> {
  const mine = () => e2e.smtp().received.filter((m) => m.to.includes(email));
  const before = mine().length;
  await askForLink((await e2e.openBrowser()).page, email);
  for (let i = 0; i < 300; i++) {
    const arrived = mine()[before];
    if (arrived) return arrived;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no new email to ${email}`);
}

const linkIn = (mail: Received) =>
  (part(mail.raw, 'text/plain') ?? '').match(/Choose a new password: (\S+)/)?.[1] ?? '';

describe('forgot password: an emailed link, a new password, and every old session ended', () => {
  it('asking from the sign-in page gets one answer, for a staff member’s address or an unknown one; a typo is pointed out beside the field', async () => {
    const { page } = await e2e.openBrowser();
    const typo = await askForLink(page, 'ada-at-example.com');
    expect(typo.status()).toBe(422);
    await expectFieldError(page.getByLabel('Email'), 'Enter an email address like name@example.com.');
    expect(await page.getByLabel('Email').inputValue()).toBe('ada-at-example.com');

    const unknown = await askForLink(page, 'nobody@example.com');
    expect(unknown.status()).toBe(200);
    await page.getByRole('status').getByText(SENT).waitFor();

    const known = await askForLink(page, ME.email);
    expect(known.status()).toBe(200);
    await page.getByRole('status').getByText(SENT).waitFor();
  });

  it('the link arrives over SMTP, to the staff member only, with no token in the subject', async () => {
    const { page } = await e2e.openBrowser();
    await askForLink(page, 'nobody@example.com');
    const mail = await linkEmailFor(ME.email);
    const subject = header(mail.raw, 'Subject') ?? '';
    expect(subject).toBe(`${FIRM}: reset your Portico password`);
    const link = linkIn(mail);
    expect(link.startsWith(e2e.url('/set-password/'))).toBe(true);
    expect(subject).not.toContain(link.split('/').pop());
    expect(part(mail.raw, 'text/html')).toContain(`<a href="${link}" style="display:inline-block;`);
    // The unknown address was asked about first: by now its request is answered, with nothing.
    expect(e2e.smtp().received.filter((m) => !m.to.includes(ME.email))).toEqual([]);
  });

  it('they choose a new password through the link and are signed in; the session left open elsewhere is ended', async () => {
    const link = linkIn(await linkEmailFor(ME.email));
    const { page } = await e2e.openBrowser();
    await page.goto(link);
    await page.getByRole('heading', { name: 'Choose your password', level: 1 }).waitFor();
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Repeat new password').fill(NEW_PASSWORD);
    await submit(page, page.getByRole('button', { name: 'Set password and sign in' }));
    await page.getByRole('heading', { name: `Welcome, ${ME.firstName}`, level: 1 }).waitFor();

    // The Admin's first browser, signed in before the reset, is asked to sign in again.
    await e2e.page.goto(e2e.url('/staff'));
    expect(new URL(e2e.page.url()).pathname).toBe('/sign-in');

    // The old password no longer signs in; the new one does.
    await signOut(page);
    await page.getByLabel('Email').fill(ME.email);
    await page.getByLabel('Password').fill(ME.password);
    expect((await submit(page, page.getByRole('button', { name: 'Sign in' }))).status()).toBe(422);
    await page.getByRole('alert').getByText(GENERIC_SIGN_IN_FAILURE).waitFor();
    ME.password = NEW_PASSWORD;
    await signIn(page, e2e.server, ME);
    await page.getByRole('heading', { name: `Welcome, ${ME.firstName}`, level: 1 }).waitFor();

    // The link worked once.
    expect((await page.goto(link))?.status()).toBe(404);
    await page.getByRole('heading', { name: 'This link has expired or was already used' }).waitFor();
  });
});
