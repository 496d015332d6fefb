/**
 * The baseline for the benches: the smallest possible Hono app, served by @hono/node-server, run as
 * its own process on the port in PORT. Comparing the real app with this shows what Portico's
 * middleware, database work and rendering cost on top of the framework and Node's HTTP server on
 * the same machine in the same run.
 *   - `GET /` answers a short text (`npm run bench`, the listing rows of `npm run bench:files`).
 *   - With BARE_DIR set (`npm run bench:files`): `POST /copy` streams the request's body to a new
 *     file in BARE_DIR, fsynced, then removes it, as the app's store does with a copy of content it
 *     already holds; `GET /copy` streams BARE_DIR/bare-copy.bin (the bench links the app's stored
 *     blob there). A bare Node stream copy of an upload and a download, with no parsing, hashing or
 *     rows.
 *     Each upload gets a new file, as the app's does. Overwriting one file in place, as this did
 *     once, reuses the memory the copy has just freed; measured standalone, the app's writes into
 *     the page cache then cost about twice the kernel time of the bare copy's, likely because the
 *     VM had returned the app's freed memory to its host (see docs/benchmarks.md, session 15).
 */
import fs from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';

const app = new Hono();
app.get('/', (c) => c.text('ok'));

const dir = process.env.BARE_DIR;
if (dir) {
  const copy = path.join(dir, 'bare-copy.bin');
  let uploads = 0;
  app.post('/copy', async (c) => {
    const { incoming } = c.env as { incoming: IncomingMessage };
    const draft = path.join(dir, `bare-upload-${++uploads}.tmp`);
    try {
      await pipeline(incoming, fs.createWriteStream(draft, { flags: 'wx', flush: true }));
    } finally {
      fs.rmSync(draft, { force: true });
    }
    return c.body(null, 204);
  });
  app.get('/copy', (c) =>
    c.body(Readable.toWeb(fs.createReadStream(copy)) as ReadableStream<Uint8Array>, 200, {
      'content-type': 'application/octet-stream',
    }),
  );
}

const server = serve({ fetch: app.fetch, port: Number(process.env.PORT ?? 3100), hostname: '127.0.0.1' });
process.on('SIGTERM', () => server.close(() => process.exit(0)));
