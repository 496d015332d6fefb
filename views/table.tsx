/**
 * A data table in its scrolling frame: a caption and column headings (th scope="col") so a screen
 * reader names every cell; the body rows are the children. Wide tables scroll inside the frame,
 * never the page. A `stacked` table (too many long columns for a phone) shows each row as a card
 * on a narrow screen: its cells then carry `data-label` (their column's name, shown before them)
 * and the ARIA table roles, which keep the table's meaning once CSS no longer lays it out as one.
 */
import type { Child, FC } from 'hono/jsx';

export const DataTable: FC<{
  caption: Child;
  columns: readonly Child[];
  class?: string;
  stacked?: boolean;
  children?: Child;
}> = (p) => (
  <div class="table-wrap">
    <table
      class={[p.class, p.stacked ? 'stacked' : ''].filter(Boolean).join(' ') || undefined}
      role={p.stacked ? 'table' : undefined}
    >
      <caption>{p.caption}</caption>
      <thead role={p.stacked ? 'rowgroup' : undefined}>
        <tr role={p.stacked ? 'row' : undefined}>
          {p.columns.map((column) => (
            <th scope="col" role={p.stacked ? 'columnheader' : undefined}>
              {column}
            </th>
          ))}
        </tr>
      </thead>
      {p.children}
    </table>
  </div>
);

/**
 * The ARIA roles a stacked table's body rows and cells carry (spread them on `tr` and `td`): their
 * implicit roles, made explicit because some browsers drop a table's roles once CSS shows its rows
 * as cards.
 */
export const STACKED_ROWGROUP = { role: 'rowgroup' } as const;
export const STACKED_ROW = { role: 'row' } as const;
export const STACKED_CELL = { role: 'cell' } as const;
