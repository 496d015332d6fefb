/**
 * The files the page shell links to (the stylesheet, the icon, the menu and upload scripts, htmx
 * and tus-js-client from node_modules, never a CDN), read and hashed once. Their URLs carry a hash of their content, so a
 * changed file is never taken from a browser's cache; src/http/static.ts serves them.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding package.json, from both src/ (tests) and dist/src/ (built). */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('package.json not found above the app');
    dir = parent;
  }
  return dir;
}

export interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  /** A short hash of the content: the `?v=` that makes each release a new URL. */
  version: string;
}

// A Map, not a plain object: a name like `__proto__` or `toString` must find nothing.
let loaded: Map<string, Asset> | undefined;

/** The served files, read and hashed once. */
export function servedAssets(): Map<string, Asset> {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const asset = (file: string, type: string): Asset => {
    const body = new Uint8Array(fs.readFileSync(file));
    return { body, type, version: createHash('sha256').update(body).digest('hex').slice(0, 12) };
  };
  loaded = new Map([
    ['app.css', asset(path.join(projectRoot(), 'static', 'app.css'), 'text/css; charset=utf-8')],
    ['htmx.min.js', asset(require.resolve('htmx.org/dist/htmx.min.js'), 'text/javascript; charset=utf-8')],
    ['menu.js', asset(path.join(projectRoot(), 'static', 'menu.js'), 'text/javascript; charset=utf-8')],
    ['uploads.js', asset(path.join(projectRoot(), 'static', 'uploads.js'), 'text/javascript; charset=utf-8')],
    ['tus.min.js', asset(require.resolve('tus-js-client/dist/tus.min.js'), 'text/javascript; charset=utf-8')],
    ['icon.svg', asset(path.join(projectRoot(), 'static', 'icon.svg'), 'image/svg+xml')],
    ['favicon.ico', asset(path.join(projectRoot(), 'static', 'favicon.ico'), 'image/vnd.microsoft.icon')],
  ]);
  return loaded;
}

/** The URL of a served file, with its content hash, so a changed file is never taken from a cache. */
export function assetUrl(
  name: 'app.css' | 'htmx.min.js' | 'menu.js' | 'uploads.js' | 'tus.min.js' | 'icon.svg',
): string {
  return `/static/${name}?v=${servedAssets().get(name)!.version}`;
}
