/**
 * Renders a page inside the shell, or only its fragment when htmx asked for part of a page:
 * pages and fragments share the same component, so there is one source of truth.
 */
import type { Context } from 'hono';
import { raw } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { isCurrent, type NavItem, Shell, type ShellProps } from '../../views/layout.js';
import { toHtml } from '../../views/markup.js';
import type { Actor } from '../permissions/index.js';
import { entityWords } from './entity-words.js';
import { themeHrefFor } from './theme.js';

declare module '../host/filters.js' {
  interface Filters {
    /**
     * The navigation a signed-in person sees, after the permission module has left out what they
     * may not use: a filter may reorder, rename or leave out items, never add a place they may not use.
     */
    'nav.items': { value: NavItem[]; context: { actor: Actor } };
  }
}

import { ShellCache } from './shell-cache.js';

export { markup, toHtml } from '../../views/markup.js';

const shells = new ShellCache();

export function isFragmentRequest(c: Context): boolean {
  return c.req.header('HX-Request') === 'true' && c.req.header('HX-Request-Type') !== 'full';
}

export async function page(c: Context, title: string, body: Child, status: ContentfulStatusCode = 200) {
  const actor = c.get('actor');
  const props: Omit<ShellProps, 'nonce' | 'children'> = {
    title,
    firmName: c.get('organization')?.name ?? null,
    nav: await navOf(c, actor),
    currentPath: c.get('navPath') ?? c.req.path,
    userName: actor ? `${actor.user.first_name} ${actor.user.last_name}` : null,
    flash: c.get('flash'),
    theme: await themeHrefFor(c, actor),
  };
  const render = (nonce: string, main: string) =>
    toHtml(
      <Shell {...props} nonce={nonce}>
        {raw(main)}
      </Shell>,
    );
  const main = await toHtml(body);
  const nonce = c.get('nonce');
  // A flash message is shown once; caching shells that carry one would only fill the cache.
  const html = props.flash
    ? await render(nonce, main)
    : await shells.assemble(shellKey(props), nonce, main, render);
  return c.html(`<!DOCTYPE html>${html}`, status);
}

/** The navigation the features registered, as far as this person may use it, through the filter 'nav.items'. */
async function navOf(c: Context, actor: Actor | null): Promise<NavItem[]> {
  const host = c.get('host');
  if (!host || !actor) return [];
  const items = host.nav.itemsFor(actor, entityWords(c.get('organization')?.entity_label));
  return host.filters.apply('nav.items', items, { actor });
}

/** Everything the shell's markup depends on, apart from the nonce and the main content. */
function shellKey(p: Omit<ShellProps, 'nonce' | 'children'>): string {
  // JSON keeps the parts apart whatever characters a name or title holds.
  return JSON.stringify([
    p.title,
    p.theme,
    p.firmName,
    p.userName,
    p.nav.map((item) => [item.href, item.label, item.section, isCurrent(p.currentPath, item.href)]),
  ]);
}
/** The fragment alone for htmx, the whole page otherwise. */
export async function pageOrFragment(
  c: Context,
  title: string,
  fragment: Child,
  wrap: (fragment: Child) => Child,
  status: ContentfulStatusCode = 200,
) {
  return isFragmentRequest(c)
    ? c.html(await toHtml(fragment), status)
    : page(c, title, wrap(fragment), status);
}
