/**
 * Renders a page inside the shell, or only its fragment when htmx asked for part of a page:
 * pages and fragments share the same component, so there is one source of truth.
 */
import type { Context } from 'hono';
import type { Child } from 'hono/jsx';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { Shell } from '../../views/layout.js';
import { navFor } from './nav.js';

export function isFragmentRequest(c: Context): boolean {
  return c.req.header('HX-Request') === 'true' && c.req.header('HX-Request-Type') !== 'full';
}

export async function page(c: Context, title: string, body: Child, status: ContentfulStatusCode = 200) {
  const actor = c.get('actor');
  const shell = (
    <Shell
      title={title}
      nonce={c.get('nonce')}
      firmName={c.get('organization')?.name ?? null}
      nav={navFor(actor)}
      currentPath={c.req.path}
      userName={actor ? `${actor.user.first_name} ${actor.user.last_name}` : null}
      flash={c.get('flash')}
    >
      {body}
    </Shell>
  );
  // A primitive string (not hono's String object) lets @hono/node-server write it without a stream.
  return c.html(`<!DOCTYPE html>${await shell.toString()}`, status);
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
    ? c.html(`${await (<>{fragment}</>).toString()}`, status)
    : page(c, title, wrap(fragment), status);
}
