/**
 * A titled card on a page that gathers parts from several features (the staff home page's "what
 * needs me"). Its heading names it for screen readers too: the section is labelled by it.
 */
import type { Child, FC } from 'hono/jsx';

export interface PanelProps {
  /** Unique on the page: the heading's id. */
  id: string;
  title: string;
  children?: Child;
}

export const Panel: FC<PanelProps> = ({ id, title, children }) => (
  <section class="panel" aria-labelledby={`${id}-title`}>
    <h2 id={`${id}-title`}>{title}</h2>
    {children}
  </section>
);
