/**
 * Small helpers the benchmark runner shares: finding a free port, spawning a Node script as a child
 * process and stopping it, a minimal HTTP GET (node:http, no keep-alive) used for readiness polling
 * and page checks, reading a process's resident memory from /proc, one autocannon load run, and a
 * median. Nothing here knows about Portico itself.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

/** The repository root, from both bench/ (typecheck) and dist/bench/ (built). */
export const repoRoot = ((): string => {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json'))) dir = path.dirname(dir);
  return dir;
})();

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface Child {
  process: ChildProcess;
  pid: number;
  /** The last few KB of the child's stdout and stderr, for error messages. */
  output(): string;
  /** Resolves with the exit code (or signal name) once the child has exited. */
  exited: Promise<number | string>;
}

const running = new Set<ChildProcess>();
// If the runner stops early (a failed check, an exception), its children must not outlive it.
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/**
 * With two or more CPUs and taskset, the servers get CPU 1 to themselves and the load generator
 * (this process) CPU 0, so a fast server is not measured against its own load generator.
 */
export const PINNED =
  !process.argv.includes('--no-pin') && os.cpus().length >= 2 && spawnSync('taskset', ['-V']).status === 0;
export const SERVER_CPU = 1;

/** Moves this process (the load generator) to CPU 0 when pinning. */
export function pinSelf(): void {
  if (PINNED) spawnSync('taskset', ['-cp', '0', String(process.pid)], { stdio: 'ignore' });
}

/**
 * Spawns `node [nodeArgs] script` without a shell (taskset execs node, so `pid` is the Node
 * process itself), on the server CPU when pinning.
 */
export function spawnNode(script: string, env: NodeJS.ProcessEnv, nodeArgs: string[] = []): Child {
  const argv = [...nodeArgs, script];
  const child = PINNED
    ? spawn('taskset', ['-c', String(SERVER_CPU), process.execPath, ...argv], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
    : spawn(process.execPath, argv, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid === undefined) throw new Error(`could not spawn ${script}`);
  running.add(child);
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(child);
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  return { process: child, pid: child.pid, output: () => out, exited };
}

/** Sends SIGTERM and waits for the exit; SIGKILL after `graceMs`. */
export async function stop(child: Child, graceMs = 10_000): Promise<number | string> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return child.exited;
  child.process.kill('SIGTERM');
  const timer = setTimeout(() => child.process.kill('SIGKILL'), graceMs);
  const result = await child.exited;
  clearTimeout(timer);
  return result;
}

export interface Response {
  status: number;
  body: string;
}

/** One GET on a fresh connection. Rejects on connection errors (e.g. ECONNREFUSED while starting). */
export function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(2000, () => req.destroy(new Error(`timeout: ${url}`)));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `url` every `everyMs` until it answers 200; fails if the child exits or `timeoutMs` passes. */
export async function waitFor200(
  url: string,
  child: Child,
  everyMs = 5,
  timeoutMs = 15_000,
  headers: Record<string, string> = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) {
      throw new Error(
        `process exited (${child.process.exitCode}) before ${url} answered:\n${child.output()}`,
      );
    }
    try {
      if ((await get(url, headers)).status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(everyMs);
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms:\n${child.output()}`);
}

/** Resident set size of a process in MB (VmRSS from /proc/<pid>/status), or NaN when unavailable. */
export function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+)\s+kB/m.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Samples RSS every `everyMs` until `stop()`, which returns the peak in MB. */
export function sampleRss(pid: number, everyMs = 100): { stop(): number } {
  let peak = rssMb(pid);
  const timer = setInterval(() => {
    const now = rssMb(pid);
    if (now > peak || Number.isNaN(peak)) peak = now;
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      const last = rssMb(pid);
      return Number.isNaN(last) ? peak : Math.max(peak, last);
    },
  };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The q-quantile (0..1) of already sorted values, nearest-rank. */
export function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;

export interface Load {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  badBodies: number;
  bytesPerResponse: number;
}

/** One autocannon run; latencies are collected per response for sub-millisecond percentiles. */
export function cannon(
  url: string,
  seconds: number,
  headers: Record<string, string>,
  verifyBody: (body: string) => boolean,
  connections: number,
): Promise<Load> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    const instance = autocannon(
      {
        url,
        connections,
        duration: seconds,
        headers,
        verifyBody: (body) => verifyBody(String(body)),
      },
      (error: unknown, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        const sorted = Float64Array.from(latencies).sort();
        resolve({
          requests: result.requests.total,
          rps: round(result.requests.total / result.duration, 0),
          p50Ms: round(quantile(sorted, 0.5), 2),
          p99Ms: round(quantile(sorted, 0.99), 2),
          non2xx: result.non2xx,
          errors: result.errors,
          badBodies: result.mismatches,
          bytesPerResponse: round(result.throughput.total / Math.max(1, result.requests.total), 0),
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

/** The run with the median throughput (its own latencies, not a mix of runs). */
export function medianRun(runs: Load[]): Load {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor(sorted.length / 2)]!;
}
