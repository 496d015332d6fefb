/**
 * The page shell: header with the firm's name, navigation of only what the user may use, flash
 * message, main content. htmx and the stylesheet are served by the app itself, under the CSP nonce.
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
}

export interface ShellProps {
  title: string;
  nonce: string;
  firmName: string | null;
  nav: readonly NavItem[];
  currentPath: string;
  userName: string | null;
  flash: Flash | null;
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
export const Document: FC<{ title: string; nonce: string; children?: Child }> = ({
  title,
  nonce,
  children,
}) => (
  <html lang="en">
    {html`<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="htmx-config" content='{"includeIndicatorCSS":false}'><title>${title}</title><link rel="icon" href="${assetUrl('icon.svg')}" type="image/svg+xml"><link rel="stylesheet" href="${assetUrl('app.css')}"><script src="${assetUrl('htmx.min.js')}" nonce="${nonce}" defer></script></head>`}
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
  <Document title={p.firmName ? `${p.title} · ${p.firmName}` : `${p.title} · Portico`} nonce={p.nonce}>
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
            <MainNav items={p.nav} currentPath={p.currentPath} />
            <AccountLinks userName={p.userName} />
          </div>
          <details class="menu">
            <summary>Menu</summary>
            <MainNav items={p.nav} currentPath={p.currentPath} />
            <AccountLinks userName={p.userName} />
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

const MainNav: FC<{ items: readonly NavItem[]; currentPath: string }> = ({ items, currentPath }) => (
  <nav aria-label="Main">
    <ul>
      {items.map((item) => (
        <li>
          <a href={item.href} aria-current={isCurrent(currentPath, item.href) ? 'page' : undefined}>
            {item.label}
          </a>
        </li>
      ))}
    </ul>
  </nav>
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
