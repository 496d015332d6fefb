/**
 * Serves the stylesheet, the icon and htmx (from node_modules, never a CDN). Files are read once at start
 * and sent with a long cache lifetime; their URLs carry a hash of their content, so a changed file
 * is never taken from a browser's cache.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Hono } from 'hono';
import { publicRoute } from '../permissions/guard.js';

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

interface Asset {
  body: Uint8Array<ArrayBuffer>;
  type: string;
  /** A short hash of the content: the `?v=` that makes each release a new URL. */
  version: string;
}

let loaded: Record<string, Asset> | undefined;

/** The served files, read and hashed once. */
function assets(): Record<string, Asset> {
  if (loaded) return loaded;
  const require = createRequire(import.meta.url);
  const asset = (file: string, type: string): Asset => {
    const body = new Uint8Array(fs.readFileSync(file));
    return { body, type, version: createHash('sha256').update(body).digest('hex').slice(0, 12) };
  };
  loaded = {
    'app.css': asset(path.join(projectRoot(), 'static', 'app.css'), 'text/css; charset=utf-8'),
    'htmx.min.js': asset(require.resolve('htmx.org/dist/htmx.min.js'), 'text/javascript; charset=utf-8'),
    'icon.svg': asset(path.join(projectRoot(), 'static', 'icon.svg'), 'image/svg+xml'),
    'favicon.ico': asset(path.join(projectRoot(), 'static', 'favicon.ico'), 'image/vnd.microsoft.icon'),
  };
  return loaded;
}

/** The URL of a served file, with its content hash, so a changed file is never taken from a cache. */
export function assetUrl(name: 'app.css' | 'htmx.min.js' | 'icon.svg'): string {
  return `/static/${name}?v=${assets()[name]!.version}`;
}

export function staticRoutes(): Hono {
  const files = assets();
  const app = new Hono();
  app.get('/static/:file', publicRoute, (c) => {
    const name = c.req.param('file');
    const file = Object.hasOwn(files, name) ? files[name] : undefined;
    if (!file) return c.notFound();
    c.header('Content-Type', file.type);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    return c.body(file.body);
  });
  // Where browsers look for an icon by themselves (a page without the layout's link, a bookmark).
  app.get('/favicon.ico', publicRoute, (c) => {
    c.header('Content-Type', files['favicon.ico']!.type);
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(files['favicon.ico']!.body);
  });
  return app;
}
