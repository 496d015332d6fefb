/** Links to a page's further actions (e.g. "Assign to clients"), under its heading. */
import type { FC } from 'hono/jsx';

export interface ActionLink {
  href: string;
  label: string;
}

export const ActionLinks: FC<{ links: readonly ActionLink[] }> = ({ links }) =>
  links.length ? (
    <ul class="action-links">
      {links.map((l) => (
        <li>
          <a href={l.href}>{l.label}</a>
        </li>
      ))}
    </ul>
  ) : null;
