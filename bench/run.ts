/**
 * `npm run bench`: measures the built app against a bare Hono route in one run, side by side.
 * It seeds a fresh SQLite database (bench/seed.ts), times five cold starts of dist/src/server.js
 * (alternating with five with PLUGINS=example, to compare start-up with a plugin and without), and
 * five of `npm start` on the built tree (its prestart build check included), to the first 200 from
 * /healthz, then loads the bare route (bench/bare-server.ts) and the signed-in
 * staff home page with autocannon (50 connections, a warm-up then ~10 s each), sampling the app's
 * RSS. With `--profile` it also runs the home-page load against an app started with --cpu-prof and
 * says where the CPU time went (bench/profile.ts). The report is printed as a table and written to
 * bench/results/latest.json. Exits non-zero when the app did not serve the real signed-in page.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  cannon as cannonAt,
  ensureResultsDir,
  freePort,
  get,
  type Load,
  median,
  medianRun,
  PINNED,
  pinSelf,
  repoRoot,
  round,
  rssMb,
  SERVER_CPU,
  sampleRss,
  spawnNode,
  spawnNpmStart,
  stop,
  waitFor200,
  withCpu,
} from './lib.js';
import { formatProfile, type ProfileSummary, summariseProfile } from './profile.js';
import { HOME_PANELS, type Seeded, seedDatabase } from './seed.js';

const CONNECTIONS = 50;
const WARMUP_S = 2;
const durationArg = process.argv.find((a) => a.startsWith('--duration='));
const DURATION_S = durationArg ? Number(durationArg.split('=')[1]) : 10;
const PROFILE = process.argv.includes('--profile');
const COLD_STARTS = 5;
const ROUNDS = 3;
const LOG_LEVEL = 'error';

const TARGETS = {
  ratio: 0.2,
  p99Ms: 25,
  coldStartMs: 1000,
  idleRssMb: 100,
  pluginStartRatio: 1.2,
  panelsRatio: 0.9,
};
const CAVEAT =
  'Caveat: these machines are shared and noisy; compare only figures from the same run (rounds alternate bare and app for that reason).';

const serverJs = path.join(repoRoot, 'dist/src/server.js');

/** The Node flags `npm start` uses (read from package.json, so the bench runs the app as shipped). */
const START_FLAGS: string[] = (() => {
  const pkg = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    scripts: { start: string };
  };
  const words = pkg.scripts.start.split(/\s+/);
  return words.slice(words.indexOf('node') + 1).filter((w) => w.startsWith('--'));
})();
const bareJs = path.join(repoRoot, 'dist/bench/bare-server.js');
const naiveJs = path.join(repoRoot, 'dist/bench/naive-server.js');
const homeJs = path.join(repoRoot, 'dist/bench/home-server.js');

const cannon = (
  url: string,
  seconds: number,
  headers: Record<string, string>,
  verify: (b: string) => boolean,
) => cannonAt(url, seconds, headers, verify, CONNECTIONS);

interface Target {
  label: string;
  url: string;
  headers: Record<string, string>;
  verifyBody: (body: string) => boolean;
}

function appEnv(port: number, dataDir: string): NodeJS.ProcessEnv {
  const { DATABASE_URL: _db, TRUST_PROXY: _tp, ...inherited } = process.env;
  return {
    ...inherited,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    BASE_URL: `http://127.0.0.1:${port}`,
    LOG_LEVEL,
    NODE_ENV: 'production',
    SECRET_KEY: randomBytes(32).toString('base64'),
  };
}

async function startApp(
  dataDir: string,
  nodeArgs: string[] = [],
  env: NodeJS.ProcessEnv = {},
  script = serverJs,
) {
  const port = await freePort();
  const started = performance.now();
  const child = spawnNode(script, { ...appEnv(port, dataDir), ...env }, [...START_FLAGS, ...nodeArgs]);
  try {
    await waitFor200(`http://127.0.0.1:${port}/healthz`, child, 5);
  } catch (error) {
    await stop(child);
    throw error;
  }
  return { child, base: `http://127.0.0.1:${port}`, startMs: performance.now() - started };
}

/** `npm start` on the built tree, as a firm's process manager runs it, to the first 200 from /healthz. */
async function npmStartMs(dataDir: string): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawnNpmStart(appEnv(port, dataDir));
  try {
    await waitFor200(`http://127.0.0.1:${port}/healthz`, child, 5);
    return performance.now() - started;
  } finally {
    await stop(child);
  }
}

/** The titles of the home page's panels and how many items each lists, in page order. */
function panelsOf(body: string): [string, number][] {
  return body
    .split('<section class="panel"')
    .slice(1)
    .map((part) => [part.match(/<h2[^>]*>([^<]*)<\/h2>/)?.[1] ?? '', part.match(/<li>/g)?.length ?? 0]);
}

/** Fails loudly unless GET / with the cookie is the signed-in home page with its three panels full. */
async function checkHomePage(base: string, cookie: string, seeded: Seeded): Promise<number> {
  const res = await get(`${base}/`, { cookie });
  const shown = JSON.stringify(panelsOf(res.body));
  const expected = JSON.stringify(Object.entries(HOME_PANELS));
  const problems = [
    res.status !== 200 && `status ${res.status}`,
    !res.body.includes(`Welcome, ${seeded.adminFirstName}`) && 'no "Welcome, <Admin>" heading',
    !res.body.includes('Sign out') && 'no sign-out button (not signed in?)',
    shown !== expected && `panels ${shown} instead of ${expected}`,
  ].filter((p): p is string => typeof p === 'string');
  if (problems.length) {
    throw new Error(
      `GET / is not the signed-in home page: ${problems.join('; ')}\n${res.body.slice(0, 800)}`,
    );
  }
  return Buffer.byteLength(res.body);
}

const isHomePage = (body: string) =>
  body.includes('Recently changed clients</h2>') &&
  body.includes('Example log</h2>') &&
  body.includes('Sign out');
const isEmptyHomePage = (body: string) =>
  body.includes('Nothing needs you right now.') && body.includes('Sign out');

async function main(): Promise<void> {
  if (!fs.existsSync(serverJs) || !fs.existsSync(bareJs)) {
    throw new Error('dist/ is missing: run `npm run bench` (it builds first)');
  }
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-bench-'));
  const dataDir = path.join(tmp, 'data');
  const cpus = os.cpus();
  const meta = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    platform: `${process.platform} ${process.arch}`,
    logLevel: LOG_LEVEL,
    database: 'SQLite (better-sqlite3), fresh temp DATA_DIR',
    connections: CONNECTIONS,
    warmupSeconds: WARMUP_S,
    durationSeconds: DURATION_S,
  };
  pinSelf();
  process.stderr.write(`bench: seeding ${dataDir}\n`);
  const seeded = await seedDatabase(dataDir);
  const cookie = `portico_session=${seeded.sessionToken}`;

  try {
    process.stderr.write(`bench: ${COLD_STARTS} cold starts\n`);
    const coldStarts: number[] = [];
    const pluginStarts: number[] = [];
    // Once with the example plugin first, so its migration is not what the timed starts measure.
    await stop((await startApp(dataDir, [], { PLUGINS: 'example' })).child);
    // Alternating, so drift on this shared machine hits both alike.
    for (let i = 0; i < COLD_STARTS; i++) {
      const { child, startMs } = await startApp(dataDir);
      coldStarts.push(round(startMs));
      await stop(child);
      const withPlugin = await startApp(dataDir, [], { PLUGINS: 'example' });
      pluginStarts.push(round(withPlugin.startMs));
      await stop(withPlugin.child);
    }
    const npmStarts: number[] = [];
    for (let i = 0; i < COLD_STARTS; i++) npmStarts.push(round(await npmStartMs(dataDir)));

    // Both servers run side by side; rounds alternate bare and app so drift on this shared machine
    // hits both alike. Each figure is the median round; the ratio is the median of per-round ratios.
    const barePort = await freePort();
    const bareChild = spawnNode(bareJs, { ...process.env, PORT: String(barePort) });
    await waitFor200(`http://127.0.0.1:${barePort}/`, bareChild);
    const bareIdleRssMb = round(rssMb(bareChild.pid));
    // The home page as a firm with the example plugin sees it: three panels filled.
    const app = await startApp(dataDir, [], { PLUGINS: 'example' });
    await new Promise((r) => setTimeout(r, 300));
    const appIdleRssMb = round(rssMb(app.child.pid));
    const pageBytes = await checkHomePage(app.base, cookie, seeded);
    const bareTarget: Target = {
      label: 'bare',
      url: `http://127.0.0.1:${barePort}/`,
      headers: {},
      verifyBody: (b) => b === 'ok',
    };
    const home: Target = { label: 'home', url: `${app.base}/`, headers: { cookie }, verifyBody: isHomePage };
    const naivePort = await freePort();
    const naiveChild = spawnNode(naiveJs, {
      ...process.env,
      PORT: String(naivePort),
      DB_FILE: seeded.databaseUrl.slice('sqlite:'.length),
    });
    const naiveTarget: Target = {
      label: 'naive',
      url: `http://127.0.0.1:${naivePort}/`,
      headers: { cookie },
      verifyBody: (b) => b.includes('<caption>Your team</caption>'),
    };
    await waitFor200(naiveTarget.url, naiveChild, 5, 15_000, { cookie });
    // The same page with its panels filled and with nothing filling them, served by one process
    // (bench/home-server.ts), so nothing but the panels differs.
    const emptyPort = await freePort();
    const panelsServer = await startApp(
      dataDir,
      [],
      { PLUGINS: 'example', EMPTY_PORT: String(emptyPort) },
      homeJs,
    );
    await checkHomePage(panelsServer.base, cookie, seeded);
    const filled: Target = {
      label: 'filled',
      url: `${panelsServer.base}/`,
      headers: { cookie },
      verifyBody: isHomePage,
    };
    const empty: Target = {
      label: 'empty',
      url: `http://127.0.0.1:${emptyPort}/`,
      headers: { cookie },
      verifyBody: isEmptyHomePage,
    };
    if (!isEmptyHomePage((await get(empty.url, { cookie })).body))
      throw new Error('the home page without its panels (EMPTY_PORT) still shows panels');

    process.stderr.write('bench: warming up\n');
    await cannon(bareTarget.url, WARMUP_S, bareTarget.headers, bareTarget.verifyBody);
    await cannon(home.url, WARMUP_S, home.headers, home.verifyBody);
    await cannon(naiveTarget.url, WARMUP_S, naiveTarget.headers, naiveTarget.verifyBody);
    await cannon(filled.url, WARMUP_S, filled.headers, filled.verifyBody);
    await cannon(empty.url, WARMUP_S, empty.headers, empty.verifyBody);
    await new Promise((r) => setTimeout(r, 500));
    const rssAfterWarmupMb = round(rssMb(app.child.pid));
    const appSampler = sampleRss(app.child.pid, 100);
    const bareSampler = sampleRss(bareChild.pid, 100);
    type CpuLoad = Load & { cpuUs: number };
    const bareRuns: CpuLoad[] = [];
    const appRuns: CpuLoad[] = [];
    const naiveRuns: CpuLoad[] = [];
    const filledRuns: CpuLoad[] = [];
    const emptyRuns: CpuLoad[] = [];
    const measure = (pid: number, t: Target) =>
      withCpu(pid, () => cannon(t.url, DURATION_S, t.headers, t.verifyBody));
    for (let r = 1; r <= ROUNDS; r++) {
      process.stderr.write(
        `bench: round ${r} of ${ROUNDS}: bare Hono route, Portico GET / (signed in), naive reference, panels filled and empty\n`,
      );
      bareRuns.push(await measure(bareChild.pid, bareTarget));
      appRuns.push(await measure(app.child.pid, home));
      naiveRuns.push(await measure(naiveChild.pid, naiveTarget));
      filledRuns.push(await measure(panelsServer.child.pid, filled));
      emptyRuns.push(await measure(panelsServer.child.pid, empty));
    }
    await stop(naiveChild);
    await stop(panelsServer.child);
    const panelsRatio = round(median(filledRuns.map((f, i) => f.rps / emptyRuns[i]!.rps)), 3);
    const naive = medianRun(naiveRuns);
    const naiveRatio = round(median(naiveRuns.map((n, i) => n.rps / bareRuns[i]!.rps)), 3);
    const appPeakRssMb = round(appSampler.stop());
    const barePeakRssMb = round(bareSampler.stop());
    const appExit = await stop(app.child);
    await stop(bareChild);
    const bare = { ...medianRun(bareRuns), peakRssMb: barePeakRssMb };
    const page = { ...medianRun(appRuns), rssAfterWarmupMb, peakRssMb: appPeakRssMb };
    const roundRatios = appRuns.map((a, i) => round(a.rps / bareRuns[i]!.rps, 3));
    // The same ratios from the servers' CPU time per response: steadier where another tenant takes
    // turns on the CPU, since its time counts in req/s but not in the server's own CPU time.
    const cpuRatio = (runs: CpuLoad[], base: CpuLoad[]) =>
      round(median(runs.map((r, i) => base[i]!.cpuUs / r.cpuUs)), 3);
    const cpu = {
      usPerResponse: {
        bare: median(bareRuns.map((r) => r.cpuUs)),
        home: median(appRuns.map((r) => r.cpuUs)),
        naive: median(naiveRuns.map((r) => r.cpuUs)),
        filled: median(filledRuns.map((r) => r.cpuUs)),
        empty: median(emptyRuns.map((r) => r.cpuUs)),
      },
      ratio: cpuRatio(appRuns, bareRuns),
      naiveRatio: cpuRatio(naiveRuns, bareRuns),
      panelsRatio: cpuRatio(filledRuns, emptyRuns),
    };

    let profile: (ProfileSummary & { rpsUnderProfiler: number }) | null = null;
    if (PROFILE) {
      process.stderr.write('bench: Portico GET / under --cpu-prof\n');
      const profDir = path.join(tmp, 'cpuprofile');
      const profiled = await startApp(dataDir, ['--cpu-prof', '--cpu-prof-dir', profDir]);
      await cannon(`${profiled.base}/`, WARMUP_S, home.headers, home.verifyBody);
      const load = await cannon(`${profiled.base}/`, DURATION_S, home.headers, home.verifyBody);
      await stop(profiled.child);
      const file = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
      if (!file) throw new Error(`no .cpuprofile written in ${profDir}:\n${profiled.child.output()}`);
      const kept = path.join(ensureResultsDir(), 'latest.cpuprofile');
      fs.copyFileSync(path.join(profDir, file), kept);
      profile = { ...summariseProfile(kept, repoRoot), rpsUnderProfiler: load.rps };
    }

    const ratio = round(median(roundRatios), 3);
    const coldStartMedianMs = round(median(coldStarts));
    const npmStartMedianMs = round(median(npmStarts));
    const pluginStartMedianMs = round(median(pluginStarts));
    const pluginStartRatio = round(pluginStartMedianMs / coldStartMedianMs, 3);
    const checks = {
      ratio: ratio >= TARGETS.ratio,
      p99: page.p99Ms < TARGETS.p99Ms,
      coldStart: coldStartMedianMs < TARGETS.coldStartMs,
      npmStart: npmStartMedianMs < TARGETS.coldStartMs,
      pluginStart: pluginStartRatio < TARGETS.pluginStartRatio,
      panels: panelsRatio >= TARGETS.panelsRatio,
      idleRss: appIdleRssMb < TARGETS.idleRssMb && page.rssAfterWarmupMb < TARGETS.idleRssMb,
    };
    const broken = page.non2xx + page.errors + page.badBodies + bare.non2xx + bare.errors + bare.badBodies;
    const results = {
      meta,
      caveat: CAVEAT,
      targets: TARGETS,
      bare: { ...bare, idleRssMb: bareIdleRssMb },
      home: { ...page, pageBytes, idleRssAfterStartMb: appIdleRssMb, exit: appExit },
      ratio,
      roundRatios,
      rounds: { bare: bareRuns, home: appRuns, naive: naiveRuns, filled: filledRuns, empty: emptyRuns },
      panels: { filled: medianRun(filledRuns), empty: medianRun(emptyRuns), ratio: panelsRatio },
      naive: { ...naive, ratio: naiveRatio },
      cpu,
      pinned: PINNED,
      coldStart: { medianMs: coldStartMedianMs, runsMs: coldStarts },
      npmStart: { medianMs: npmStartMedianMs, runsMs: npmStarts },
      pluginStart: { medianMs: pluginStartMedianMs, runsMs: pluginStarts, ratioToNone: pluginStartRatio },
      checks,
      profile,
    };

    const pass = (ok: boolean) => (ok ? 'PASS' : 'MISS');
    const row = (label: string, l: Load) =>
      `${label.padEnd(34)}${String(l.rps).padStart(8)}${l.p50Ms.toFixed(2).padStart(9)}${l.p99Ms
        .toFixed(2)
        .padStart(
          9,
        )}${String(l.non2xx).padStart(9)}${String(l.errors).padStart(8)}${String(l.badBodies).padStart(10)}`;
    const out = [
      '',
      `Portico benchmark  ${meta.date}`,
      `node ${meta.node}, ${meta.cpus} CPUs (${meta.cpuModel}), ${meta.platform}`,
      `app: node ${START_FLAGS.join(' ')} dist/src/server.js (as npm start), LOG_LEVEL=${LOG_LEVEL}, NODE_ENV=production, ${meta.database}`,
      `load: autocannon, ${CONNECTIONS} connections, ${WARMUP_S} s warm-up, then ${ROUNDS} alternating rounds of ${DURATION_S} s per target (median round shown)`,
      PINNED
        ? `cpus: servers pinned to CPU ${SERVER_CPU}, load generator to CPU 0 (taskset)`
        : 'cpus: not pinned (--no-pin, or fewer than 2 CPUs, or no taskset): servers and load generator share the CPUs',
      CAVEAT,
      '',
      `${'target'.padEnd(34)}${'req/s'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'non-2xx'.padStart(9)}${'errors'.padStart(8)}${'bad body'.padStart(10)}`,
      row('bare Hono GET / (text "ok")', bare),
      row(`Portico GET / signed in (${(pageBytes / 1024).toFixed(1)} KB)`, page),
      row('naive reference (naive-server)', naive),
      row('home, 3 panels filled (home-server)', medianRun(filledRuns)),
      row('home, panels empty (home-server)', medianRun(emptyRuns)),
      '',
      `throughput app/bare      ${(ratio * 100).toFixed(1)}%    target >= ${TARGETS.ratio * 100}%   ${pass(checks.ratio)}   rounds: ${roundRatios.map((r) => `${(r * 100).toFixed(1)}%`).join(', ')}`,
      `naive reference/bare     ${(naiveRatio * 100).toFixed(1)}%    (session join, bindings, JSX table of 25 on raw better-sqlite3: the issue's naive version)`,
      `home page p99            ${page.p99Ms.toFixed(2)} ms   target < ${TARGETS.p99Ms} ms   ${pass(checks.p99)}`,
      `cold start (median of ${COLD_STARTS}) ${coldStartMedianMs} ms   target < ${TARGETS.coldStartMs} ms   ${pass(checks.coldStart)}   runs: ${coldStarts.join(', ')} ms`,
      `npm start (median of ${COLD_STARTS}) ${npmStartMedianMs} ms   target < ${TARGETS.coldStartMs} ms   ${pass(checks.npmStart)}   runs: ${npmStarts.join(', ')} ms (built tree: the prestart check finds nothing to build)`,
      `start with PLUGINS=example ${pluginStartMedianMs} ms, ${((pluginStartRatio - 1) * 100).toFixed(1)}% more than none   target < ${((TARGETS.pluginStartRatio - 1) * 100).toFixed(0)}% more   ${pass(checks.pluginStart)}   runs: ${pluginStarts.join(', ')} ms`,
      `home panels filled/empty  ${(panelsRatio * 100).toFixed(1)}%    target >= ${TARGETS.panelsRatio * 100}% (under ${Math.round((1 - TARGETS.panelsRatio) * 100)}% fewer req/s)   ${pass(checks.panels)}`,
      `server CPU per response  bare ${cpu.usPerResponse.bare} µs, app ${cpu.usPerResponse.home} µs, naive ${cpu.usPerResponse.naive} µs, panels filled ${cpu.usPerResponse.filled} µs, empty ${cpu.usPerResponse.empty} µs`,
      `  as ratios (bare/app)   app ${(cpu.ratio * 100).toFixed(1)}%, naive ${(cpu.naiveRatio * 100).toFixed(1)}%, panels filled/empty ${(cpu.panelsRatio * 100).toFixed(1)}%   (a cross-check of the req/s ratios above, which are the targets' figures)`,
      `app RSS idle after start ${appIdleRssMb} MB, idle after warm-up ${page.rssAfterWarmupMb} MB   target < ${TARGETS.idleRssMb} MB   ${pass(checks.idleRss)}`,
      `app RSS peak under load  ${page.peakRssMb} MB   (bare server: idle ${bareIdleRssMb} MB, peak ${bare.peakRssMb} MB)`,
    ];
    if (profile) {
      out.push(
        '',
        `${formatProfile(profile)}`,
        `  (throughput while profiling: ${profile.rpsUnderProfiler} req/s; profile kept in bench/results/latest.cpuprofile)`,
      );
    }
    if (broken) {
      out.push(
        '',
        `FAILED: ${broken} requests were errors, non-2xx or not the expected page. Figures are invalid.`,
      );
    }
    process.stdout.write(`${out.join('\n')}\n`);

    const json = path.join(ensureResultsDir(), 'latest.json');
    fs.writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`\nwritten: bench/results/latest.json\n`);
    if (broken) process.exitCode = 1;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
