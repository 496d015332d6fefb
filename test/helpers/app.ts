/**
 * Builds the app over a test database and gives a small browser-like client: it keeps cookies,
 * sends the Origin a real browser would on unsafe methods, and reads forms back.
 */
import type { Hono } from 'hono';
import { assemble, createApp } from '../../src/app.js';
import type { Db } from '../../src/db/connect.js';
import type { Feature } from '../../src/host/index.js';
import type { Config } from '../../src/kernel/config.js';
import { type Logger, silentLogger } from '../../src/kernel/log.js';

export const BASE_URL = 'http://portico.test';

/** The tests' SECRET_KEY: fixed, so a value sealed by one app opens in another over the same database. */
export const TEST_SECRET_KEY = new Uint8Array(32).fill(7);

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    port: 3000,
    host: '127.0.0.1',
    dataDir: '/tmp/portico-test',
    databaseUrl: 'sqlite::memory:',
    baseUrl: BASE_URL,
    logLevel: 'error',
    env: 'test',
    trustProxy: true,
    secretKey: TEST_SECRET_KEY,
    // Small, so a walk can send a body past the upload path's limit.
    files: { maxBytes: 1024 * 1024, blockedExtensions: ['exe'] },
    ...overrides,
  };
}

/** The app over `db`; `features` join the core ones, as a plugin's would. */
export function buildApp(
  db: Db,
  overrides: Partial<Config> = {},
  log: Logger = silentLogger,
  features: readonly Feature[] = [],
): Hono {
  const deps = { config: testConfig(overrides), db, log };
  return createApp(deps, assemble(deps, undefined, features));
}

export type FormBody = Record<string, string | string[]>;

export function encodeForm(form: FormBody): URLSearchParams {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
  return body;
}

export class Client {
  readonly cookies = new Map<string, string>();
  constructor(
    readonly app: Hono,
    readonly origin = BASE_URL,
    readonly headers: Record<string, string> = {},
  ) {}

  async request(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    for (const [k, v] of Object.entries(this.headers)) if (!headers.has(k)) headers.set(k, v);
    const method = (init.method ?? 'GET').toUpperCase();
    if (!['GET', 'HEAD'].includes(method) && !headers.has('Origin')) headers.set('Origin', this.origin);
    if (this.cookies.size) headers.set('Cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await this.app.request(`${BASE_URL}${path}`, { ...init, method, headers });
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some(
        (a) => /max-age=0/i.test(a.trim()) || /expires=Thu, 01 Jan 1970/i.test(a.trim()),
      );
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.request(path, { headers });
  }

  /** Posts a form: fields as a browser's urlencoded form, or FormData (with files) as multipart. */
  post(
    path: string,
    form: FormBody | FormData = {},
    headers: Record<string, string> = {},
  ): Promise<Response> {
    if (form instanceof FormData) return this.request(path, { method: 'POST', body: form, headers });
    return this.request(path, {
      method: 'POST',
      body: encodeForm(form),
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    });
  }
}

/** A multipart form with one file, as a browser sends a file input (`name` "file" unless said). */
export function fileForm(content: string | Uint8Array, fileName = 'upload.csv', field = 'file'): FormData {
  const form = new FormData();
  form.append(field, new File([content], fileName, { type: 'text/csv' }));
  return form;
}

/** The text of the field error for a control, asserting it is wired up as the bar requires. */
export function fieldError(html: string, controlId: string): string | null {
  const control = html.match(
    new RegExp(`<(?:input|select|textarea|fieldset)[^>]*id="${controlId}"[^>]*>`),
  )?.[0];
  if (!control) throw new Error(`no control with id ${controlId}`);
  if (!/aria-invalid="true"/.test(control)) return null;
  const describedBy = control.match(/aria-describedby="([^"]+)"/)?.[1]?.split(' ') ?? [];
  const errorId = describedBy.find((id) => id.endsWith('-error'));
  if (!errorId) throw new Error(`${controlId} is aria-invalid but not described by an error`);
  const message = html.match(new RegExp(`<p class="field-error" id="${errorId}">([^<]*)</p>`))?.[1];
  if (!message) throw new Error(`${controlId} points at ${errorId}, which is missing`);
  return message;
}

/** The error of a checkbox group: every box is aria-invalid and described by the message. */
export function fieldsetError(html: string, name: string): string | null {
  const errorId = `f-${name}-error`;
  const message = html.match(new RegExp(`<p class="field-error" id="${errorId}">([^<]*)</p>`))?.[1] ?? null;
  if (!message) return null;
  const boxes =
    html.match(new RegExp(`<input type="(?:checkbox|radio)"[^>]*name="${name}"[^>]*>`, 'g')) ?? [];
  for (const box of boxes) {
    if (!/aria-invalid="true"/.test(box) || !new RegExp(`aria-describedby="[^"]*${errorId}`).test(box)) {
      throw new Error(`a ${name} checkbox is not marked invalid and described by ${errorId}: ${box}`);
    }
  }
  return message;
}

/** A page with what differs per request (nonce, request id) taken out, to compare two answers. */
export const comparable = (html: string) =>
  html.replace(/nonce="[^"]*"/g, '').replace(/(request id|Request id|Reference)[^<]*/gi, '');

/** A page's words as a reader sees them: tags (and the line-break hints inside addresses) removed. */
export function pageText(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&amp;', '&');
}
