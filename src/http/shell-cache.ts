/**
 * The page shell (head, header, navigation) is the same for every page a person opens with the
 * same title and navigation; only the CSP nonce and the main content differ. Rendering it through
 * JSX on every request cost as much as the rest of a page, so each distinct shell is rendered once
 * with placeholders and kept as three strings. Everything that shapes the shell is in the key, so
 * a hit is byte-for-byte what a fresh render would give.
 */
const NONCE = '\u0000shell-nonce\u0000';
const BODY = '\u0000shell-body\u0000';
const MAX_ENTRIES = 1000;

/** [before the nonce, between nonce and body, after the body] */
type Parts = readonly [string, string, string];

export class ShellCache {
  readonly #entries = new Map<string, Parts | null>();

  /**
   * `render(nonce, body)` renders the shell; it is called with placeholders on a miss. A shell whose
   * own text happened to contain a placeholder is never cached (`null`), and rendered afresh.
   */
  async assemble(
    key: string,
    nonce: string,
    body: string,
    render: (nonce: string, body: string) => Promise<string>,
  ): Promise<string> {
    let parts = this.#entries.get(key);
    if (parts === undefined) {
      parts = split(await render(NONCE, BODY));
      if (this.#entries.size >= MAX_ENTRIES)
        this.#entries.delete(this.#entries.keys().next().value as string);
      this.#entries.set(key, parts);
    }
    if (parts === null) return render(nonce, body);
    return parts[0] + nonce + parts[1] + body + parts[2];
  }
}

function split(html: string): Parts | null {
  const [head, rest, ...extraNonce] = html.split(NONCE);
  if (rest === undefined || extraNonce.length > 0) return null;
  const [middle, tail, ...extraBody] = rest.split(BODY);
  if (tail === undefined || extraBody.length > 0 || head!.includes(BODY)) return null;
  return [head!, middle!, tail];
}
