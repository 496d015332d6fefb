/**
 * The house reads one way: the kernel at the bottom, features side by side above it, the
 * composition root (the files directly in src/) on top. This test reads every import of src/ and
 * views/ and fails on an import cycle between folders, on a kernel folder that reaches up into a
 * feature, and on an import of another feature's (or the permission module's) internal file
 * instead of its index.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
/** May be imported file by file, and never imports a feature. */
const KERNEL = new Set([
  'kernel',
  'db',
  'permissions',
  'views',
  'jobs',
  'host',
  'http',
  'audit',
  'mail',
  'plugins',
  'migrations',
]);
/** Kernel folders whose files only their index.ts exposes. */
const SEALED = new Set(['permissions']);

interface Import {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(rel);
    return /\.tsx?$/.test(e.name) ? [rel] : [];
  });
}

/** Every relative import and re-export of src/ and views/, as repository paths without extension. */
function importsOf(
  files: readonly string[],
  read = (f: string) => fs.readFileSync(path.join(ROOT, f), 'utf8'),
): Import[] {
  const found: Import[] = [];
  for (const from of files) {
    const text = read(from);
    for (const m of text.matchAll(
      /(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]/g,
    )) {
      const to = path.normalize(path.join(path.dirname(from), m[1]!)).replace(/\.(js|tsx?)$/, '');
      found.push({ from, to });
    }
    // Dynamic imports and bare `import './x.js'` (for its effects) count as much as named ones.
    for (const m of text.matchAll(/\bimport\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
      const to = path.normalize(path.join(path.dirname(from), m[1]!)).replace(/\.(js|tsx?)$/, '');
      found.push({ from, to });
    }
  }
  return found;
}

/** `src/entities/routes.tsx` → `entities`; `views/layout.tsx` → `views`; a file directly in src/ → null (the root). */
function folderOf(file: string): string | null {
  const parts = file.split('/');
  if (parts[0] !== 'src') return parts[0]!;
  return parts.length > 2 ? parts[1]! : null;
}

/** What breaks the rules, one line each. */
function violations(imports: readonly Import[]): string[] {
  const problems: string[] = [];
  const edges = new Map<string, Set<string>>();
  for (const { from, to } of imports) {
    const a = folderOf(from);
    const b = folderOf(to);
    if (a === b) continue;
    const line = `${from} imports ${to}`;
    if (b === null) {
      problems.push(`${line}: only the files directly in src/ may import the composition root`);
      continue;
    }
    if (a === null) continue;
    if (!edges.has(a)) edges.set(a, new Set());
    edges.get(a)!.add(b);
    if (KERNEL.has(a) && !KERNEL.has(b))
      problems.push(`${line}: the kernel (${a}/) never depends on a feature`);
    const throughIndex = path.basename(to) === 'index';
    if ((!KERNEL.has(b) || SEALED.has(b)) && !throughIndex)
      problems.push(`${line}: use ${b}/index.ts, not its internal file`);
  }
  for (const cycle of folderCycles(edges))
    problems.push(`import cycle between folders: ${cycle.join(' → ')}`);
  return problems;
}

/** Each strongly connected group of two or more folders, as a path through it. */
function folderCycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  let next = 0;
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const group: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        group.push(w);
      } while (w !== v);
      if (group.length > 1) groups.push([...group.sort(), group[0]!]);
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return groups;
}

describe('the import graph', () => {
  const files = [...sourceFiles('src'), ...sourceFiles('views')];

  it('reads one way: no folder cycles, a kernel that never reaches up, features met only at their index.ts', () => {
    expect(violations(importsOf(files))).toEqual([]);
  });

  it('sees what it claims to: every import form, and each kind of break', () => {
    const tree: Record<string, string> = {
      'src/entities/routes.tsx':
        "import { x } from '../sharing/links.js';\nexport { y } from './queries.js';",
      'src/sharing/links.ts': "import type { E } from '../entities/index.js';",
      'src/http/render.tsx': "import { z } from '../staff/index.js';\nconst m = await import('../app.js');",
      'src/home/routes.tsx': "import { can } from '../permissions/can.js';",
      'src/staff/routes.tsx':
        "import { can } from '../permissions/index.js';\nimport { page } from '../http/render.js';",
      'src/groups/routes.tsx': "import '../portals/slots.js';\nexport * from '../roles/views.js';",
    };
    const found = violations(importsOf(Object.keys(tree), (f) => tree[f]!));
    expect(found).toEqual([
      'src/entities/routes.tsx imports src/sharing/links: use sharing/index.ts, not its internal file',
      'src/http/render.tsx imports src/staff/index: the kernel (http/) never depends on a feature',
      'src/http/render.tsx imports src/app: only the files directly in src/ may import the composition root',
      'src/home/routes.tsx imports src/permissions/can: use permissions/index.ts, not its internal file',
      'src/groups/routes.tsx imports src/roles/views: use roles/index.ts, not its internal file',
      'src/groups/routes.tsx imports src/portals/slots: use portals/index.ts, not its internal file',
      'import cycle between folders: entities → sharing → entities',
      'import cycle between folders: http → staff → http',
    ]);
  });
});
