/**
 * A read-only field holding something to hand on (a one-time link), with a "Copy link" button.
 * Without JavaScript the text is there to select and copy; with it, a small script under the page's
 * CSP nonce adds the button, which copies and says so. The script holds no data of the page.
 */
import { html, raw } from 'hono/html';
import type { FC } from 'hono/jsx';

// Idempotent, so a page with two fields (two scripts) gets one button each.
const SCRIPT = `for (const input of document.querySelectorAll('input[data-copy]')) {
  if (input.dataset.copyReady) continue;
  input.dataset.copyReady = '1';
  const said = document.getElementById(input.id + '-copied');
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'secondary';
  button.textContent = input.dataset.copy;
  button.addEventListener('click', async () => {
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
      said.textContent = 'Copied.';
    } catch {
      said.textContent = document.execCommand('copy') ? 'Copied.' : 'Select the text and copy it.';
    }
  });
  input.after(button);
}`;

export const CopyField: FC<{ id: string; label: string; value: string; button: string; nonce: string }> = (
  p,
) => (
  <div class="field">
    <label for={p.id}>{p.label}</label>
    <input id={p.id} type="text" readonly value={p.value} data-copy={p.button} />
    <span id={`${p.id}-copied`} aria-live="polite" />
    {/* hono/html, not a JSX <script>: see views/layout.tsx on what JSX head elements cost. */}
    {html`<script nonce="${p.nonce}">${raw(SCRIPT)}</script>`}
  </div>
);
