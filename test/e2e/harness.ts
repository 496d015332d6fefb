/**
 * Shared harness for the browser tests: the built server as a real child process over a fresh
 * data folder, Debian's Chromium (driven by playwright-core) over a fresh profile, a check that no
 * page broke the Content-Security-Policy or threw, and a screenshot of every failing test in
 * test-results/. Each test file calls `useE2E()` once and gets its own server and browser.
 *
 * Controls are found by role and label, as a screen reader would; helpers for the flows several
 * files share (setup, sign in, the menus) are at the end.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Locator,
  type Page,
  type Response,
} from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect, type TestContext } from 'vitest';
import { startSmtp, type TestSmtp } from '../helpers/mail.js';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RESULTS_DIR = path.join(ROOT, 'test-results');
const SERVER_ENTRY = path.join(ROOT, 'dist', 'src', 'server.js');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** The window size the flows run at: a desktop; layout.test.ts covers phone width. */
export const FLOW_VIEWPORT = { width: 1280, height: 800 } as const;
export const PHONE = { viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true } as const;

/** Milliseconds any one Playwright action or wait may take before the test fails. */
const ACTION_TIMEOUT = 10_000;

/**
 * The browser globals the tests touch inside `page.evaluate` callbacks. The project compiles
 * without the DOM library, so a callback casts `globalThis` to this (the cast is type-only: the
 * callback's source runs in the page as written).
 */
export interface BrowserWindow {
  [name: string]: unknown;
  innerWidth: number;
  document: {
    documentElement: { scrollWidth: number };
    activeElement: unknown;
    body: { append(node: unknown): void };
    createElement(tag: 'script'): { textContent: string };
  };
  getComputedStyle(element: unknown): { borderCollapse: string; color: string };
}

// ---------------------------------------------------------------------------------------------
// The server

export interface RunningServer {
  baseUrl: string;
  /** The first-run link printed on stdout: `<baseUrl>/setup?token=<token>`. */
  setupUrl: string;
  setupToken: string;
  /** Everything the process has written to stdout and stderr so far. */
  output(): string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts `node dist/src/server.js` on a free port over a fresh SQLite data folder; `extraEnv` adds
 * to (or overrides) its environment, e.g. SMTP_URL and MAIL_FROM to send email to a test server.
 */
export async function startServer(extraEnv: Record<string, string> = {}): Promise<RunningServer> {
  if (!fs.existsSync(SERVER_ENTRY)) {
    throw new Error(`${SERVER_ENTRY} is missing: run \`npm run build\` first (npm run test:e2e does).`);
  }
  // A test may choose the port itself (PORT and BASE_URL in extraEnv), when what it starts first
  // must know the app's address (an OpenID provider's redirect URIs).
  const port = extraEnv.PORT ? Number(extraEnv.PORT) : await freePort();
  const baseUrl = extraEnv.BASE_URL ?? `http://127.0.0.1:${port}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-e2e-data-'));
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    BASE_URL: baseUrl,
    LOG_LEVEL: 'warn',
    NODE_ENV: 'test',
    // The browser tests run with the example plugin (off until an Admin saves its setting).
    PLUGINS: 'example',
    ...extraEnv,
  };
  // Always the fresh SQLite file in DATA_DIR, whatever the calling shell points at.
  delete env.DATABASE_URL;
  delete env.TRUST_PROXY;

  const child = spawn(process.execPath, [SERVER_ENTRY], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    output += chunk;
  });

  // Should the test run itself be killed, do not leave the server behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited(child);
      clearTimeout(killed);
    }
    fs.rmSync(dataDir, { recursive: true, force: true });
  };

  try {
    const link = new RegExp(`${baseUrl.replace(/[.]/g, '\\.')}/setup\\?token=([A-Za-z0-9_-]+)`);
    const setupToken = await waitFor('the setup link on the server’s stdout', 20_000, async () => {
      if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
      return output.match(link)?.[1];
    });
    // The link is printed just before the server starts listening: wait until it answers.
    await waitFor('the server to answer /healthz', 20_000, async () => {
      if (child.exitCode !== null) throw new Error(`the server exited with code ${child.exitCode}`);
      const res = await fetch(`${baseUrl}/healthz`).catch(() => null);
      return res?.ok ? true : undefined;
    });
    return {
      baseUrl,
      setupUrl: `${baseUrl}/setup?token=${setupToken}`,
      setupToken,
      output: () => output,
      stop,
    };
  } catch (error) {
    await stop();
    throw new Error(`Portico did not start: ${(error as Error).message}\n--- server output ---\n${output}`);
  }
}

async function waitFor<T>(what: string, ms: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

// ---------------------------------------------------------------------------------------------
// The browser

export interface BrowserSession {
  context: BrowserContext;
  /** The window the profile opened with. */
  page: Page;
  close(): Promise<void>;
}

/**
 * Launches Chromium over a fresh temporary profile (cookies, storage and cache start empty) and
 * returns its one context. A second call is a second, separate browser: a fresh context.
 */
export async function openBrowser(options: BrowserContextOptions = {}): Promise<BrowserSession> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-e2e-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: FLOW_VIEWPORT,
      ...options,
    });
  } catch (error) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  context.setDefaultTimeout(ACTION_TIMEOUT);
  context.setDefaultNavigationTimeout(ACTION_TIMEOUT);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close().catch(() => {});
      fs.rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// One test file's server, browsers and checks

export interface E2E {
  server: RunningServer;
  /** The main browser (FLOW_VIEWPORT), opened once per file. */
  browser: BrowserSession;
  /** Its first page. */
  page: Page;
  /** Absolute URL of `pathname` on the server under test. */
  url(pathname: string): string;
  /** A further browser with its own fresh profile, watched like the main one and closed after the file. */
  openBrowser(options?: BrowserContextOptions): Promise<BrowserSession>;
  /** Returns and forgets what the watched pages reported so far (for a test that provokes one on purpose). */
  takeProblems(): string[];
}

const CSP_MESSAGE = /Content[- ]Security[- ]Policy/i;

export interface E2EOptions {
  /**
   * More environment for the server process, computed just before it starts (so a test can start
   * what the server connects to first, such as an SMTP server, and name its port).
   */
  env?: () => Promise<Record<string, string>> | Record<string, string>;
}

/**
 * Registers this file's hooks: before all tests a server and a browser; after each test a
 * screenshot of every open page when it failed (`<test name>.png` for the page used last, then
 * `<test name> (other window N).png`), then a failure if any page logged a
 * Content-Security-Policy violation or threw, or the server logged an error; after all, cleanup.
 */
export function useE2E(options: E2EOptions = {}): E2E {
  const sessions: BrowserSession[] = [];
  let problems: string[] = [];
  let serverOutputSeen = 0;
  let server: RunningServer | undefined;

  /** When each page last sent a request: the most recent one is the test's subject in a screenshot. */
  const lastActive = new WeakMap<Page, number>();
  let tick = 0;

  const watch = (session: BrowserSession) => {
    const attach = (page: Page) => {
      lastActive.set(page, ++tick);
      page.on('request', () => lastActive.set(page, ++tick));
      page.on('console', (message) => {
        if (CSP_MESSAGE.test(message.text())) {
          problems.push(`CSP violation on ${page.url()}: ${message.text()}`);
        }
      });
      page.on('pageerror', (error) => {
        problems.push(`Uncaught error on ${page.url()}: ${error.message}`);
      });
    };
    for (const page of session.context.pages()) attach(page);
    session.context.on('page', attach);
    sessions.push(session);
    return session;
  };

  const e2e: E2E = {
    get server() {
      if (!server) throw new Error('the server is not started (useE2E() hooks have not run)');
      return server;
    },
    get browser() {
      const main = sessions[0];
      if (!main) throw new Error('the browser is not open (useE2E() hooks have not run)');
      return main;
    },
    get page() {
      return e2e.browser.page;
    },
    url: (pathname: string) => new URL(pathname, e2e.server.baseUrl).href,
    openBrowser: async (options?: BrowserContextOptions) => watch(await openBrowser(options)),
    takeProblems: () => {
      const taken = problems;
      problems = [];
      return taken;
    },
  };

  beforeAll(async () => {
    fs.mkdirSync(RESULTS_DIR, { recursive: true });
    server = await startServer((await options.env?.()) ?? {});
    watch(await openBrowser());
  });

  afterEach(async (context: TestContext) => {
    // A `.fails` test (a known app bug, see its comment) fails on purpose: no screenshot for that.
    const failedAlready = context.task.result?.state === 'fail' && !context.task.fails;
    const found = e2e.takeProblems();
    const logged = server ? server.output().slice(serverOutputSeen) : '';
    serverOutputSeen += logged.length;
    const serverErrors = logged.split('\n').filter((line) => line.includes('"level":"error"'));
    if (failedAlready || found.length > 0 || serverErrors.length > 0) {
      await screenshotAll(context.task.name);
    }
    expect(found, 'pages reported CSP violations or uncaught errors').toEqual([]);
    expect(serverErrors, 'the server logged errors').toEqual([]);
  });

  afterAll(async () => {
    await Promise.all(sessions.map((s) => s.close()));
    sessions.length = 0;
    await server?.stop();
  });

  async function screenshotAll(testName: string) {
    const pages = sessions
      .flatMap((s) => s.context.pages())
      .filter((p) => !p.isClosed())
      .sort((a, b) => (lastActive.get(b) ?? 0) - (lastActive.get(a) ?? 0));
    const base = testName.replace(/[^\p{L}\p{N} .,_()-]+/gu, '_').slice(0, 150);
    await Promise.all(
      pages.map((page, i) =>
        page
          .screenshot({
            path: path.join(RESULTS_DIR, `${base}${i ? ` (other window ${i})` : ''}.png`),
            fullPage: true,
          })
          .catch(() => {}),
      ),
    );
  }

  return e2e;
}

/**
 * `useE2E` with the server sending real email, over SMTP, to a server on loopback (as the firm's
 * name); `smtp()` is that server, with every message it received.
 */
export function useE2EWithSmtp(): E2E & { smtp(): TestSmtp } {
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
  return Object.assign(e2e, {
    smtp() {
      if (!smtp) throw new Error('the SMTP server did not start');
      return smtp;
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Flows several files share

export interface Person {
  firstName: string;
  lastName: string;
  email: string;
  password: string;
}

export const ADMIN: Person = {
  firstName: 'Ada',
  lastName: 'Lovelace',
  email: 'ada@example.com',
  password: 'analytical-engine-1843',
};
export const FIRM = 'Lovelace & Babbage LLP';

/** The staff the flows add. Functions, so a file that changes a password gets its own copy. */
export const makeGrace = (): Person => ({
  firstName: 'Grace',
  lastName: 'Hopper',
  email: 'grace@example.com',
  password: 'cobol-compiler-1959',
});
export const makeLinus = (): Person => ({
  firstName: 'Linus',
  lastName: 'Pauling',
  email: 'linus@example.com',
  password: 'vitamin-c-and-bonds',
});

/** The one generic answer to every failed sign-in. */
export const GENERIC_SIGN_IN_FAILURE = 'That email and password do not match an account that can sign in.';

/** Fills the first-run setup form opened from the console link, and waits for the home page. */
export async function completeSetup(page: Page, server: RunningServer, admin = ADMIN, firm = FIRM) {
  await page.goto(server.setupUrl);
  await page.getByLabel('Firm name').fill(firm);
  await page.getByLabel('First name').fill(admin.firstName);
  await page.getByLabel('Last name').fill(admin.lastName);
  await page.getByLabel('Email').fill(admin.email);
  await page.getByLabel('Password', { exact: true }).fill(admin.password);
  await page.getByLabel('Repeat password').fill(admin.password);
  await page.getByRole('button', { name: 'Create firm and Admin' }).click();
  await page.waitForURL(`${server.baseUrl}/`);
  await page.getByRole('heading', { name: `Welcome, ${admin.firstName}` }).waitFor();
}

/** Clicks a form's submit button and waits for the page the POST answered with; returns that answer. */
export async function submit(page: Page, button: Locator): Promise<Response> {
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.request().method() === 'POST' && r.request().isNavigationRequest()),
    button.click(),
  ]);
  await page.waitForLoadState();
  return response;
}

/** Signs in from the sign-in page (opening it first) and waits to leave it. */
export async function signIn(page: Page, server: RunningServer, person: Person) {
  if (new URL(page.url()).pathname !== '/sign-in') await page.goto(`${server.baseUrl}/sign-in`);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/sign-in');
}

/** Opens the Menu if its toggle is shown and the navigation is not (narrow windows). */
export async function openMenu(page: Page) {
  const nav = page.getByRole('navigation', { name: 'Main' });
  const toggle = page.getByText('Menu', { exact: true });
  if ((await toggle.isVisible()) && !(await nav.isVisible())) await toggle.click();
  await nav.waitFor();
}

/**
 * Opens the Admin menu if it is shown closed (wide windows); in the narrow Menu its links are a
 * group of their own, shown with the rest.
 */
export async function openAdminMenu(page: Page) {
  const toggle = page
    .getByRole('navigation', { name: 'Main' })
    .locator('summary')
    .filter({ hasText: /^Admin$/ });
  if ((await toggle.isVisible()) && (await toggle.locator('xpath=..').getAttribute('open')) === null) {
    await toggle.click();
  }
}

/**
 * A link of the main navigation, shown as a user would show it: the Menu opened on narrow windows,
 * and the Admin menu when the link lives there.
 */
export async function navLink(page: Page, linkName: string): Promise<Locator> {
  await openMenu(page);
  const link = page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: linkName, exact: true });
  if (!(await link.isVisible())) await openAdminMenu(page);
  return link;
}

/** Follows a link of the main navigation, as a user would, and waits for the page. */
export async function goTo(page: Page, linkName: string) {
  const link = await navLink(page, linkName);
  const href = await link.getAttribute('href');
  await link.click();
  await page.waitForURL((url) => url.pathname === href);
}

/** Signs out with the button in the Menu and waits for the sign-in page. */
export async function signOut(page: Page) {
  await openMenu(page);
  await page.getByRole('banner').getByRole('button', { name: 'Sign out', exact: true }).click();
  await page.waitForURL((url) => url.pathname === '/sign-in');
}

/**
 * Staff → Add staff member with a one-time link (the default), then gives them `person.password`
 * with "Set password" on their staff page, as an Admin would for someone without email. Leaves the
 * page on their staff page and returns its path. They will be asked to choose their own password
 * when they first sign in (see `chooseOwnPassword`).
 */
export async function addStaff(page: Page, person: Person): Promise<string> {
  const name = `${person.firstName} ${person.lastName}`;
  await goTo(page, 'Staff');
  await page.getByRole('link', { name: 'Add staff member' }).click();
  await page.getByRole('heading', { name: 'Add staff member', level: 1 }).waitFor();
  await page.getByLabel('First name').fill(person.firstName);
  await page.getByLabel('Last name').fill(person.lastName);
  await page.getByLabel('Email').fill(person.email);
  await page.getByRole('radio', { name: 'Send them an invitation to choose their own password' }).check();
  await page.getByRole('button', { name: 'Add staff member' }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();

  await page.getByLabel('New password').fill(person.password);
  await page.getByRole('button', { name: 'Set password', exact: true }).click();
  await page.waitForURL(/\/staff\/[^/?]+$/);
  await page.getByRole('status').getByText('Password set. They were signed out everywhere.').waitFor();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
  return new URL(page.url()).pathname;
}

/** Clients → Add client with just a name; leaves the page on the new client's page. */
export async function addClient(page: Page, name: string) {
  await goTo(page, 'Clients');
  await page.getByRole('link', { name: 'Add client' }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Add client' }).click();
  await page.getByRole('heading', { name, level: 1 }).waitFor();
}

/**
 * Opens the Outbox and reloads it until every email with `subject` has been through the worker
 * (it polls every second), so each one's kept copy can be opened; returns the Outbox's table.
 */
export async function outboxOnceKept(page: Page, subject: string): Promise<Locator> {
  await goTo(page, 'Outbox');
  const table = page.getByRole('table', { name: /Emails, newest first/ });
  for (let i = 0; i < 40; i++) {
    const rows = (await bodyRows(table)).filter((r) => r[2] === subject);
    if (rows.length > 0 && rows.every((r) => r[3] === 'Kept, not sent')) break;
    await page.waitForTimeout(250);
    await page.reload();
  }
  return table;
}

/** The "Go to Client Portal" link the development outbox printed for the latest email to `to`. */
export async function printedLink(server: RunningServer, to: string, about?: string): Promise<string> {
  for (let i = 0; i < 40; i++) {
    // With `about`, the email that names it: an earlier one's link may be spent by the time a
    // later email (sent from a queue, so a moment after the page said so) has replaced it.
    const blocks = server
      .output()
      .split(`Email to ${to}: `)
      .slice(1)
      .filter((block) => !about || block.includes(about));
    const link = blocks.at(-1)?.match(/: (http\S+\/sign-in\/link\/\S+)/)?.[1];
    if (link) return link;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no link was printed for ${to}`);
}

/**
 * Contacts → Add contact with a client entity (found with the client picker's Find, then chosen);
 * leaves the page on the new contact's page and returns its path. The client entity gives no role
 * by itself: see `assignToClients`.
 */
export async function addContact(
  page: Page,
  contact: Pick<Person, 'firstName' | 'lastName' | 'email'>,
  client: string,
): Promise<string> {
  await goTo(page, 'Contacts');
  await page.getByRole('link', { name: 'Add contact' }).click();
  await page.getByLabel('First name').fill(contact.firstName);
  await page.getByLabel('Last name').fill(contact.lastName);
  await page.getByLabel('Email (their username)').fill(contact.email);
  await chooseClient(page, client);
  await page.getByRole('button', { name: 'Add contact' }).click();
  await page.getByRole('heading', { name: `${contact.firstName} ${contact.lastName}`, level: 1 }).waitFor();
  return new URL(page.url()).pathname;
}

/**
 * In a contact form, finds `client` with the picker (Find, which works with or without
 * JavaScript) and chooses it; the rest of the form is kept as typed.
 */
export async function chooseClient(page: Page, client: string) {
  await page.getByLabel('Find a client by name or reference').fill(client);
  await page.getByRole('button', { name: 'Find clients' }).click();
  await page.getByRole('radio', { name: client }).check();
}

/**
 * From a person's page (staff or contact), "Assign to clients": finds `search`, ticks `client` and
 * gives `role` there; waits for the confirmation naming `name`.
 */
export async function assignToClient(page: Page, name: string, search: string, client: string, role: string) {
  await page.getByRole('link', { name: 'Assign to clients' }).click();
  await page.getByLabel('Find clients (name or reference)').fill(search);
  await page.getByRole('button', { name: 'Find clients' }).click();
  await page.getByRole('checkbox', { name: client }).check();
  await page.getByRole('radio', { name: role }).check();
  await page.getByRole('button', { name: 'Share' }).click();
  await page.getByRole('status').getByText(`${name} now has ${role} at ${client}.`).waitFor();
}

/**
 * On "Your account", where signing in with a password someone else set lands: chooses `own` as
 * the new password, checks it was taken, and records it on `person`.
 */
export async function chooseOwnPassword(page: Page, person: Person, own: string) {
  await page.waitForURL((url) => url.pathname === '/account');
  await page
    .getByRole('status')
    .getByText('Your password was set by someone else. Choose your own now.')
    .waitFor();
  await page.getByLabel('Current password').fill(person.password);
  await page.getByLabel('New password', { exact: true }).fill(own);
  await page.getByLabel('Repeat new password').fill(own);
  await page.getByRole('button', { name: 'Change password' }).click();
  await page.getByRole('status').getByText('Your password is changed.').waitFor();
  person.password = own;
}

/**
 * Checks `field` shows `message` beside it as assistive technology meets it: aria-invalid="true",
 * aria-describedby naming an element that holds the message, and the message visible.
 */
export async function expectFieldError(field: Locator, message: string) {
  expect(await field.getAttribute('aria-invalid'), 'aria-invalid').toBe('true');
  const ids = ((await field.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
  const shown: (string | undefined)[] = [];
  for (const id of ids) {
    const target = field.page().locator(`[id="${id}"]`);
    if (await target.isVisible()) shown.push((await target.textContent())?.trim());
  }
  expect(shown, 'the visible texts aria-describedby points at').toContain(message);
}

/** The texts of a table's body rows, one array of cell texts per row (the header row left out). */
export async function bodyRows(table: Locator): Promise<string[][]> {
  const rows = table.getByRole('row').filter({ has: table.page().getByRole('cell') });
  const texts: string[][] = [];
  for (const row of await rows.all())
    texts.push((await row.getByRole('cell').allInnerTexts()).map((t) => t.trim()));
  return texts;
}

/**
 * The link names of the main navigation, opening the Menu first on narrow windows; those under the
 * Admin menu follow the bar's, read without opening it.
 */
export async function navLinks(page: Page): Promise<string[]> {
  await openMenu(page);
  return page
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { includeHidden: true })
    .allTextContents();
}
