/** Calm, readable error pages: what happened and what to do, never a stack trace. */
import type { FC } from 'hono/jsx';

export const ErrorPanel: FC<{ status: number; title: string; message: string; requestId?: string }> = (p) => (
  <section class="error-page" aria-labelledby="error-title">
    <h1 id="error-title">{p.title}</h1>
    <p>{p.message}</p>
    {p.requestId ? (
      <p class="hint">
        Reference: <code>{p.requestId}</code>
      </p>
    ) : null}
    <p>
      <a href="/">Go to the home page</a>
    </p>
  </section>
);

export const ERRORS = {
  403: {
    title: 'You do not have access',
    message: 'Your account is not allowed to do this. Ask an Admin if you need it.',
  },
  404: {
    title: 'Page not found',
    message: 'There is nothing here. It may have been removed, or the link may be wrong.',
  },
  500: {
    title: 'Something went wrong',
    message: 'We could not finish this request. Nothing was half saved. Please try again in a moment.',
  },
} as const;
