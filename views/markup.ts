/**
 * JSX written to strings without AsyncLocalStorage: whole fragments (`toHtml`) and pieces for
 * hono's `html` template (`markup`).
 */
import { raw } from 'hono/html';
import { type Child, Fragment, jsx } from 'hono/jsx';
import type { HtmlEscapedString, StringBufferWithCallbacks } from 'hono/utils/html';

/**
 * Renders JSX to a primitive string (hono's String object would send @hono/node-server down its
 * streaming path). Rendered through `toStringToBuffer` rather than `toString`, which wraps every
 * render in AsyncLocalStorage.run: on Node 20 that switches on promise hooks for the whole process
 * and taxes every await of every request (15 % of the home page's throughput in `npm run bench`).
 * Portico's views use no JSX context, the one thing that store is for.
 */
export async function toHtml(node: Child): Promise<string> {
  const root = jsx(Fragment, null, node);
  return renderedAtOnce(root) ?? `${await root.toString()}`;
}

/** The node's markup, when no async component is in it (none exists today); else null. */
function renderedAtOnce(root: ReturnType<typeof jsx>): string | null {
  // hono adds `callbacks` only when a child needs one; the declared type makes it look ever-present.
  const buffer = [''] as unknown as StringBufferWithCallbacks;
  root.toStringToBuffer(buffer);
  return buffer.length === 1 && !('callbacks' in buffer) ? (buffer[0] as string) : null;
}

/**
 * JSX as markup for hono's `html` template. Give `html` this, never a JSX node: `html` renders a
 * node through its `toString`, which runs in AsyncLocalStorage and so, on Node 20, switches promise
 * hooks on for the whole process for good: every await of every later request costs ~2.5× as much.
 * @example html`<span>${markup(<FileThumb file={f} shown />)}${f.name}</span>`
 */
export function markup(node: Child): HtmlEscapedString {
  const written = renderedAtOnce(jsx(Fragment, null, node));
  if (written === null) throw new Error('markup: an async component cannot be written into html``');
  return raw(written);
}
