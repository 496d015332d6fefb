/**
 * The page shell (head, header, navigation) is the same for every page a person opens with the
 * same title and navigation; only the CSP nonce (on each script the head loads) and the main content
 * differ. Rendering it through JSX on every request cost as much as the rest of a page, so each
 * distinct shell is rendered once with placeholders and kept as the text between them. Everything
 * that shapes the shell is in the key, and a shell is kept only once a second render has shown that
 * pasting values between those pieces is what rendering does, so a hit is byte-for-byte what a
 * fresh render would give.
 */
const PLACEHOLDERS = [
  { nonce: '\u0000shell-nonce-1\u0000', body: '\u0000shell-body-1\u0000' },
  { nonce: '\u0000shell-nonce-2\u0000', body: '\u0000shell-body-2\u0000' },
] as const;
const MAX_ENTRIES = 1000;

/** The shell's text around the body, each side cut where the nonce goes. */
interface Parts {
  before: readonly string[];
  after: readonly string[];
}

type Render = (nonce: string, body: string) => Promise<string>;

export class ShellCache {
  readonly #entries = new Map<string, Parts | null>();

  /**
   * `render(nonce, body)` renders the shell; it is called with placeholders on a miss. A shell that
   * does not simply carry what it was given (its own text held a placeholder, say) is never cached
   * (`null`), and rendered afresh.
   */
  async assemble(key: string, nonce: string, body: string, render: Render): Promise<string> {
    let parts = this.#entries.get(key);
    if (parts === undefined) {
      parts = await probe(render);
      if (this.#entries.size >= MAX_ENTRIES)
        this.#entries.delete(this.#entries.keys().next().value as string);
      this.#entries.set(key, parts);
    }
    if (parts === null) return render(nonce, body);
    return join(parts, nonce, body);
  }
}

async function probe(render: Render): Promise<Parts | null> {
  const [first, second] = PLACEHOLDERS;
  const [before, after, ...extraBody] = (await render(first.nonce, first.body)).split(first.body);
  if (after === undefined || extraBody.length > 0) return null;
  const parts = { before: before!.split(first.nonce), after: after.split(first.nonce) };
  return join(parts, second.nonce, second.body) === (await render(second.nonce, second.body)) ? parts : null;
}

function join(parts: Parts, nonce: string, body: string): string {
  return parts.before.join(nonce) + body + parts.after.join(nonce);
}
