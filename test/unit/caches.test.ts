/** The in-memory caches: a hit is exactly what a fresh build would give, and never older. */
import { describe, expect, it } from 'vitest';
import { VersionedCache } from '../../src/db/versioned-cache.js';
import { ShellCache } from '../../src/http/shell-cache.js';

describe('VersionedCache', () => {
  it('builds once per version and again when the version moves', async () => {
    const cache = new VersionedCache<string>(10);
    let builds = 0;
    const build = (v: string) => async () => {
      builds += 1;
      return v;
    };
    expect(await cache.get('k', 1, build('one'))).toBe('one');
    expect(await cache.get('k', 1, build('ignored'))).toBe('one');
    expect(builds).toBe(1);
    expect(await cache.get('k', 2, build('two'))).toBe('two');
    expect(builds).toBe(2);
  });

  it('keeps the value of the later version when an older build finishes last', async () => {
    const cache = new VersionedCache<string>(10);
    let release: () => void = () => {};
    const slow = cache.get('k', 1, () => new Promise<string>((r) => (release = () => r('old'))));
    expect(await cache.get('k', 2, async () => 'new')).toBe('new');
    release();
    expect(await slow).toBe('old');
    expect(await cache.get('k', 2, async () => 'rebuilt')).toBe('new');
  });

  it('holds at most maxEntries keys, dropping the oldest', async () => {
    const cache = new VersionedCache<string>(2);
    await cache.get('a', 1, async () => 'a');
    await cache.get('b', 1, async () => 'b');
    await cache.get('c', 1, async () => 'c');
    expect(await cache.get('a', 1, async () => 'a again')).toBe('a again');
    expect(await cache.get('c', 1, async () => 'c again')).toBe('c');
  });
});

describe('ShellCache', () => {
  const render = async (nonce: string, body: string) => `<head nonce="${nonce}"></head><main>${body}</main>`;

  it('assembles exactly what a fresh render gives, for any nonce and body', async () => {
    const shells = new ShellCache();
    for (const [nonce, body] of [
      ['n1', '<p>one</p>'],
      ['n2', '<p>two</p>'],
    ] as const) {
      expect(await shells.assemble('key', nonce, body, render)).toBe(await render(nonce, body));
    }
  });

  it('keeps a shell that carries the nonce in several places (one per script), and fills each', async () => {
    const shells = new ShellCache();
    let renders = 0;
    const twice = async (nonce: string, body: string) => {
      renders += 1;
      return `${nonce}|${nonce}|${body}|`;
    };
    expect(await shells.assemble('k', 'n', 'b', twice)).toBe('n|n|b|');
    expect(await shells.assemble('k', 'm', 'c', twice)).toBe('m|m|c|');
    // Two probes with placeholders, then none: each call was assembled from the kept pieces.
    expect(renders).toBe(2);
  });

  it('renders afresh, every time, a shell that does not simply paste in the nonce it was given', async () => {
    const shells = new ShellCache();
    let renders = 0;
    const shouting = async (nonce: string, body: string) => {
      renders += 1;
      return `${nonce.toUpperCase()}|${body}`;
    };
    expect(await shells.assemble('k', 'n', 'b', shouting)).toBe('N|b');
    expect(await shells.assemble('k', 'm', 'c', shouting)).toBe('M|c');
    // Two probes with placeholders, then a real render for each call.
    expect(renders).toBe(4);
  });
});
