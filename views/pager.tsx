/** Previous/next paging links that keep the current search. */
import type { FC } from 'hono/jsx';

export const Pager: FC<{
  basePath: string;
  params: Record<string, string>;
  page: number;
  pageSize: number;
  total: number;
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
        Page {p.page} of {pages} · {p.total} in all
      </span>
      {p.page > 1 ? <a href={href(p.page - 1)}>Previous page</a> : null}
      {p.page < pages ? <a href={href(p.page + 1)}>Next page</a> : null}
    </nav>
  );
};
