/**
 * A directory's search form: an ordinary GET form without JavaScript, and with htmx a live search
 * that swaps only the results (refusals replace the page's main content instead).
 */
import type { FC } from 'hono/jsx';
import { SHOW_REFUSALS_IN_MAIN } from './htmx.js';

export const SearchBox: FC<{ action: string; id: string; label: string; q: string; results: string }> = (
  p,
) => (
  <search>
    <form method="get" action={p.action} class="search">
      <label for={p.id}>{p.label}</label>
      <input
        id={p.id}
        type="search"
        name="q"
        value={p.q}
        hx-get={p.action}
        hx-trigger="input changed delay:300ms"
        hx-target={`#${p.results}`}
        hx-swap="outerHTML"
        {...SHOW_REFUSALS_IN_MAIN}
        hx-push-url="true"
      />
      <button type="submit">Search</button>
    </form>
  </search>
);
