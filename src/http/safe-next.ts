/**
 * `?next=` is followed only when it is a same-origin relative path: it must start with one "/"
 * and must not be read by a browser as another host (`//evil`, `/\evil`, `https:evil`), neither
 * as given nor once its dot segments are resolved (`/.//evil`, `/a/..//evil`).
 */
export function safeNext(next: string | undefined | null, fallback = '/'): string {
  if (!next || next.length > 2048) return fallback;
  if (!next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return fallback;
  // Browsers drop tabs and newlines inside URLs, so "/\t/evil" would become "//evil".
  for (const ch of next) {
    const code = ch.charCodeAt(0);
    if (code < 0x20 || code === 0x7f || ch === '\\') return fallback;
  }
  try {
    const base = 'http://portico.invalid';
    const url = new URL(next, base);
    if (url.origin !== base) return fallback;
    // Check what is returned, not only what came in: "/.//evil" normalises to "//evil".
    const out = url.pathname + url.search + url.hash;
    return out.startsWith('//') || out.startsWith('/\\') ? fallback : out;
  } catch {
    return fallback;
  }
}
