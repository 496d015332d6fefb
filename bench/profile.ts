/**
 * Summarises a V8 .cpuprofile (written by `node --cpu-prof`) for `npm run bench -- --profile`:
 * self time per category (session, authorize/permissions, queries, render, http/framework, gc,
 * other) and the top self-time functions. A frame is categorised by its script URL (compiled
 * files under dist/ are mapped back to their source under src/ and views/). A native frame with no
 * URL (a better-sqlite3 statement call) and a general Node internal (Buffer, crypto, promise hooks)
 * inherit the category of the frame that called them, so that time lands with the code that asked
 * for it; Node's HTTP, socket and web-stream internals count as http/framework.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export const CATEGORIES = [
  'session',
  'authorize/permissions',
  'queries',
  'render',
  'http/framework',
  'gc',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

export interface ProfileSummary {
  file: string;
  /** Sampled time excluding (idle), in ms. */
  busyMs: number;
  idleMs: number;
  categories: { category: Category; ms: number; pct: number }[];
  /** `category` is the frame's category, or the main one followed by "(mixed)" when it has several. */
  top: { fn: string; where: string; category: string; ms: number; pct: number }[];
}

// Node internals that serve HTTP: the server and parser, sockets, streams, and the web Response and
// ReadableStream (undici, webstreams, transferables) that @hono/node-server falls back to.
const NODE_HTTP =
  /^node:(_http_|http|https|net|stream|internal\/(streams|stream_base_commons|http|deps\/undici|webstreams|worker\/js_transferable))/;

/** The category of a frame from its URL, or null to inherit the caller's (native code, general internals). */
function categoryOfUrl(url: string, root: string): Category | null {
  if (!url) return null;
  if (url.startsWith('node:')) return NODE_HTTP.test(url) ? 'http/framework' : null;
  const file = url.startsWith('file:') ? fileURLToPath(url) : url;
  if (/\/node_modules\/(kysely|better-sqlite3)\//.test(file)) return 'queries';
  // hono's html escaping and the `html` tag do the work of JSX rendering, so they count as render.
  if (/\/node_modules\/hono\/dist\/(jsx|helper\/html|utils\/html)/.test(file)) return 'render';
  if (/\/node_modules\/(hono|@hono\/node-server)\//.test(file)) return 'http/framework';
  const dist = path.join(root, 'dist') + path.sep;
  if (!file.startsWith(dist)) return 'other';
  const source = file.slice(dist.length).replace(/\.js$/, '');
  if (/^src\/.*queries$/.test(source)) return 'queries';
  if (source.startsWith('src/auth/')) return 'session';
  if (source.startsWith('src/permissions/')) return 'authorize/permissions';
  if (source.startsWith('views/') || fs.existsSync(path.join(root, `${source}.tsx`))) return 'render';
  return 'other';
}

function where(url: string, line: number, root: string): string {
  if (!url) return '(native)';
  const file = url.startsWith('file:') ? fileURLToPath(url) : url;
  const short = file.includes('/node_modules/')
    ? file.slice(file.lastIndexOf('/node_modules/') + '/node_modules/'.length)
    : path.relative(root, file) || file;
  return `${short}:${line + 1}`;
}

export function summariseProfile(file: string, root: string, topN = 15): ProfileSummary {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const categoryCache = new Map<number, Category>();
  const categoryOf = (id: number): Category => {
    const cached = categoryCache.get(id);
    if (cached) return cached;
    const node = byId.get(id)!;
    const name = node.callFrame.functionName;
    let category: Category;
    if (name === '(garbage collector)') category = 'gc';
    else {
      const own = categoryOfUrl(node.callFrame.url, root);
      const up = parent.get(id);
      category = own ?? (up !== undefined && !name.startsWith('(') ? categoryOf(up) : 'other');
    }
    categoryCache.set(id, category);
    return category;
  };

  // Sample i lasts until sample i+1 (timeDeltas[i+1]); the last one until endTime.
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  const selfUs = new Map<number, number>();
  let at = profile.startTime;
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0;
    const duration = i + 1 < samples.length ? (deltas[i + 1] ?? 0) : Math.max(0, profile.endTime - at);
    const id = samples[i]!;
    selfUs.set(id, (selfUs.get(id) ?? 0) + duration);
  }

  let idleUs = 0;
  const perCategory = new Map<Category, number>(CATEGORIES.map((c) => [c, 0]));
  // A function reached from several places (a Node internal, say) may carry several categories.
  const perFunction = new Map<string, { fn: string; where: string; us: number; by: Map<Category, number> }>();
  for (const [id, us] of selfUs) {
    const node = byId.get(id)!;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    const category = categoryOf(id);
    perCategory.set(category, perCategory.get(category)! + us);
    const fn = functionName || '(anonymous)';
    const loc = where(url, lineNumber, root);
    const key = `${fn} ${loc}`;
    const entry = perFunction.get(key) ?? { fn, where: loc, us: 0, by: new Map<Category, number>() };
    entry.us += us;
    entry.by.set(category, (entry.by.get(category) ?? 0) + us);
    perFunction.set(key, entry);
  }

  const busyUs = [...perCategory.values()].reduce((a, b) => a + b, 0);
  const pct = (us: number) => (busyUs ? Math.round((1000 * us) / busyUs) / 10 : 0);
  const ms = (us: number) => Math.round(us / 100) / 10;
  return {
    file,
    busyMs: ms(busyUs),
    idleMs: ms(idleUs),
    categories: CATEGORIES.map((category) => {
      const us = perCategory.get(category)!;
      return { category, ms: ms(us), pct: pct(us) };
    }),
    top: [...perFunction.values()]
      .sort((a, b) => b.us - a.us)
      .slice(0, topN)
      .map((f) => {
        const [main, mainUs] = [...f.by].sort((a, b) => b[1] - a[1])[0]!;
        const category = mainUs >= 0.9 * f.us ? main : `${main} (mixed)`;
        return { fn: f.fn, where: f.where, category, ms: ms(f.us), pct: pct(f.us) };
      }),
  };
}

export function formatProfile(s: ProfileSummary, during = 'under the home-page load'): string {
  const lines = [
    `CPU profile of the app ${during} (self time; ${s.busyMs} ms busy, ${s.idleMs} ms idle not counted)`,
    `  ${'category'.padEnd(24)}${'ms'.padStart(10)}${'%'.padStart(8)}`,
    ...s.categories.map(
      (c) => `  ${c.category.padEnd(24)}${c.ms.toFixed(1).padStart(10)}${c.pct.toFixed(1).padStart(8)}`,
    ),
    '',
    `Top ${s.top.length} functions by self time`,
    `  ${'%'.padStart(5)}  ${'ms'.padStart(8)}  ${'category'.padEnd(30)}function (where)`,
    ...s.top.map(
      (f) =>
        `  ${f.pct.toFixed(1).padStart(5)}  ${f.ms.toFixed(1).padStart(8)}  ${f.category.padEnd(30)}${f.fn} (${f.where})`,
    ),
  ];
  return lines.join('\n');
}
