/**
 * A provider's addresses must be https: a sign-in's code and tokens travel to them. Plain http is
 * accepted only on this machine, for tests against a provider on loopback.
 */
import * as v from 'valibot';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function isProviderUrl(value: unknown): boolean {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}

/** The setting's check: `example` shows what a good value looks like. */
export const providerUrl = (example: string) =>
  v.pipe(
    v.string(),
    v.url(`must be a URL, such as ${example}`),
    v.check((s: string) => isProviderUrl(s), 'must be an https:// URL (http:// only on this machine, for testing)'),
  );
