/**
 * The firm's Settings and the Audit log in a real browser: an Admin changes the firm name, the
 * label and the time zone, a blank firm name is refused beside its field, and the Audit log lists
 * the changes, filters them with and without the page's JavaScript, and refuses an end date
 * before the start date beside the "To date" field. Settings and the Audit log each have a server
 * of their own, and each test starts from a state its own hooks make, never from another test's.
 */
import type { Locator } from 'playwright-core';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ADMIN,
  type BrowserWindow,
  bodyRows,
  completeSetup,
  type E2E,
  expectFieldError,
  FIRM,
  goTo,
  signIn,
  submit,
  useE2E,
} from './harness.js';

const NEW_FIRM = 'Babbage, Lovelace & Partners';
const ADMIN_LABEL = `${ADMIN.firstName} ${ADMIN.lastName} <${ADMIN.email}>`;
const LABEL = 'Label for client workspaces';
const DATE_ORDER = 'The end date is before the start date.';

async function openSettings(e2e: E2E) {
  const { page } = e2e;
  await goTo(page, 'Settings');
  await page.getByRole('heading', { name: 'Settings', level: 1 }).waitFor();
}

/** Saves the three settings through the form, as an Admin would. */
async function saveSettings(e2e: E2E, firm: string, label: string, timeZone: string) {
  const { page } = e2e;
  await openSettings(e2e);
  await page.getByLabel('Firm name').fill(firm);
  await page.getByLabel(LABEL).selectOption(label);
  await page.getByLabel('Time zone').selectOption(timeZone);
  await page.getByRole('button', { name: 'Save settings' }).click();
  await page.getByRole('status').getByText('Settings saved.').waitFor();
}

/** The audit table's rows as [what, who, object, changes…] (the time left out). */
async function auditRows(table: Locator) {
  return (await bodyRows(table)).map(([, who, what, object, changes]) => [
    what,
    who,
    object,
    ...(changes ?? '').split('\n').filter(Boolean),
  ]);
}

describe('Settings', () => {
  const e2e = useE2E();
  beforeAll(async () => {
    await completeSetup(e2e.page, e2e.server);
  });
  // Each test starts from the firm as setup left it.
  beforeEach(async () => {
    await saveSettings(e2e, FIRM, 'Client', 'UTC');
  });

  it('an Admin changes the firm name, the label and the time zone; the header shows the new name', async () => {
    const { page } = e2e;
    await openSettings(e2e);
    expect(await page.getByLabel('Firm name').inputValue()).toBe(FIRM);
    expect(await page.getByLabel(LABEL).inputValue()).toBe('Client');
    expect(await page.getByLabel('Time zone').inputValue()).toBe('UTC');

    await page.getByLabel('Firm name').fill(NEW_FIRM);
    await page.getByLabel(LABEL).selectOption({ label: 'Matter / Matters' });
    await page.getByLabel('Time zone').selectOption('Europe/London');
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').getByText('Settings saved.').waitFor();

    const banner = page.getByRole('banner');
    expect(await banner.getByRole('link', { name: NEW_FIRM }).isVisible()).toBe(true);
    expect(await banner.getByRole('link', { name: FIRM }).count()).toBe(0);
    expect(await page.title()).toBe(`Settings · ${NEW_FIRM}`);

    // Saved, not just shown: a fresh visit to another page and back has them.
    await goTo(page, 'Home');
    expect(await page.getByRole('banner').getByRole('link', { name: NEW_FIRM }).isVisible()).toBe(true);
    await openSettings(e2e);
    expect(await page.getByLabel('Firm name').inputValue()).toBe(NEW_FIRM);
    expect(await page.getByLabel(LABEL).inputValue()).toBe('Matter');
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Europe/London');
  });

  it('a blank firm name is refused beside the field, keeping the other values', async () => {
    const { page } = e2e;
    await openSettings(e2e);
    await page.getByLabel('Firm name').fill('   ');
    await page.getByLabel(LABEL).selectOption('Case');
    await page.getByLabel('Time zone').selectOption('America/New_York');
    const answer = await submit(page, page.getByRole('button', { name: 'Save settings' }));
    expect(answer.status()).toBe(422);

    await expectFieldError(page.getByLabel('Firm name'), 'Enter the firm name.');
    expect(await page.getByLabel(LABEL).getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByLabel('Time zone').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByLabel(LABEL).inputValue()).toBe('Case');
    expect(await page.getByLabel('Time zone').inputValue()).toBe('America/New_York');
    // Nothing was saved: the header keeps the firm's name.
    expect(await page.getByRole('banner').getByRole('link', { name: FIRM }).isVisible()).toBe(true);

    // The Admin puts the name back and saves the rest.
    await page.getByLabel('Firm name').fill(FIRM);
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').getByText('Settings saved.').waitFor();
    expect(await page.getByLabel('Firm name').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByLabel(LABEL).inputValue()).toBe('Case');
    expect(await page.getByLabel('Time zone').inputValue()).toBe('America/New_York');
  });
});

describe('Audit log', () => {
  const e2e = useE2E();
  // Two changes of the settings, the second after the first: what the log is read for below.
  beforeAll(async () => {
    await completeSetup(e2e.page, e2e.server);
    await saveSettings(e2e, NEW_FIRM, 'Matter', 'Europe/London');
    await saveSettings(e2e, NEW_FIRM, 'Case', 'America/New_York');
  });

  it('lists the settings changes newest first, with what changed from and to', async () => {
    const { page } = e2e;
    await goTo(page, 'Audit log');
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();
    const table = page.getByRole('table');
    expect(await table.getByRole('caption').textContent()).toBe(
      'Audit events, newest first (times in America/New_York)',
    );
    const rows = await auditRows(page.getByRole('table'));
    // Newest first; a sign-in by another test may sit between them and the top.
    expect(rows.filter(([what]) => what === 'Settings changed')).toEqual([
      [
        'Settings changed',
        ADMIN_LABEL,
        NEW_FIRM,
        'Label for client workspaces: Matter → Case',
        'Time zone: Europe/London → America/New_York',
      ],
      [
        'Settings changed',
        ADMIN_LABEL,
        NEW_FIRM,
        `Firm name: ${FIRM} → ${NEW_FIRM}`,
        'Label for client workspaces: Client → Matter',
        'Time zone: UTC → Europe/London',
      ],
    ]);
    // Setup is the oldest event.
    expect(rows.at(-1)?.[0]).toBe('Setup completed');
    const times = await table
      .locator('time')
      .evaluateAll((els) => els.map((el) => el.getAttribute('datetime')));
    expect(times.length).toBe(rows.length);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('the Action filter narrows the list with htmx, and the address follows it', async () => {
    const { page } = e2e;
    await goTo(page, 'Audit log');
    const before = await auditRows(page.getByRole('table'));
    expect(before.some(([what]) => what !== 'Settings changed')).toBe(true);

    // A mark on this document: a full page load would wipe it.
    await page.evaluate(() => {
      (globalThis as unknown as BrowserWindow).e2eSameDocument = true;
    });
    await page.getByLabel('Action').selectOption({ label: 'Settings changed' });
    const [request] = await Promise.all([
      page.waitForRequest((r) => new URL(r.url()).pathname === '/audit'),
      page.getByRole('button', { name: 'Filter' }).click(),
    ]);
    expect(request.headers()['hx-request']).toBe('true');
    expect(request.isNavigationRequest()).toBe(false);
    await expect.poll(() => new URL(page.url()).searchParams.get('action')).toBe('organization.updated');

    const rows = await auditRows(page.getByRole('table'));
    expect(rows.map(([what]) => what)).toEqual(['Settings changed', 'Settings changed']);
    expect(await page.evaluate(() => (globalThis as unknown as BrowserWindow).e2eSameDocument)).toBe(true);
    expect(await page.getByLabel('Action').inputValue()).toBe('organization.updated');

    // The pushed address gives the same list as a full page.
    await page.reload();
    expect((await auditRows(page.getByRole('table'))).map(([what]) => what)).toEqual([
      'Settings changed',
      'Settings changed',
    ]);
    expect(await page.getByLabel('Action').inputValue()).toBe('organization.updated');
  });

  it('an end date before the start date is refused beside the "To date" field (with htmx)', async () => {
    const { page } = e2e;
    await goTo(page, 'Audit log');
    await page.getByLabel('From date').fill('2026-03-10');
    await page.getByLabel('To date').fill('2026-03-01');
    const [response] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/audit'),
      page.getByRole('button', { name: 'Filter' }).click(),
    ]);
    expect(response.status()).toBe(422);
    expect(response.request().headers()['hx-request']).toBe('true');
    await page.getByText(DATE_ORDER).waitFor();

    await expectFieldError(page.getByLabel('To date'), DATE_ORDER);
    expect(await page.getByLabel('From date').getAttribute('aria-invalid')).toBeNull();
    expect(await page.getByLabel('From date').inputValue()).toBe('2026-03-10');
    expect(await page.getByLabel('To date').inputValue()).toBe('2026-03-01');
    expect(await page.getByRole('heading', { name: 'Audit log', level: 1 }).count()).toBe(1);
  });

  it('without JavaScript the filter form is an ordinary form: the Action filter and the date check work', async () => {
    const plain = await e2e.openBrowser({ javaScriptEnabled: false });
    const { page } = plain;
    await signIn(page, e2e.server, ADMIN);
    await goTo(page, 'Audit log');
    await page.getByRole('heading', { name: 'Audit log', level: 1 }).waitFor();

    await page.getByLabel('Action').selectOption({ label: 'Signed in' });
    const [request] = await Promise.all([
      page.waitForRequest((r) => new URL(r.url()).pathname === '/audit'),
      page.getByRole('button', { name: 'Filter' }).click(),
    ]);
    expect(request.isNavigationRequest()).toBe(true);
    expect(request.headers()['hx-request']).toBeUndefined();
    await page.waitForURL((url) => url.searchParams.get('action') === 'session.signed_in');
    const rows = await auditRows(page.getByRole('table'));
    // Just this browser's sign-in, and how: the Admin's first session came from setup.
    expect(rows).toEqual([['Signed in', ADMIN_LABEL, ADMIN.email, 'How: password']]);
    expect(await page.getByLabel('Action').inputValue()).toBe('session.signed_in');

    await page.getByLabel('From date').fill('2026-03-10');
    await page.getByLabel('To date').fill('2026-03-01');
    const [answer] = await Promise.all([
      page.waitForResponse(
        (r) => new URL(r.url()).pathname === '/audit' && r.request().isNavigationRequest(),
      ),
      page.getByRole('button', { name: 'Filter' }).click(),
    ]);
    expect(answer.status()).toBe(422);
    await page.waitForLoadState();
    expect(new URL(page.url()).searchParams.get('to')).toBe('2026-03-01');
    await expectFieldError(page.getByLabel('To date'), DATE_ORDER);
    expect(await page.getByLabel('From date').inputValue()).toBe('2026-03-10');
    expect(await page.getByLabel('Action').inputValue()).toBe('session.signed_in');
    await plain.close();
  });
});
