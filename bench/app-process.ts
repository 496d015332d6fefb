/**
 * The servers a benchmark loads, as child processes: the built app (`dist/src/server.js`, with the
 * Node flags of `npm start`, NODE_ENV=production, LOG_LEVEL=error, over a given DATA_DIR's SQLite
 * file) and the bare Hono route (bench/bare-server.ts), each on a free port of 127.0.0.1 and the
 * server CPU when pinning. Neither is started before dist/ exists.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Child, freePort, repoRoot, spawnNode, stop, waitFor200 } from './lib.js';

export const serverJs = path.join(repoRoot, 'dist/src/server.js');
export const bareJs = path.join(repoRoot, 'dist/bench/bare-server.js');

/** The Node flags of `npm start`, read from package.json, so the app runs as shipped. */
export const START_FLAGS: string[] = (() => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const words = pkg.scripts.start.split(/\s+/);
  return words.slice(words.indexOf('node') + 1).filter((w) => w.startsWith('--'));
})();

/** Throws, naming the npm script that builds first, when dist/ is missing. */
export function requireBuilt(script: string): void {
  if (!fs.existsSync(serverJs) || !fs.existsSync(bareJs)) {
    throw new Error(`dist/ is missing: run \`npm run ${script}\` (it builds first)`);
  }
}

export interface Served {
  child: Child;
  /** `http://127.0.0.1:<port>`, also its BASE_URL. */
  base: string;
}

/** Starts the built app over `dataDir` (never DATABASE_URL or TRUST_PROXY from the shell; `env` may set them). */
export async function startApp(
  dataDir: string,
  env: Record<string, string> = {},
  /** Node flags besides `npm start`'s (a profiler's). */
  flags: string[] = [],
): Promise<Served> {
  // A bench may choose the port (PORT and BASE_URL in env) when what it starts first must know it.
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const { DATABASE_URL: _db, TRUST_PROXY: _tp, ...inherited } = process.env;
  const child = spawnNode(
    serverJs,
    {
      ...inherited,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      BASE_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'error',
      NODE_ENV: 'production',
      SECRET_KEY: randomBytes(32).toString('base64'),
      ...env,
    },
    [...START_FLAGS, ...flags],
  );
  try {
    await waitFor200(`http://127.0.0.1:${port}/healthz`, child, 20, 30_000);
  } catch (error) {
    await stop(child);
    throw error;
  }
  return { child, base: `http://127.0.0.1:${port}` };
}

/** Starts the bare Hono route (`GET /` answering "ok"; with BARE_DIR in env, the bare copy too). */
export async function startBare(env: Record<string, string> = {}): Promise<Served> {
  const port = await freePort();
  const child = spawnNode(bareJs, { ...process.env, ...env, PORT: String(port) });
  await waitFor200(`http://127.0.0.1:${port}/`, child);
  return { child, base: `http://127.0.0.1:${port}` };
}
