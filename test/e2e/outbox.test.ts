/**
 * The Outbox in a real browser: an Admin sends themselves a test email, watches it go from waiting
 * to sent, and reads it: the text part, and the HTML part inside its sandboxed frame. The server's
 * console shows the email's link line (the development outbox's print).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, bodyRows, completeSetup, FIRM, goTo, outboxOnceKept, submit, useE2E } from './harness.js';

const e2e = useE2E();
const SUBJECT = `Test email from ${FIRM}`;

beforeAll(async () => {
  await completeSetup(e2e.page, e2e.server);
});

describe('the Outbox', () => {
  it('an Admin sends a test email to themselves and reads it in the Outbox', async () => {
    const { page } = e2e;
    await goTo(page, 'Outbox');
    await page.getByRole('heading', { name: 'Outbox', level: 1 }).waitFor();
    await submit(page, page.getByRole('button', { name: 'Send a test email to yourself' }));
    await page.getByRole('status').getByText(`Test email queued to ${ADMIN.email}.`).waitFor();

    // The worker polls every second: reload until it has been through.
    const table = await outboxOnceKept(page, SUBJECT);
    const [row] = await bodyRows(table);
    expect(row?.slice(1)).toEqual([ADMIN.email, SUBJECT, 'Kept, not sent']);

    await table.getByRole('link', { name: SUBJECT }).click();
    await page.getByRole('heading', { name: SUBJECT, level: 1 }).waitFor();
    const text = await page.getByRole('region', { name: 'Text part' }).textContent();
    expect(text).toContain(`Hello ${ADMIN.firstName},`);
    expect(text).toContain(`Open the Outbox: ${e2e.url('/outbox')}`);
    const frame = page.getByTitle('The HTML part of the email').contentFrame();
    await frame.getByText(FIRM, { exact: true }).waitFor();
    expect(await frame.getByRole('link', { name: 'Open the Outbox' }).getAttribute('href')).toBe(
      e2e.url('/outbox'),
    );
    expect(await page.getByTitle('The HTML part of the email').getAttribute('sandbox')).toBe('');

    expect(e2e.server.output()).toContain(
      `Email to ${ADMIN.email}: ${SUBJECT}\n    Open the Outbox: ${e2e.url('/outbox')}`,
    );
  });
});
