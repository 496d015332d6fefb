/**
 * Serves the stylesheet, the icon, the menu script and htmx (from node_modules, never a CDN). Files
 * are read once at start and sent with a long cache lifetime; their URLs carry a hash of their
 * content, so a changed file is never taken from a browser's cache.
 */
import { Hono } from 'hono';
import { servedAssets } from '../../views/assets.js';
import { publicRoute } from '../permissions/index.js';

export function staticRoutes(): Hono {
  const files = servedAssets();
  const app = new Hono();
  app.get('/static/:file', publicRoute, (c) => {
    const file = files.get(c.req.param('file'));
    if (!file) return c.notFound();
    c.header('Content-Type', file.type);
    c.header('Cache-Control', 'public, max-age=31536000, immutable');
    return c.body(file.body);
  });
  // Where browsers look for an icon by themselves (a page without the layout's link, a bookmark).
  const icon = files.get('favicon.ico')!;
  app.get('/favicon.ico', publicRoute, (c) => {
    c.header('Content-Type', icon.type);
    c.header('Cache-Control', 'public, max-age=86400');
    return c.body(icon.body);
  });
  return app;
}
