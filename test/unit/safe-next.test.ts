/** ?next= redirects follow same-origin relative paths only. */
import { describe, expect, it } from 'vitest';
import { landingPath } from '../../src/auth/sign-in-links.js';
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
    '/.//evil.example',
    '/a/..//evil.example/x',
    '/%2e%2e//evil.example',
    '/%2E//evil.example',
    'evil.example',
    '',
    undefined,
    null,
  ])('refuses %j and falls back to the home page', (next) => {
    expect(safeNext(next)).toBe('/');
  });

  it.each(['/a\\b', '/staff\x7f', '/staff\x1f', '/staff\x00'])(
    'refuses %j: a backslash or a control character anywhere',
    (next) => {
      expect(safeNext(next)).toBe('/');
    },
  );

  it('follows a path of up to 2,048 characters, and no longer', () => {
    const path = (n: number) => `/${'a'.repeat(n - 1)}`;
    expect(safeNext(path(2048))).toBe(path(2048));
    expect(safeNext(path(2049))).toBe('/');
  });

  it('falls back to the place it is given (a contact’s portal home, say)', () => {
    expect(safeNext('//evil.example', '/portal')).toBe('/portal');
    expect(safeNext(undefined, '/portal')).toBe('/portal');
    expect(safeNext('/portal?entity=a', '/')).toBe('/portal?entity=a');
  });
});

describe('throttle address keys', async () => {
  const { addressKey } = await import('../../src/auth/throttle.js');
  it.each([
    ['203.0.113.5', 'ip:203.0.113.5'],
    ['::ffff:203.0.113.5', 'ip:203.0.113.5'],
    ['2001:db8:1:2:3:4:5:6', 'ip:2001:db8:1:2::/64'],
    ['2001:db8:1:2::99', 'ip:2001:db8:1:2::/64'],
    ['2001:db8::1', 'ip:2001:db8:0:0::/64'],
  ])('keys %s as %s (IPv6 by its /64)', (ip, key) => {
    expect(addressKey(ip)).toBe(key);
  });
});

describe('landingPath (where a sign-in link lands)', () => {
  it('opens the portal at an entity named by an id', () => {
    expect(landingPath('abc123')).toBe('/portal?entity=abc123');
  });

  it.each([undefined, '', '//evil.example', 'https://evil.example', 'a&next=/x', '../staff', 'ABC'])(
    'lands on the portal home for %s',
    (entity) => {
      expect(landingPath(entity)).toBe('/portal');
    },
  );
});
