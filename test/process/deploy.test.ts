/**
 * The README's deploy path, run exactly as written on a fresh copy of the repository:
 * `NODE_ENV=production` and `npm ci && npm start`. The production install leaves out the
 * devDependencies, so this proves the build needs none of them; a second `npm start` on the built
 * tree must not build again, and a changed source must be built before the server starts.
 */

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
const INSTALL_MS = 8 * 60_000;

/** What a clone of this commit would hold: tracked files, plus new ones git does not ignore. */
function copyRepository(to: string): void {
  const files = execFileSync('git', ['ls-files', '-z', '-co', '--exclude-standard'], { cwd: ROOT })
    .toString()
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    const from = path.join(ROOT, file);
    if (!fs.existsSync(from)) continue; // deleted in the working tree, not yet committed
    fs.mkdirSync(path.dirname(path.join(to, file)), { recursive: true });
    fs.copyFileSync(from, path.join(to, file));
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface Started {
  child: ChildProcess;
  output: () => string;
  stop: () => Promise<void>;
}

/** Runs a shell command line in the copy, in its own process group so stopping reaches the server. */
function run(commandLine: string, cwd: string, env: NodeJS.ProcessEnv): Started {
  let out = '';
  const child = spawn('sh', ['-c', commandLine], {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d) => (out += d));
  child.stderr?.on('data', (d) => (out += d));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(-(child.pid as number), 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await exited;
  };
  return { child, output: () => out, stop };
}

async function healthy(base: string, started: Started, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (started.child.exitCode !== null) throw new Error(`exited before answering:\n${started.output()}`);
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no answer from ${base}/healthz within ${timeoutMs} ms:\n${started.output().slice(-3000)}`);
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

describe('the README deploy path', () => {
  it(
    'NODE_ENV=production npm ci && npm start works on a fresh copy, and a second start builds nothing',
    async () => {
      const copy = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-deploy-'));
      dirs.push(copy);
      copyRepository(copy);
      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      const { DATABASE_URL: _db, TEST_DATABASE_URL: _tdb, ...inherited } = process.env;
      const env = {
        ...inherited,
        NODE_ENV: 'production',
        SECRET_KEY: randomBytes(32).toString('base64'),
        BASE_URL: base,
        PORT: String(port),
        LOG_LEVEL: 'warn',
      };

      const first = run('npm ci && npm start', copy, env);
      try {
        await healthy(base, first, INSTALL_MS);
        expect(first.output()).toContain(`${base}/setup?token=`);
      } finally {
        await first.stop();
      }
      // A production install: the test tools are not there, the compiler the build needs is.
      expect(fs.existsSync(path.join(copy, 'node_modules/vitest'))).toBe(false);
      expect(fs.existsSync(path.join(copy, 'node_modules/typescript'))).toBe(true);

      const entry = path.join(copy, 'dist/src/server.js');
      const builtAt = fs.statSync(entry).mtimeMs;
      const second = run('npm start', copy, env);
      try {
        await healthy(base, second, 30_000);
      } finally {
        await second.stop();
      }
      expect(second.output()).not.toContain('Building Portico');
      expect(fs.statSync(entry).mtimeMs).toBe(builtAt);

      // A changed source is built before the server starts.
      fs.appendFileSync(path.join(copy, 'src/server.ts'), '\n// changed after install\n');
      const third = run('npm start', copy, env);
      try {
        await healthy(base, third, 3 * 60_000);
      } finally {
        await third.stop();
      }
      expect(third.output()).toContain('Building Portico');
      expect(fs.readFileSync(entry, 'utf8')).toContain('changed after install');
    },
    INSTALL_MS + 5 * 60_000,
  );
});
