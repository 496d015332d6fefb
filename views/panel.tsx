/**
 * A titled card on a page that gathers parts from several features (the staff home page's "what
 * needs me"). Its heading names it for screen readers too: the section is labelled by it.
 *
 * Written with hono's `html`, which escapes as JSX does: every staff home page writes several, and
 * JSX cost several µs more a page (`npm run bench`, panels filled/empty). A JSX body goes through
 * `markup()`, never into `html` as it is (see markup).
 */
import { html } from 'hono/html';
import type { Child } from 'hono/jsx';
import type { HtmlEscapedString } from 'hono/utils/html';
import { markup } from './markup.js';

export interface PanelProps {
  /** Unique on the page: the heading's id. */
  id: string;
  title: string;
  children?: Child;
}

/** A string is escaped by `html` (unless it is markup already); anything else is written as JSX. */
const bodyOf = (children: Child): string | HtmlEscapedString =>
  typeof children === 'string' || children instanceof String ? (children as string) : markup(children);

// `html` answers a Promise only when given one, and nothing here is.
export const Panel = ({ id, title, children }: PanelProps) =>
  html`<section class="panel" aria-labelledby="${id}-title"><h2 id="${id}-title">${title}</h2>${bodyOf(children)}</section>` as HtmlEscapedString;

/** The panels side by side, in the order given. */
export const Panels = ({ panels }: { panels: readonly PanelProps[] }) =>
  html`<div class="panels">${panels.map((p) => Panel(p))}</div>` as HtmlEscapedString;
