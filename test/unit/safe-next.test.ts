/** ?next= redirects follow same-origin relative paths only. */
import { describe, expect, it } from 'vitest';
import { safeNext } from '../../src/http/safe-next.js';

describe('safeNext', () => {
  it.each(['/', '/staff', '/staff?q=a b', '/audit?before=1.abc#x'])(
    'follows the relative path %s',
    (next) => {
      expect(safeNext(next)).toBe(
        new URL(next, 'http://x').pathname +
          new URL(next, 'http://x').search +
          new URL(next, 'http://x').hash,
      );
    },
  );

  it.each([
    '//evil.example',
    '/\\evil.example',
    '\\\\evil.example',
    'https:evil.example',
    'https://evil.example',
    'http:/evil.example',
    'javascript:alert(1)',
    '/\t/evil.example',
    '/\n/evil.example',
    'evil.example',
    '',
    undefined,
    null,
  ])('refuses %j and falls back to the home page', (next) => {
    expect(safeNext(next)).toBe('/');
  });
});
