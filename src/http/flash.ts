/**
 * One-shot messages carried across a redirect in a short-lived cookie, shown once and cleared.
 * The text is rendered through JSX, so a forged cookie can only ever show escaped text.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { Flash } from '../../views/layout.js';
import { readCookie } from './cookies.js';

const COOKIE = 'portico_flash';

export function setFlash(c: Context, kind: Flash['kind'], text: string): void {
  // hono's setCookie URI-encodes the value; readCookie hands it back raw, so parse decodes it.
  setCookie(c, COOKIE, JSON.stringify({ kind, text }), {
    httpOnly: true,
    sameSite: 'Lax',
    path: '/',
    maxAge: 60,
  });
}

function parse(raw: string): Flash | null {
  try {
    const value = JSON.parse(decodeURIComponent(raw)) as Partial<Flash>;
    if ((value.kind === 'success' || value.kind === 'error') && typeof value.text === 'string') {
      return { kind: value.kind, text: value.text.slice(0, 300) };
    }
  } catch {}
  return null;
}

export const flashMiddleware: MiddlewareHandler = async function flash(c, next) {
  const raw = readCookie(c, COOKIE);
  c.set('flash', raw ? parse(raw) : null);
  if (raw) deleteCookie(c, COOKIE, { path: '/' });
  await next();
};
