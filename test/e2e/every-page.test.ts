/**
 * Every page, as a screen reader and a phone would meet it: each visible form control has an
 * accessible name (a label, aria-label or aria-labelledby; a button its text), and at phone widths
 * (375 and 390 px) nothing is wider than the screen: not the page, and not a table inside its
 * scrolling frame either. Walks every page an Admin can open, the signed-out ones, and a contact's.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN,
  type BrowserSession,
  chooseClient,
  completeSetup,
  PHONE,
  printedLink,
  signIn,
  useE2E,
} from './harness.js';

const e2e = useE2E();

/** The DOM the check reads, typed for the page (the project compiles without the DOM library). */
interface Control {
  tagName: string;
  className: string;
  getBoundingClientRect(): { right: number; width: number };
  type?: string;
  id: string;
  name?: string;
  labels?: { length: number } | null;
  textContent: string | null;
  getAttribute(name: string): string | null;
  getClientRects(): { length: number };
}
interface CheckedWindow {
  innerWidth: number;
  document: {
    documentElement: { scrollWidth: number };
    querySelectorAll(selector: string): Iterable<Control>;
  };
}

/** The visible controls with no accessible name, described so a failure says which. */
function unlabelled(session: BrowserSession): Promise<string[]> {
  return session.page.evaluate(() => {
    const { document } = globalThis as unknown as CheckedWindow;
    const problems: string[] = [];
    for (const el of document.querySelectorAll('input, select, textarea, button')) {
      if (el.type === 'hidden' || el.getClientRects().length === 0) continue;
      const named =
        (el.labels?.length ?? 0) > 0 ||
        Boolean(el.getAttribute('aria-label')?.trim()) ||
        Boolean(el.getAttribute('aria-labelledby')) ||
        (el.tagName === 'BUTTON' && Boolean(el.textContent?.trim()));
      if (!named) problems.push(`<${el.tagName.toLowerCase()} id="${el.id}" name="${el.name ?? ''}">`);
    }
    return problems;
  });
}

/** What reaches past the screen's right edge: the page itself, or any element (described). */
function sideways(session: BrowserSession): Promise<string[]> {
  return session.page.evaluate(() => {
    const w = globalThis as unknown as CheckedWindow;
    const wide: string[] = [];
    const page = w.document.documentElement.scrollWidth;
    if (page > w.innerWidth) wide.push(`the page is ${page} px wide`);
    for (const el of w.document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      if (box.width > 0 && box.right > w.innerWidth + 0.5)
        wide.push(
          `<${el.tagName.toLowerCase()} class="${el.className}"> reaches ${Math.round(box.right)} px`,
        );
    }
    return wide.slice(0, 5);
  });
}

const PHONES = [PHONE, { ...PHONE, viewport: { width: 390, height: 844 } }];
let signInLink = '';

let pages: string[] = [];

beforeAll(async () => {
  const { page } = e2e;
  await completeSetup(page, e2e.server);
  // A group and a second person, so their pages exist too.
  await page.goto(e2e.url('/groups/new'));
  await page.getByLabel('Group name').fill('Partners');
  await page.getByRole('button', { name: 'Save group' }).click();
  await page.waitForURL(/\/groups\/[a-z0-9]+$/);
  const group = new URL(page.url()).pathname;
  await page.goto(e2e.url('/staff'));
  await page.getByRole('link', { name: `${ADMIN.firstName} ${ADMIN.lastName}` }).click();
  await page.waitForURL(/\/staff\/[a-z0-9]+$/);
  const me = new URL(page.url()).pathname;
  // Someone invited, who has not chosen a password yet: their page offers to resend the invitation.
  await page.goto(e2e.url('/staff/new'));
  await page.getByLabel('First name').fill('Linus');
  await page.getByLabel('Last name').fill('Pauling');
  await page.getByLabel('Email').fill('linus@example.com');
  await page.getByRole('button', { name: 'Add staff member' }).click();
  await page.getByLabel('Set-password link').waitFor();
  await page.goto(e2e.url('/staff'));
  await page.getByRole('link', { name: 'Linus Pauling' }).click();
  await page.waitForURL(/\/staff\/[a-z0-9]+$/);
  const invited = new URL(page.url()).pathname;
  await page.goto(e2e.url('/entities/new'));
  await page.getByLabel('Name', { exact: true }).fill('Clearwater Holdings');
  await page.getByRole('button', { name: 'Add client' }).click();
  await page.waitForURL(/\/entities\/[a-z0-9]+$/);
  const entity = new URL(page.url()).pathname;
  await page.goto(e2e.url('/contacts/new'));
  await page.getByLabel('First name').fill('Grace');
  await page.getByLabel('Last name').fill('Hopper');
  await page.getByLabel('Email (their username)').fill('grace@clearwater.example');
  await chooseClient(page, 'Clearwater Holdings');
  await page.getByRole('button', { name: 'Add contact' }).click();
  await page.waitForURL(/\/contacts\/[a-z0-9]+$/);
  const contact = new URL(page.url()).pathname;
  await page.goto(e2e.url('/contact-groups/new?search=1&name=Family&q=grace'));
  await page.getByRole('checkbox', { name: 'Grace Hopper' }).check();
  await page.getByRole('button', { name: 'Save group' }).click();
  await page.waitForURL(/\/contact-groups\/[a-z0-9]+$/);
  const contactGroup = new URL(page.url()).pathname;
  await page.goto(e2e.url('/portals/new?search=1&name=Family%20portal&eq=clear&cq=grace'));
  await page.getByRole('checkbox', { name: 'Clearwater Holdings' }).check();
  await page.getByLabel('Grace Hopper (grace@clearwater.example)').selectOption({ label: 'Full access' });
  await page.getByRole('button', { name: 'Create', exact: true }).click();
  await page.waitForURL(/\/portals\/[a-z0-9]+$/);
  const portal = new URL(page.url()).pathname;
  // Making her a member turned her Client portal on and sent her a link to it.
  signInLink = await printedLink(e2e.server, 'grace@clearwater.example');
  await page.goto(e2e.url('/settings/roles/new'));
  await page.getByLabel('Role name').fill('Bookkeepers');
  await page.getByRole('checkbox', { name: 'File: Read', exact: true }).check();
  await page.getByRole('button', { name: 'Add role' }).click();
  await page.waitForURL(/\/settings\/roles\/[a-z0-9]+$/);
  const role = new URL(page.url()).pathname;
  await page.goto(e2e.url('/outbox'));
  await page.getByRole('button', { name: 'Send a test email to yourself' }).click();
  await page.getByRole('status').waitFor();
  await page.getByRole('link', { name: /^Test email from / }).click();
  await page.waitForURL(/\/outbox\/[a-z0-9]+$/);
  const email = new URL(page.url()).pathname;
  pages = [
    '/',
    '/staff',
    '/staff/new',
    me,
    invited,
    '/groups',
    '/groups/new',
    '/entities',
    '/entities/new',
    '/entities/import',
    entity,
    `${entity}/settings`,
    '/contacts',
    '/contacts/new',
    '/contacts/client-choices?clientQ=clear',
    '/contacts/import',
    contact,
    '/contact-groups',
    '/contact-groups/new',
    contactGroup,
    `${contactGroup}?search=1&name=Family&q=hopper`,
    '/portals',
    '/portals/new',
    '/portals/new?search=1&name=Another&eq=clear&cq=hopper',
    portal,
    `${portal}/edit`,
    `${me}/entities`,
    `${me}/entities?search=1&q=clear&role=viewer`,
    `${contact}/entities`,
    `${group}/entities`,
    `${contactGroup}/entities`,
    `${entity}/access`,
    `${entity}/access?person=grace%40clearwater.example`,
    `${entity}/client-portal`,
    `${entity}/notifications`,
    group,
    '/settings',
    '/settings/roles',
    '/settings/roles/owner',
    '/settings/roles/new',
    role,
    `${role}/edit`,
    '/audit',
    '/outbox',
    email,
    '/plugins',
    '/plugins/example/settings',
    '/account',
  ];
});

describe('every page', () => {
  it('every visible control has an accessible name, signed in and signed out', async () => {
    for (const path of pages) {
      await e2e.page.goto(e2e.url(path));
      expect([path, await unlabelled(e2e.browser)]).toEqual([path, []]);
    }
    const signedOut = await e2e.openBrowser();
    for (const path of ['/sign-in', '/forgot-password', '/set-password/not-a-link', '/no-such-page']) {
      await signedOut.page.goto(e2e.url(path));
      expect([path, await unlabelled(signedOut)]).toEqual([path, []]);
    }
  });

  it.each(PHONES)(
    'nothing is wider than a phone screen $viewport.width px wide, on any page',
    async (phoneSize) => {
      const signedOut = await e2e.openBrowser(phoneSize);
      for (const path of [
        '/sign-in',
        '/sign-in/link',
        '/set-password/not-a-link',
        '/no-such-page',
        signInLink,
      ]) {
        await signedOut.page.goto(path.startsWith('http') ? path : e2e.url(path));
        expect([path, await sideways(signedOut)]).toEqual([path, []]);
      }
      const phone = await e2e.openBrowser(phoneSize);
      await signIn(phone.page, e2e.server, ADMIN);
      for (const path of pages) {
        await phone.page.goto(e2e.url(path));
        expect([path, await sideways(phone)]).toEqual([path, []]);
      }
    },
  );

  it("a contact's portal fits a phone screen too", async () => {
    const grace = await e2e.openBrowser(PHONES[1]);
    await grace.page.goto(signInLink);
    await grace.page.getByRole('button', { name: 'Sign in' }).click();
    await grace.page.waitForURL((url) => url.pathname === '/portal');
    for (const path of ['/portal', '/account']) {
      await grace.page.goto(e2e.url(path));
      expect([path, await sideways(grace)]).toEqual([path, []]);
    }
  });
});
