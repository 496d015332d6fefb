/**
 * Serves the stylesheet and htmx (from node_modules, never a CDN). Files are read once at start
 * and sent with a long cache lifetime; their URLs carry a version so a release busts the cache.
 */
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

export function staticRoutes(): Hono {
  const require = createRequire(import.meta.url);
  const files: Record<string, { body: string; type: string }> = {
    'app.css': {
      body: fs.readFileSync(path.join(projectRoot(), 'static', 'app.css'), 'utf8'),
      type: 'text/css; charset=utf-8',
    },
    'htmx.min.js': {
      body: fs.readFileSync(require.resolve('htmx.org/dist/htmx.min.js'), 'utf8'),
      type: 'text/javascript; charset=utf-8',
    },
  };
  const app = new Hono();
  app.get('/static/:file', publicRoute, (c) => {
    const file = files[c.req.param('file')];
    if (!file) return c.notFound();
    c.header('Content-Type', file.type);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    return c.body(file.body);
  });
  return app;
}
