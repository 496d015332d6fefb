/**
 * A data table in its scrolling frame: a caption and column headings (th scope="col") so a screen
 * reader names every cell; the body rows are the children. Wide tables scroll inside the frame,
 * never the page.
 */
import type { Child, FC } from 'hono/jsx';

export const DataTable: FC<{
  caption: Child;
  columns: readonly Child[];
  class?: string;
  children?: Child;
}> = (p) => (
  <div class="table-wrap">
    <table class={p.class}>
      <caption>{p.caption}</caption>
      <thead>
        <tr>
          {p.columns.map((column) => (
            <th scope="col">{column}</th>
          ))}
        </tr>
      </thead>
      {p.children}
    </table>
  </div>
);
