/**
 * The baseline for `npm run bench`: the smallest possible Hono app (one GET route returning a short
 * text) served by @hono/node-server, run as its own process on the port in PORT. Comparing the real
 * app with this shows what Portico's middleware, database work and rendering cost on top of the
 * framework and Node's HTTP server on the same machine in the same run.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.text('ok'));

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3100), hostname: '127.0.0.1' });
process.on('SIGTERM', () => server.close(() => process.exit(0)));
