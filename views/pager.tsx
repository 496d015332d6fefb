/** Previous/next paging links that keep the current search. */
import type { FC } from 'hono/jsx';

export const Pager: FC<{
  basePath: string;
  params: Record<string, string>;
  page: number;
  pageSize: number;
  total: number;
  /** The total is a floor (a count that stopped at a cap): the last page is not known. */
  totalIsAtLeast?: boolean;
}> = (p) => {
  const pages = Math.max(1, Math.ceil(p.total / p.pageSize));
  const href = (n: number) => {
    const q = new URLSearchParams({
      ...Object.fromEntries(Object.entries(p.params).filter(([, v]) => v)),
      page: String(n),
    });
    return `${p.basePath}?${q}`;
  };
  return (
    <nav class="pager" aria-label="Pages">
      <span>
        {p.totalIsAtLeast ? (
          <>
            Page {p.page} · more than {(p.total - 1).toLocaleString('en-GB')} in all
          </>
        ) : (
          <>
            Page {p.page} of {pages} · {p.total} in all
          </>
        )}
      </span>
      {p.page > 1 ? <a href={href(p.page - 1)}>Previous page</a> : null}
      {p.page < pages || (p.totalIsAtLeast && p.page * p.pageSize < p.total) ? (
        <a href={href(p.page + 1)}>Next page</a>
      ) : null}
    </nav>
  );
};
