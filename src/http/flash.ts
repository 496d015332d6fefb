/**
 * One-shot messages carried across a redirect in a short-lived cookie, shown once and cleared.
 * The text is rendered through JSX, so a forged cookie can only ever show escaped text.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Flash } from './context.js';

const COOKIE = 'portico_flash';

export function setFlash(c: Context, kind: Flash['kind'], text: string): void {
  setCookie(c, COOKIE, encodeURIComponent(JSON.stringify({ kind, text })), {
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
  // Most requests carry no flash: skip parsing the Cookie header for them.
  const raw = c.req.header('Cookie')?.includes(`${COOKIE}=`) ? getCookie(c, COOKIE) : undefined;
  c.set('flash', raw ? parse(raw) : null);
  if (raw) deleteCookie(c, COOKIE, { path: '/' });
  await next();
};
