/**
 * Nobody misses an upload, in real browsers and over real SMTP: the Admin chooses themself as the
 * client's notification recipient and invites a contact; the contact signs in from the emailed
 * link and sends a file from the portal; the Admin's email arrives at the SMTP server on loopback,
 * and in the app the home page and the Notifications page show it, with its email accepted by that
 * server, leading to the file. Photographed at 1280 and 390 px.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { header, mailTo, part } from '../helpers/mail.js';
import {
  ADMIN,
  addClient,
  addContact,
  assignToClient,
  completeSetup,
  PHONE,
  RESULTS_DIR,
  submit,
  useE2EWithSmtp,
} from './harness.js';

const CLIENT = 'Harbour Bakery';
const GRACE = { firstName: 'Grace', lastName: 'Hopper', email: 'grace@harbour.example' };

const e2e = useE2EWithSmtp();
beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
});

describe('a client’s upload, told to the firm', () => {
  it('reaches the chosen staff by email and in the app, with what became of the email', async () => {
    const { page } = e2e;
    await addClient(page, CLIENT);
    await page.getByRole('link', { name: 'Client Portal Notifications' }).click();
    await page.getByRole('checkbox', { name: `Ada Lovelace (${ADMIN.email})` }).check();
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').waitFor();

    await addContact(page, GRACE, CLIENT);
    await submit(page, page.getByRole('button', { name: 'Turn on Client portal and email an invitation' }));
    await assignToClient(page, 'Grace Hopper', 'harbour', CLIENT, 'Contact - Entity Collaborator');

    // Grace signs in from her invitation and sends a file.
    const invitation = await mailTo(e2e.smtp(), GRACE.email);
    const link = (part(invitation.raw, 'text/plain') ?? '').match(/https?:\/\/\S+\/sign-in\/link\/\S+/)?.[0];
    expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/sign-in\/link\/\S+$/);
    const grace = await e2e.openBrowser();
    await grace.page.goto(link!);
    await grace.page.getByRole('button', { name: 'Sign in' }).click();
    await grace.page.getByRole('heading', { name: 'Welcome, Grace Hopper', level: 1 }).waitFor();
    await grace.page.getByLabel('Send files to the firm').setInputFiles({
      name: 'Payslips March.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4\npayslips'),
    });
    await grace.page.getByRole('button', { name: 'Upload', exact: true }).click();
    await grace.page.getByRole('status').getByText('Uploaded: Payslips March.pdf.').waitFor();

    // The Admin's email, as the SMTP server received it.
    const told = await mailTo(e2e.smtp(), ADMIN.email);
    expect(header(told.raw, 'Subject')).toBe('Grace Hopper uploaded a file to Harbour Bakery');
    expect(part(told.raw, 'text/plain')).toContain(
      'Grace Hopper uploaded Payslips March.pdf to Harbour Bakery',
    );

    // In the app: on the home page until read, and on the Notifications page with the email's fate.
    const text = 'Grace Hopper uploaded Payslips March.pdf to Harbour Bakery';
    await page.goto(e2e.url('/'));
    const panel = page.getByRole('region', { name: 'New notifications' });
    await panel.getByRole('link', { name: text }).waitFor();
    await panel.getByRole('link', { name: 'All notifications' }).click();
    await page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    const line = page.getByRole('listitem').filter({ hasText: text });
    await line.getByText(/Email accepted by SMTP server 127\.0\.0\.1:\d+/).waitFor();
    await page.screenshot({ path: `${RESULTS_DIR}/notifications-1280.png`, fullPage: true });
    const phone = await e2e.openBrowser({ ...PHONE, viewport: { width: 390, height: 844 } });
    await phone.context.addCookies(await e2e.browser.context.cookies());
    await phone.page.goto(e2e.url('/notifications'));
    await phone.page.getByRole('heading', { name: 'Notifications', level: 1 }).waitFor();
    await phone.page.screenshot({ path: `${RESULTS_DIR}/notifications-390.png`, fullPage: true });

    await page.getByRole('button', { name: /Mark all as read/ }).click();
    await page.getByRole('status').getByText('Every notification is marked as read.').waitFor();
    await page.getByRole('link', { name: text }).click();
    await page.getByRole('table', { name: 'Folders and files in From clients' }).waitFor();
    await page.getByRole('link', { name: 'Payslips March.pdf' }).waitFor();
  });
});
