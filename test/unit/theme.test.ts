/**
 * The client portal's theme: only a `#rrggbb` colour readable as links on white reaches the
 * stylesheet, whatever a filter returns, and the stylesheet's version follows its content.
 */
import { describe, expect, it } from 'vitest';
import type { FilterRegistry } from '../../src/host/filters.js';
import { portalThemeSheet, themeColourProblem } from '../../src/http/theme.js';

const giving = (value: unknown) => ({ apply: async () => value }) as unknown as Pick<FilterRegistry, 'apply'>;

describe('the portal theme', () => {
  it('accepts a dark enough #rrggbb colour and nothing else', () => {
    expect(themeColourProblem('#0b5d1e')).toBeNull();
    // #767676 is the lightest grey that reaches 4.5:1 on white; #777777 does not.
    expect(themeColourProblem('#767676')).toBeNull();
    expect(themeColourProblem('#777777')).toMatch(/^This colour is too light .*contrast 4\.5:1/);
    for (const bad of ['red', '#fff', '#12345g', '#1234567', ' #0b5d1e', '#0b5d1e;}', ''])
      expect(themeColourProblem(bad)).toBe(
        'Enter a colour as # and six hexadecimal digits, such as #1f5f8b.',
      );
  });

  it('writes the filtered colour into a stylesheet whose version is its content’s', async () => {
    const green = await portalThemeSheet(giving({ primary: '#0B5D1E' }), 'Clearwater');
    expect(green?.css).toBe(':root{--color-primary:#0b5d1e}\n');
    const red = await portalThemeSheet(giving({ primary: '#8b1f1f' }), 'Clearwater');
    expect(red?.version).toMatch(/^[0-9a-f]{12}$/);
    expect(red?.version).not.toBe(green?.version);
    expect((await portalThemeSheet(giving({ primary: '#0b5d1e' }), 'Clearwater'))?.version).toBe(
      green?.version,
    );
  });

  it('adds nothing for the default colour, or for whatever else a filter returns', async () => {
    for (const value of [
      { primary: '#1f5f8b' },
      { primary: 'red;}body{display:none' },
      { primary: '#ffff00' },
      { primary: 42 },
      null,
      'theme',
    ])
      expect(await portalThemeSheet(giving(value), 'Clearwater')).toBeNull();
  });
});
