/**
 * The page shell: header with the firm's name, navigation of only what the user may use (the
 * administrative places under one Admin menu), flash message, main content. htmx, the menu script
 * and the stylesheet are served by the app itself, the scripts under the CSP nonce. Every menu is a
 * <details>, so the navigation works without JavaScript.
 */
import { html } from 'hono/html';
import type { Child, FC } from 'hono/jsx';
import { assetUrl } from './assets.js';

/** A one-line message shown once at the top of the next page ("Saved.", "Could not send."). */
export interface Flash {
  kind: 'success' | 'error';
  text: string;
}

export interface NavItem {
  href: string;
  label: string;
  /** 'main' shows in the bar; 'admin' under the Admin menu. */
  section: 'main' | 'admin';
}

export interface ShellProps {
  title: string;
  nonce: string;
  firmName: string | null;
  nav: readonly NavItem[];
  currentPath: string;
  userName: string | null;
  flash: Flash | null;
  /** The client portal's theme stylesheet (src/http/theme.ts), after app.css; null for none. */
  theme?: string | null;
  children?: Child;
}

/**
 * The head is written with hono's `html` helper, not JSX: hono/jsx renders <head>, <title>,
 * <meta>, <link> and <script> through a context whose first use starts AsyncLocalStorage, and on
 * Node 20 that puts promise hooks on every await of every request for the life of the process
 * (15 % of the home page's throughput in `npm run bench`). `html` escapes what it interpolates.
 * No inlineScriptNonce in the htmx config: htmx would stamp the page's nonce on any <script> a
 * fragment carried.
 */
export const Document: FC<{ title: string; nonce: string; theme?: string | null; children?: Child }> = ({
  title,
  nonce,
  theme,
  children,
}) => (
  <html lang="en">
    {html`<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="htmx-config" content='{"includeIndicatorCSS":false}'><title>${title}</title><link rel="icon" href="${assetUrl('icon.svg')}" type="image/svg+xml"><link rel="stylesheet" href="${assetUrl('app.css')}">${theme ? html`<link rel="stylesheet" href="${theme}">` : ''}<script src="${assetUrl('htmx.min.js')}" nonce="${nonce}" defer></script><script src="${assetUrl('menu.js')}" nonce="${nonce}" defer></script><script src="${assetUrl('uploads.js')}" data-tus="${assetUrl('tus.min.js')}" nonce="${nonce}" defer></script></head>`}
    <body>{children}</body>
  </html>
);

export const FlashMessage: FC<{ flash: Flash | null }> = ({ flash }) =>
  flash ? (
    <div class={`flash flash-${flash.kind}`} role={flash.kind === 'error' ? 'alert' : 'status'}>
      {flash.text}
    </div>
  ) : null;

export const Shell: FC<ShellProps> = (p) => (
  <Document
    title={p.firmName ? `${p.title} · ${p.firmName}` : `${p.title} · Portico`}
    nonce={p.nonce}
    theme={p.theme}
  >
    <a class="skip" href="#main">
      Skip to content
    </a>
    <header class="topbar">
      <a class="brand" href="/">
        {p.firmName ?? 'Portico'}
      </a>
      {p.userName ? (
        <>
          {/* Wide screens show the navigation; narrow ones fold it into a Menu. Only one is ever
              displayed, so assistive technology meets one navigation, not two. */}
          <div class="nav-wide">
            <MainNav items={p.nav} currentPath={p.currentPath} admin="menu" />
            <AccountLinks userName={p.userName} />
          </div>
          <details class="menu">
            <summary>Menu</summary>
            <div class="menu-panel">
              <MainNav items={p.nav} currentPath={p.currentPath} admin="group" />
              <AccountLinks userName={p.userName} />
            </div>
          </details>
        </>
      ) : null}
    </header>
    <main id="main">
      <FlashMessage flash={p.flash} />
      {p.children}
    </main>
  </Document>
);

/**
 * The bar's links, then the administrative ones: under an Admin menu on a wide screen (`menu`), or
 * as a group headed "Admin" inside the narrow screen's Menu (`group`), which is a disclosure already.
 */
const MainNav: FC<{ items: readonly NavItem[]; currentPath: string; admin: 'menu' | 'group' }> = ({
  items,
  currentPath,
  admin,
}) => {
  const adminItems = items.filter((item) => item.section === 'admin');
  const Admin = admin === 'menu' ? AdminMenu : AdminGroup;
  return (
    <nav aria-label="Main">
      <ul>
        <NavLinks items={items.filter((item) => item.section === 'main')} currentPath={currentPath} />
        {adminItems.length > 0 ? <Admin items={adminItems} currentPath={currentPath} /> : null}
      </ul>
    </nav>
  );
};

type NavListProps = { items: readonly NavItem[]; currentPath: string };

const NavLinks: FC<NavListProps> = ({ items, currentPath }) => (
  <>
    {items.map((item) => (
      <li>
        <a href={item.href} aria-current={isCurrent(currentPath, item.href) ? 'page' : undefined}>
          {item.label}
        </a>
      </li>
    ))}
  </>
);

/** Marked `current` when the page is one of its places, so the closed menu still says where you are. */
const AdminMenu: FC<NavListProps> = ({ items, currentPath }) => {
  const current = items.some((item) => isCurrent(currentPath, item.href));
  return (
    <li>
      <details class={current ? 'admin-menu current' : 'admin-menu'}>
        <summary>Admin</summary>
        <ul>
          <NavLinks items={items} currentPath={currentPath} />
        </ul>
      </details>
    </li>
  );
};

const AdminGroup: FC<NavListProps> = ({ items, currentPath }) => (
  <li class="nav-group">
    <h2 id="nav-admin">Admin</h2>
    <ul aria-labelledby="nav-admin">
      <NavLinks items={items} currentPath={currentPath} />
    </ul>
  </li>
);

const AccountLinks: FC<{ userName: string }> = ({ userName }) => (
  <div class="account">
    <span class="who">{userName}</span>
    <a href="/account">Your account</a>
    <form method="post" action="/sign-out">
      <button type="submit" class="link">
        Sign out
      </button>
    </form>
  </div>
);

export function isCurrent(path: string, href: string): boolean {
  return href === '/' ? path === '/' : path === href || path.startsWith(`${href}/`);
}
