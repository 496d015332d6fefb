/**
 * Small helpers the benchmark runner shares: finding a free port, spawning a Node script as a child
 * process and stopping it, a minimal HTTP request (node:http, no keep-alive) used for readiness
 * polling and page checks, reading a process's resident memory from /proc, one autocannon load run
 * (of one fixed request, or of a request built afresh each time), and a median. Nothing here knows about Portico itself.
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
  /** Signals the child (and, for `npm start`, everything it started). */
  kill(signal: NodeJS.Signals): void;
}

const running = new Set<(signal: NodeJS.Signals) => void>();
// If the runner stops early (a failed check, an exception), its children must not outlive it.
process.on('exit', () => {
  for (const kill of running) kill('SIGKILL');
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
  return PINNED
    ? spawnProcess('taskset', ['-c', String(SERVER_CPU), process.execPath, ...argv], env)
    : spawnProcess(process.execPath, argv, env);
}

/**
 * Spawns `npm start` as a firm runs it (its prestart build check included), on the server CPU when
 * pinning, in a process group of its own so `stop` reaches the server npm starts, not npm alone.
 */
export function spawnNpmStart(env: NodeJS.ProcessEnv): Child {
  return PINNED
    ? spawnProcess('taskset', ['-c', String(SERVER_CPU), 'npm', 'start'], env, true)
    : spawnProcess('npm', ['start'], env, true);
}

function spawnProcess(command: string, args: string[], env: NodeJS.ProcessEnv, group = false): Child {
  const child = spawn(command, args, {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: group,
    cwd: repoRoot,
  });
  if (child.pid === undefined) throw new Error(`could not spawn ${command} ${args.join(' ')}`);
  const pid = child.pid;
  const kill = (signal: NodeJS.Signals) => {
    try {
      if (group) process.kill(-pid, signal);
      else child.kill(signal);
    } catch {
      // already gone
    }
  };
  running.add(kill);
  let out = '';
  const keep = (chunk: Buffer) => {
    out = (out + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => {
      running.delete(kill);
      resolve(code ?? signal ?? 'unknown');
    }),
  );
  return { process: child, pid, output: () => out, exited, kill };
}

/** Sends SIGTERM and waits for the exit; SIGKILL after `graceMs`. */
export async function stop(child: Child, graceMs = 10_000): Promise<number | string> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return child.exited;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  const result = await child.exited;
  clearTimeout(timer);
  return result;
}

export interface Response {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * One request on a fresh connection (node:http, no keep-alive). Rejects on connection errors
 * (e.g. ECONNREFUSED while starting).
 */
export function send(
  method: 'GET' | 'POST',
  url: string,
  headers: Record<string, string> = {},
  body = '',
): Promise<Response> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.setTimeout(2000, () => req.destroy(new Error(`timeout: ${url}`)));
    req.end(body);
  });
}

/** One GET on a fresh connection. */
export const get = (url: string, headers: Record<string, string> = {}): Promise<Response> =>
  send('GET', url, headers);

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

/**
 * CPU time a process has run, in ns (the first field of /proc/<pid>/schedstat), or NaN when
 * unavailable. Time another tenant of a shared machine takes is not counted in it, as it is in
 * requests per second.
 */
export function cpuNs(pid: number): number {
  try {
    return Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
  } catch {
    return Number.NaN;
  }
}

/**
 * User and system CPU seconds of the whole process, every thread counted (fields 14 and 15 of
 * /proc/<pid>/stat, in clock ticks of 1/100 s), or NaN when unavailable: where a transfer's time
 * went, the kernel's share (copying into the page cache) beside the process's own.
 */
export function cpuSplit(pid: number): { userS: number; sysS: number } {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name may hold spaces; the fields after it are space-separated numbers.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { userS: Number(fields[11]) / 100, sysS: Number(fields[12]) / 100 };
  } catch {
    return { userS: Number.NaN, sysS: Number.NaN };
  }
}

/** `run`'s load, with the CPU time `pid` spent per completed response, in µs. */
export async function withCpu<L extends Load>(
  pid: number,
  run: () => Promise<L>,
): Promise<L & { cpuUs: number }> {
  const before = cpuNs(pid);
  const load = await run();
  return { ...load, cpuUs: round((cpuNs(pid) - before) / 1000 / Math.max(1, load.requests), 1) };
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

type CannonResult = autocannon.Result;

function toLoad(result: CannonResult, latencies: number[], overrides: Partial<Load> = {}): Load {
  const sorted = Float64Array.from(latencies).sort();
  return {
    requests: result.requests.total,
    rps: round(result.requests.total / result.duration, 0),
    p50Ms: round(quantile(sorted, 0.5), 2),
    p99Ms: round(quantile(sorted, 0.99), 2),
    non2xx: result.non2xx,
    errors: result.errors,
    badBodies: result.mismatches,
    bytesPerResponse: round(result.throughput.total / Math.max(1, result.requests.total), 0),
    ...overrides,
  };
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
        resolve(toLoad(result, latencies));
      },
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

/** A request that differs each time (a fresh link, another address), and what its answer must be. */
export interface Shot {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  /** The path, body and any further headers of the next request (called once per request built). */
  next(): { path: string; body?: string; headers?: Record<string, string> };
  /** The status every answer must have (counted in `non2xx` when it differs: 303 for a redirect). */
  status: number;
  /** Whether an answer with that status is the expected one (its headers, lower-cased, and body). */
  check(headers: Record<string, string>, body: string): boolean;
}

/**
 * One autocannon run of `shot`, each request built afresh. `non2xx` counts answers whose status is
 * not `shot.status`, `badBodies` answers with that status that fail `shot.check`.
 */
export function cannonShots(origin: string, seconds: number, shot: Shot, connections: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    const latencies: number[] = [];
    let wrongStatus = 0;
    let bad = 0;
    const instance = autocannon(
      {
        url: origin,
        connections,
        duration: seconds,
        requests: [
          {
            method: shot.method,
            headers: shot.headers,
            setupRequest: (request) => {
              const { path, body, headers } = shot.next();
              return {
                ...request,
                path,
                headers: { ...shot.headers, ...headers },
                ...(body === undefined ? {} : { body }),
              };
            },
            onResponse: (status, body, _context, headers) => {
              if (status !== shot.status) wrongStatus++;
              else if (!shot.check(lowerCaseKeys(headers ?? {}), body)) bad++;
            },
          },
        ],
      },
      (error: unknown, result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        resolve(toLoad(result, latencies, { non2xx: wrongStatus, badBodies: bad }));
      },
    );
    instance.on('response', (_client, _status, _bytes, ms) => latencies.push(ms));
  });
}

function lowerCaseKeys(headers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers))
    out[k.toLowerCase()] = Array.isArray(v) ? v.join('\n') : String(v);
  return out;
}

/** The run with the median throughput (its own latencies, not a mix of runs). */
export function medianRun(runs: Load[]): Load {
  const sorted = [...runs].sort((a, b) => a.rps - b.rps);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** A load to measure: `run(seconds)` is one autocannon run of it. */
export interface Measured {
  label: string;
  run(seconds: number): Promise<Load>;
}

export interface MeasuredRow extends Load {
  label: string;
  /** The median of the per-round ratios of this target's req/s to the first target's (the baseline). */
  ratio: number;
  runs: Load[];
}

/**
 * Warms every target up, then runs them in `rounds` alternating rounds (so drift on a shared
 * machine hits all alike); each row is the target's median round, and its ratio to the first
 * target (the baseline) the median of per-round ratios. `between` runs after each target's run.
 */
export async function alternate(
  targets: Measured[],
  o: { warmupS: number; durationS: number; rounds: number; log: (line: string) => void },
  between: (t: Measured) => Promise<void> = async () => {},
): Promise<MeasuredRow[]> {
  const loads = targets.map((): Load[] => []);
  for (const t of targets) {
    await t.run(o.warmupS);
    await between(t);
  }
  for (let r = 1; r <= o.rounds; r++) {
    o.log(`round ${r} of ${o.rounds}`);
    for (const [i, t] of targets.entries()) {
      loads[i]!.push(await t.run(o.durationS));
      await between(t);
    }
  }
  const base = loads[0]!;
  return targets.map((t, i) => ({
    label: t.label,
    ...medianRun(loads[i]!),
    ratio: round(median(loads[i]!.map((l, k) => l.rps / base[k]!.rps)), 4),
    runs: loads[i]!,
  }));
}

export const CAVEAT =
  'Caveat: these machines are shared and noisy; compare only figures from the same run (rounds alternate bare and app for that reason).';

/** The report's opening lines: the benchmark and the date, the machine, the CPU pinning, the caveat. */
export function machineLines(title: string, pinnedNote = 'load generator on CPU 0'): string[] {
  const cpus = os.cpus();
  return [
    '',
    `${title}  ${new Date().toISOString()}`,
    `node ${process.version}, ${cpus.length} CPUs (${cpus[0]?.model ?? 'unknown'}), ${process.platform} ${process.arch}, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
    PINNED
      ? `cpus: servers pinned to CPU ${SERVER_CPU}, ${pinnedNote} (taskset)`
      : 'cpus: not pinned: servers and load generator share the CPUs',
    CAVEAT,
  ];
}

/**
 * Prints the report (and the failures, if any), writes `results` to bench/results/<name>.json, and
 * sets a failing exit code when there were failures.
 */
/** bench/results/ (git-ignored, so Biome skips it too). */
export function ensureResultsDir(): string {
  const dir = path.join(repoRoot, 'bench/results');
  fs.mkdirSync(dir, { recursive: true });
  return dir;
}

export function finish(name: string, report: string[], results: object, failures: string[]): void {
  const out = failures.length ? [...report, '', 'FAILED:', ...failures.map((f) => `  ${f}`)] : report;
  process.stdout.write(`${out.join('\n')}\n`);
  const dir = ensureResultsDir();
  fs.writeFileSync(path.join(dir, `${name}.json`), `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`\nwritten: bench/results/${name}.json\n`);
  if (failures.length) process.exitCode = 1;
}

/** Runs a benchmark's main, and exits 1 with its message when it throws. */
export function runBench(script: string, main: () => Promise<void>): void {
  main().catch((error: unknown) => {
    process.stderr.write(`${script} failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}

/** `--duration=N` from the command line (seconds of each measured run), else `fallback`. */
export function durationArg(fallback: number): number {
  const arg = process.argv.find((a) => a.startsWith('--duration='));
  return arg ? Number(arg.split('=')[1]) : fallback;
}

/**
 * The load bench:directory and bench:portal both apply: 10 connections, a 2 s warm-up, then three
 * alternating rounds of `--duration` (5 s) each.
 */
export const ROUNDS_AT_10 = { connections: 10, warmupS: 2, rounds: 3, durationS: durationArg(5) } as const;

/** The line that says how the HTTP figures were taken. */
export const roundsLine = (o: typeof ROUNDS_AT_10): string =>
  `HTTP, autocannon, ${o.connections} connections, ${o.warmupS} s warm-up, ${o.rounds} alternating rounds of ${o.durationS} s (median round)`;
