/**
 * Builds the server (TypeScript → dist/) only when its sources changed since the last build, so
 * `npm start` on a built tree starts at once: a crash-restart on a small VPS must not wait for the
 * compiler. The last build's fingerprint (SHA-256 over every source file's path and bytes, the
 * tsconfigs and the lockfile) is kept in dist/.build-hash. `--force` builds regardless.
 *
 * Plain JavaScript on purpose: it runs before anything is compiled. It never deletes anything
 * outside dist/.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const SOURCE_DIRS = ['src', 'views', 'migrations', 'plugins'];
const SOURCE_FILES = ['tsconfig.json', 'tsconfig.build.json', 'package-lock.json'];
const DIST = path.join(ROOT, 'dist');
const STAMP = path.join(DIST, '.build-hash');
const ENTRY = path.join(DIST, 'src/server.js');

function filesUnder(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

function fingerprint() {
  const files = [
    ...SOURCE_DIRS.flatMap((d) => filesUnder(path.join(ROOT, d))),
    ...SOURCE_FILES.map((f) => path.join(ROOT, f)).filter((f) => fs.existsSync(f)),
  ].sort();
  const hash = createHash('sha256');
  for (const file of files) {
    hash.update(path.relative(ROOT, file));
    hash.update('\0');
    hash.update(fs.readFileSync(file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

const force = process.argv.includes('--force');
const wanted = fingerprint();
const built = fs.existsSync(STAMP) && fs.existsSync(ENTRY) ? fs.readFileSync(STAMP, 'utf8').trim() : null;
if (!force && built === wanted) process.exit(0);

// A source deleted since the last build must not live on in dist/ (a removed migration, say).
for (const dir of SOURCE_DIRS) fs.rmSync(path.join(DIST, dir), { recursive: true, force: true });
fs.rmSync(STAMP, { force: true });

console.error('Building Portico (TypeScript → dist/)…');
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const result = spawnSync(process.execPath, [tsc, '-p', path.join(ROOT, 'tsconfig.build.json')], {
  cwd: ROOT,
  stdio: 'inherit',
});
if (result.status !== 0) {
  console.error('The build failed: see the compiler messages above.');
  process.exit(result.status ?? 1);
}
fs.writeFileSync(STAMP, `${wanted}\n`);
