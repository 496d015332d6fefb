/**
 * The client portal's theme: the colours a firm's branding gives the pages its clients see. The
 * filter 'portal.theme' may change them; the result is checked (a colour is `#rrggbb`, nothing
 * else reaches the stylesheet) and must stay readable as links on white, or the default stays.
 * The CSP lets no inline style in, so the theme is a stylesheet of its own, `/theme.css?v=…`,
 * whose version is a hash of what it holds.
 */
import { createHash } from 'node:crypto';
import type { Context } from 'hono';
import type { FilterRegistry } from '../host/filters.js';
import type { Actor } from '../permissions/index.js';

export interface PortalTheme {
  /** Buttons, links and the focus ring: `#rrggbb`. */
  primary: string;
}

declare module '../host/filters.js' {
  interface Filters {
    /**
     * The colours of the pages a client sees (the portal, their account). A value that is not a
     * `#rrggbb` colour is ignored and the firm's default kept.
     */
    'portal.theme': { value: PortalTheme; context: { firmName: string } };
  }
}

/** Portico's own primary colour (static/app.css). */
export const DEFAULT_THEME: PortalTheme = { primary: '#1f5f8b' };

const COLOUR = /^#[0-9a-f]{6}$/i;
const WHITE = '#ffffff';

export interface ThemeSheet {
  css: string;
  /** A short hash of `css`: the stylesheet's `?v=`. */
  version: string;
}

/** The stylesheet the filtered theme gives; null when it is Portico's own (nothing to add). */
export async function portalThemeSheet(
  filters: Pick<FilterRegistry, 'apply'>,
  firmName: string,
): Promise<ThemeSheet | null> {
  const theme = await filters.apply('portal.theme', { ...DEFAULT_THEME }, { firmName });
  const primary = typeof theme?.primary === 'string' ? theme.primary.toLowerCase() : '';
  if (themeColourProblem(primary) !== null || primary === DEFAULT_THEME.primary) return null;
  // White text on the primary colour (buttons) has the same contrast as the links it passed.
  const css = `:root{--color-primary:${primary}}\n`;
  return sheets.get(css) ?? remember(css);
}

const sheets = new Map<string, ThemeSheet>();

function remember(css: string): ThemeSheet {
  const sheet = { css, version: createHash('sha256').update(css).digest('hex').slice(0, 12) };
  // A firm has one theme at a time; a handful of entries covers a change of colour.
  if (sheets.size >= 16) sheets.clear();
  sheets.set(css, sheet);
  return sheet;
}

/**
 * Why `colour` cannot be the portal's primary colour, or null when it can. Links are drawn in it on
 * white, so it must reach WCAG AA's 4.5:1 there; a setting's form shows this sentence.
 */
export function themeColourProblem(colour: string): string | null {
  if (!COLOUR.test(colour)) return 'Enter a colour as # and six hexadecimal digits, such as #1f5f8b.';
  const ratio = contrast(colour, WHITE);
  if (ratio < 4.5)
    return `This colour is too light for links on a white page (contrast ${ratio.toFixed(1)}:1; it needs 4.5:1). Choose a darker shade.`;
  return null;
}

/** WCAG's contrast ratio of two `#rrggbb` colours. */
function contrast(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

/** WCAG 2's relative luminance. */
function luminance(colour: string): number {
  const channel = (at: number) => {
    const c = Number.parseInt(colour.slice(at, at + 2), 16) / 255;
    return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
}

/** GET /theme.css: the portal's theme; cached for good when asked for by its current version. */
export async function themeStylesheet(c: Context): Promise<Response> {
  const sheet = await portalThemeSheet(c.get('host').filters, firmNameOf(c));
  c.header('Content-Type', 'text/css; charset=utf-8');
  const current = sheet !== null && c.req.query('v') === sheet.version;
  c.header('Cache-Control', current ? 'public, max-age=31536000, immutable' : 'no-cache');
  return c.body(sheet?.css ?? '');
}

/** The theme's stylesheet URL for a page a client sees; null for staff and the default theme. */
export async function themeHrefFor(c: Context, actor: Actor | null): Promise<string | null> {
  const host = c.get('host');
  if (actor?.user.kind !== 'contact' || !host) return null;
  const sheet = await portalThemeSheet(host.filters, firmNameOf(c));
  return sheet ? `/theme.css?v=${sheet.version}` : null;
}

const firmNameOf = (c: Context) => c.get('organization')?.name ?? 'Portico';
