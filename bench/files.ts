/**
 * `npm run bench:files`: files at a firm's scale. Over bench/seed.ts's firm plus one client with
 * 100,000 files in one folder, against the built server:
 *   - uploads of a large file (`--size-mb=`, 1024 by default) through the plain form, each after
 *     the same request to a bare Node stream copy to the same disk (bench/bare-server.ts: the body
 *     piped to a new file, fsynced and removed, as the store does with content it holds), five rounds: the throughput of each, the median
 *     round's ratio (target: at least 70 %) and the server's peak RSS during the uploads (target:
 *     under 150 MB); and the disk's own write speed, from the bench's memory, for reference;
 *   - the same size again as a resumable upload (tus, chunks of 1,000,000 bytes as the browser
 *     sends them, the assembled file stored and its row written before the last answer): throughput
 *     and peak RSS;
 *   - its download, beside the bare copy's, five rounds: throughput, ratio and peak RSS; and its
 *     folder's download as a zip: throughput and peak RSS (target: under 150 MB);
 *   - the folder's listing (page 1 by name, page 1,000 by name, newest first), beside the bare
 *     Hono route, in alternating rounds at concurrency 10 (target: p99 under 50 ms), and the same
 *     folder on the Files page of a contact it is shared with, and that contact's portal home.
 * Every answer is checked (the upload is found with the right size and hash, the download's bytes
 * are counted and hashed, listing pages hold their rows). Each peak RSS is shown beside the RSS the
 * step started from. Results go to bench/results/files.json.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import SQLite from 'better-sqlite3';
import { createSession } from '../src/auth/sessions.js';
import { openDatabase } from '../src/db/connect.js';
import { nameKey } from '../src/files/names.js';
import { generateId } from '../src/kernel/tokens.js';
import { addBinding } from '../src/permissions/queries.js';
import { requireBuilt, type Served, startApp, startBare } from './app-process.js';
import {
  alternate,
  cannon,
  cpuSplit,
  ensureResultsDir,
  finish,
  type MeasuredRow,
  machineLines,
  pinSelf,
  ROUNDS_AT_10,
  repoRoot,
  round,
  roundsLine,
  rssMb,
  runBench,
  sampleRss,
  stop,
} from './lib.js';
import { formatProfile, summariseProfile } from './profile.js';
import { seedDatabase } from './seed.js';

const LOAD = ROUNDS_AT_10;
const FILES = 100_000;
const CHUNK = 1024 * 1024;
const TRANSFER_ROUNDS = 5;
const COOKIE = 'portico_session';
const BIG_FOLDER = 'benchfilesbig';
const log = (line: string) => process.stderr.write(`bench:files: ${line}\n`);

function sizeArg(): number {
  const arg = process.argv.find((a) => a.startsWith('--size-mb='));
  return (arg ? Number(arg.split('=')[1]) : 1024) * CHUNK;
}

/** The same pseudo-random megabyte, `size` bytes of it: cheap to make, not compressible. */
function* bytes(size: number, block: Buffer): Generator<Buffer> {
  for (let sent = 0; sent < size; sent += block.length)
    yield block.subarray(0, Math.min(block.length, size - sent));
}

/** One client with a folder of FILES files (rows only: the listing never reads contents). */
function seedFolder(file: string): { entityId: string; folderId: string } {
  const db = new SQLite(file);
  const now = Date.now();
  const entityId = 'benchfilesclient';
  const folderId = 'benchfilesfolder';
  db.prepare(
    `insert into entities (id, name, name_normalized, kind, reference, email, phone, tax_number, address, notes, created_at, updated_at, created_by)
     values (?, 'Files Bench Pty', 'files bench pty', 'company', 'FB-1', '', '', '', '', '', ?, ?, null)`,
  ).run(entityId, now, now);
  const folder = db.prepare(
    `insert into folders (id, entity_id, parent_id, place, path, name, name_key, created_by, created_by_label, created_at, updated_at)
     values (?, ?, null, '', '', ?, ?, null, 'Bench', ?, ?)`,
  );
  folder.run(folderId, entityId, 'Receipts', 'receipts', now, now);
  // Where the large file is uploaded, so its zip holds it alone.
  folder.run(BIG_FOLDER, entityId, 'Big', 'big', now, now);
  const insert = db.prepare(
    `insert into files (id, entity_id, folder_id, place, name, name_key, version, sha256, size, content_type, created_by, created_by_label, created_at, modified_by, modified_by_label, modified_at)
     values (?, ?, ?, ?, ?, ?, 1, ?, ?, 'application/pdf', null, 'Bench', ?, null, 'Bench', ?)`,
  );
  const sha = 'a'.repeat(64);
  db.transaction(() => {
    for (let i = 0; i < FILES; i++) {
      const name = `Receipt ${String(i).padStart(6, '0')}.pdf`;
      insert.run(
        `benchfile${i}`,
        entityId,
        folderId,
        folderId,
        name,
        nameKey(name),
        sha,
        1000 + (i % 977),
        now - i * 1000,
        now - i * 1000,
      );
    }
  })();
  db.prepare('analyze').run();
  db.close();
  return { entityId, folderId };
}

/**
 * A contact of the bench client who sees it (Contact - Entity Access) and was given the big folder
 * (Contact - Viewer on it), signed in: their Files page lists it as staff's does. The session's token.
 */
async function seedContact(databaseUrl: string, entityId: string, folderId: string): Promise<string> {
  const db = openDatabase(databaseUrl);
  try {
    const id = generateId();
    const now = Date.now();
    await db
      .insertInto('users')
      .values({
        id,
        kind: 'contact',
        email: 'files.contact@client.example',
        email_normalized: 'files.contact@client.example',
        first_name: 'Fay',
        last_name: 'Files',
        password_hash: null,
        disabled_at: null,
        created_at: now,
        updated_at: now,
        last_signed_in_at: now,
      })
      .execute();
    await db
      .insertInto('contact_profiles')
      .values({
        user_id: id,
        client_entity_id: entityId,
        phone: '',
        address: '',
        notes: '',
        portal_access: 1,
      })
      .execute();
    await addBinding(db, { userId: id }, 'contact_entity_access', { type: 'entity', id: entityId }, null);
    await addBinding(db, { userId: id }, 'contact_viewer', { type: 'folder', id: folderId }, null);
    return (await createSession(db, id)).token;
  } finally {
    await db.destroy();
  }
}

/** Posts `size` bytes as one file of a multipart form to `url`, streamed; resolves with the answer's status. */
function postForm(
  url: string,
  headers: Record<string, string>,
  size: number,
  block: Buffer,
): Promise<number> {
  const boundary = `bench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="files"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: 'POST',
      headers: {
        ...headers,
        'content-type': `multipart/form-data; boundary=${boundary}`,
        'content-length': String(head.length + size + tail.length),
      },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    pipeline(
      Readable.from(
        (function* () {
          yield head;
          yield* bytes(size, block);
          yield tail;
        })(),
      ),
      req,
    ).catch(reject);
  });
}

/** The large file through the app's upload form, into the big folder; the answer's status. */
const upload = (app: Served, token: string, entityId: string, size: number, block: Buffer) =>
  postForm(
    `${app.base}/entities/${entityId}/files?folder=${BIG_FOLDER}`,
    { cookie: `${COOKIE}=${token}`, origin: app.base },
    size,
    block,
  );

/** Seconds `run` takes. */
/** The server's CPU since `before`, as "user X s + system Y s". */
function spentSince(pid: number, before: { userS: number; sysS: number }): string {
  const now = cpuSplit(pid);
  return `user ${round(now.userS - before.userS, 2)} s + system ${round(now.sysS - before.sysS, 2)} s`;
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

/**
 * The same bytes as a resumable upload (tus), as a browser sends it: chunks of 1,000,000 bytes, one
 * after the other over a kept-alive connection; the last chunk's answer comes once the assembled
 * file is in the store and its row written. Resolves with the last status.
 */
async function resumableUpload(app: Served, token: string, entityId: string, size: number, block: Buffer) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const send = (method: string, url: string, headers: Record<string, string>, body?: Buffer) =>
    new Promise<{ status: number; location: string | undefined }>((resolve, reject) => {
      const req = http.request(`${app.base}${url}`, {
        method,
        agent,
        headers: { cookie: `${COOKIE}=${token}`, origin: app.base, 'tus-resumable': '1.0.0', ...headers },
      });
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, location: res.headers.location }));
      });
      req.on('error', reject);
      req.end(body);
    });
  const name = Buffer.from('big-resumable.bin').toString('base64');
  const folder = Buffer.from(BIG_FOLDER).toString('base64');
  const created = await send('POST', `/entities/${entityId}/uploads`, {
    'upload-length': String(size),
    'upload-metadata': `filename ${name},folder ${folder}`,
  });
  if (created.status !== 201 || !created.location) return created.status;
  const step = 1000 * 1000;
  const whole = Buffer.concat([...bytes(Math.min(size, 2 * CHUNK), block)]);
  let last = 0;
  for (let at = 0; at < size; at += step) {
    const length = Math.min(step, size - at);
    // Any bytes will do for the throughput: the row's size is checked below.
    const chunk = Buffer.from(whole.subarray(at % CHUNK, (at % CHUNK) + length));
    const res = await send(
      'PATCH',
      created.location,
      {
        'upload-offset': String(at),
        'content-type': 'application/offset+octet-stream',
        'content-length': String(length),
      },
      chunk,
    );
    last = res.status;
    if (last !== 204) break;
  }
  agent.destroy();
  return last;
}

/** Streams `url`, hashing what arrives; the byte count and hash. */
function download(url: string, token: string): Promise<{ size: number; sha256: string; status: number }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers: { cookie: `${COOKIE}=${token}` } }, (res) => {
        const hash = createHash('sha256');
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          hash.update(chunk);
        });
        res.on('end', () => resolve({ size, sha256: hash.digest('hex'), status: res.statusCode ?? 0 }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

/** The bare reference: the same bytes written to a file on the same disk, fsynced; the seconds it took. */
async function bareWrite(dir: string, size: number, block: Buffer): Promise<number> {
  const started = performance.now();
  const target = path.join(dir, 'disk-alone.bin');
  await pipeline(Readable.from(bytes(size, block)), fs.createWriteStream(target, { flush: true }));
  const seconds = (performance.now() - started) / 1000;
  fs.rmSync(target);
  return seconds;
}

/** The bare reference for reading: the stored blob streamed and hashed; the seconds it took. */
async function bareRead(file: string): Promise<number> {
  const started = performance.now();
  const hash = createHash('sha256');
  await pipeline(
    fs.createReadStream(file),
    new Writable({
      write(chunk: Buffer, _e, done) {
        hash.update(chunk);
        done();
      },
    }),
  );
  hash.digest('hex');
  return (performance.now() - started) / 1000;
}

const mbps = (size: number, seconds: number) => round(size / CHUNK / seconds, 0);

/** The round whose app/bare throughput ratio is the median, with that ratio and every round's. */
function medianRound<R extends { bareS: number; appS: number }>(rounds: R[]) {
  const all = rounds.map((r) => r.bareS / r.appS);
  const middle = [...rounds].sort((a, b) => a.bareS / a.appS - b.bareS / b.appS)[rounds.length >> 1]!;
  return { ...middle, ratio: middle.bareS / middle.appS, all };
}

/**
 * Runs `work` against an app started with --cpu-prof, keeps the profile as bench/results/`name`,
 * and prints `work`'s own line and where the CPU time went (bench/profile.ts). Nothing else is
 * measured.
 */
async function profiled(
  dataDir: string,
  env: Record<string, string>,
  name: string,
  work: (app: Served) => Promise<string>,
  frames?: number,
): Promise<void> {
  const profDir = path.join(dataDir, 'cpuprofile');
  const app = await startApp(dataDir, env, ['--cpu-prof', '--cpu-prof-dir', profDir]);
  let line: string;
  try {
    line = await work(app);
  } finally {
    await stop(app.child);
  }
  const file = fs.readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error(`no .cpuprofile written in ${profDir}`);
  const kept = path.join(ensureResultsDir(), name);
  fs.copyFileSync(path.join(profDir, file), kept);
  const during = `during ${name.replace(/^files-|\.cpuprofile$/g, '')}`;
  process.stdout.write(`${line}\n${formatProfile(summariseProfile(kept, repoRoot, frames), during)}\n`);
}

/** `--profile-listing`: the folder's first page under load. */
function profileListing(dataDir: string, pagePath: string, token: string): Promise<void> {
  const headers = { cookie: `${COOKIE}=${token}` };
  const isPage = (b: string) => b.includes('Receipt 000049.pdf');
  return profiled(dataDir, {}, 'files-listing.cpuprofile', async (app) => {
    await cannon(`${app.base}${pagePath}`, 2, headers, isPage, LOAD.connections);
    const load = await cannon(`${app.base}${pagePath}`, 5, headers, isPage, LOAD.connections);
    return `${load.rps} req/s under the profiler, p99 ${load.p99Ms} ms`;
  });
}

/**
 * `--profile-upload`: one plain upload of the large file; `--profile-resumable`: the same bytes as
 * a resumable upload, its assembly into the store included.
 */
function profileUpload(
  dataDir: string,
  token: string,
  entityId: string,
  size: number,
  block: Buffer,
  resumable: boolean,
) {
  const env = { MAX_UPLOAD_MB: String(Math.ceil(size / CHUNK) + 1) };
  const [send, answer] = resumable ? [resumableUpload, 204] : [upload, 303];
  return profiled(
    dataDir,
    env,
    resumable ? 'files-resumable.cpuprofile' : 'files-upload.cpuprofile',
    async (app) => {
      const started = performance.now();
      const status = await send(app, token, entityId, size, block);
      if (status !== answer) throw new Error(`the upload answered ${status}`);
      return `${mbps(size, (performance.now() - started) / 1000)} MB/s under the profiler`;
    },
    30,
  );
}

/**
 * `--perf-upload`: one plain upload of the large file, recorded by Linux `perf` (every thread of the
 * server, kernel included, JS frames named through --perf-basic-prof): what the V8 profile cannot
 * show, such as whose time a write's copy into the page cache is. Prints perf's own top symbols.
 */
async function perfUpload(dataDir: string, token: string, entityId: string, size: number, block: Buffer) {
  const env = { MAX_UPLOAD_MB: String(Math.ceil(size / CHUNK) + 1) };
  const app = await startApp(dataDir, env, ['--perf-basic-prof']);
  const data = path.join(ensureResultsDir(), 'files-upload.perf.data');
  const perf = spawn('perf', ['record', '-g', '-o', data, '-p', String(app.child.pid)], { stdio: 'ignore' });
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    const started = performance.now();
    const status = await upload(app, token, entityId, size, block);
    if (status !== 303) throw new Error(`the upload answered ${status}`);
    process.stdout.write(`${mbps(size, (performance.now() - started) / 1000)} MB/s under perf\n`);
  } finally {
    const ended = new Promise((resolve) => perf.once('exit', resolve));
    perf.kill('SIGINT');
    await ended;
    await stop(app.child);
  }
  const report = spawnSync(
    'perf',
    [
      'report',
      '-i',
      data,
      '--no-children',
      '--sort',
      'dso,symbol',
      '--stdio',
      '--percent-limit',
      '0.5',
      '-g',
      'none',
    ],
    { encoding: 'utf8' },
  );
  // perf pads each line with empty columns (IPC) to the terminal's width.
  const lines = report.stdout.split('\n').filter((l) => l.trim() && !l.startsWith('#'));
  process.stdout.write(`${lines.map((l) => l.replace(/[\s-]+$/, '')).join('\n')}\n`);
  process.stdout.write(`perf data kept in ${data} (perf report -i it for call graphs)\n`);
}

async function main(): Promise<void> {
  requireBuilt('bench:files');
  pinSelf();
  const size = sizeArg();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-files-'));
  const failures: string[] = [];
  const block = randomBytes(CHUNK);
  try {
    log(`seeding a firm and a folder of ${FILES} files`);
    const seeded = await seedDatabase(tmp);
    const file = seeded.databaseUrl.slice('sqlite:'.length);
    const { entityId, folderId } = seedFolder(file);
    const token = seeded.sessionToken;
    const contactToken = await seedContact(seeded.databaseUrl, entityId, folderId);
    if (process.argv.includes('--profile-upload') || process.argv.includes('--profile-resumable')) {
      await profileUpload(tmp, token, entityId, size, block, process.argv.includes('--profile-resumable'));
      return;
    }
    if (process.argv.includes('--perf-upload')) {
      await perfUpload(tmp, token, entityId, size, block);
      return;
    }
    if (process.argv.includes('--profile-listing')) {
      await profileListing(tmp, `/entities/${entityId}/files?folder=${folderId}&sort=name&page=1`, token);
      return;
    }
    const bare = await startBare({ BARE_DIR: tmp });
    const app = await startApp(tmp, { MAX_UPLOAD_MB: String(Math.ceil(size / CHUNK) + 1) });
    let listing: MeasuredRow[];
    const transfer: Record<string, number> = {};
    type Round = { bareS: number; appS: number; bareSpent?: string; appSpent?: string };
    const upRounds: Round[] = [];
    const downRounds: Round[] = [];
    try {
      // Rounds alternate the bare copy and the upload, so the machine's drift hits both alike; the
      // same name again makes a new version of the same content, stored just as the first was.
      log(
        `uploading ${size / CHUNK} MB through the app and through the bare copy, ${TRANSFER_ROUNDS} alternating rounds`,
      );
      transfer.diskWriteS = await bareWrite(tmp, size, block);
      transfer.uploadStartRssMb = round(rssMb(app.child.pid), 1);
      const rssUp = sampleRss(app.child.pid);
      let status = 0;
      for (let r = 0; r < TRANSFER_ROUNDS && (r === 0 || status === 303); r++) {
        let bareStatus = 0;
        const bareCpu = cpuSplit(bare.child.pid);
        const bareS = await timed(async () => {
          bareStatus = await postForm(`${bare.base}/copy`, {}, size, block);
        });
        const bareSpent = spentSince(bare.child.pid, bareCpu);
        if (bareStatus !== 204) throw new Error(`the bare copy answered ${bareStatus}`);
        const appCpu = cpuSplit(app.child.pid);
        const appS = await timed(async () => {
          status = await upload(app, token, entityId, size, block);
        });
        upRounds.push({ bareS, appS, bareSpent, appSpent: spentSince(app.child.pid, appCpu) });
      }
      transfer.uploadPeakRssMb = round(rssUp.stop(), 1);
      const db = new SQLite(file, { readonly: true });
      const row = db.prepare("select id, size, sha256 from files where name = 'big.bin'").get() as
        | { id: string; size: number; sha256: string }
        | undefined;
      db.close();
      if (status !== 303 || !row || row.size !== size)
        throw new Error(`the upload answered ${status}; its row: ${JSON.stringify(row)}`);

      log(`uploading ${size / CHUNK} MB again, resumable (tus, 1 MB chunks)`);
      transfer.resumableStartRssMb = round(rssMb(app.child.pid), 1);
      const rssTus = sampleRss(app.child.pid);
      const startedTus = performance.now();
      const tusStatus = await resumableUpload(app, token, entityId, size, block);
      transfer.resumableS = (performance.now() - startedTus) / 1000;
      transfer.resumablePeakRssMb = round(rssTus.stop(), 1);
      const tusDb = new SQLite(file, { readonly: true });
      const tusRow = tusDb.prepare("select size from files where name = 'big-resumable.bin'").get() as
        | { size: number }
        | undefined;
      tusDb.close();
      if (tusStatus !== 204 || tusRow?.size !== size)
        failures.push(`the resumable upload answered ${tusStatus}; its row: ${JSON.stringify(tusRow)}`);

      log(`downloading it through the app and through the bare copy, ${TRANSFER_ROUNDS} alternating rounds`);
      const blob = path.join(tmp, 'blobs', row.sha256.slice(0, 2), row.sha256.slice(2, 4), row.sha256);
      transfer.diskReadS = await bareRead(blob);
      // The bare copy's download reads the very bytes the app's does.
      fs.linkSync(blob, path.join(tmp, 'bare-copy.bin'));
      transfer.downloadStartRssMb = round(rssMb(app.child.pid), 1);
      const rssDown = sampleRss(app.child.pid);
      for (let r = 0; r < TRANSFER_ROUNDS; r++) {
        let bareGot = { size: 0, status: 0 };
        const bareS = await timed(async () => {
          bareGot = await download(`${bare.base}/copy`, token);
        });
        if (bareGot.status !== 200 || bareGot.size < size)
          throw new Error(`the bare copy's download answered ${bareGot.status} with ${bareGot.size} bytes`);
        let got = { size: 0, sha256: '', status: 0 };
        const appS = await timed(async () => {
          got = await download(`${app.base}/files/${row.id}/download`, token);
        });
        downRounds.push({ bareS, appS });
        if (got.status !== 200 || got.size !== size || got.sha256 !== row.sha256)
          failures.push(`the download answered ${got.status} with ${got.size} bytes (${got.sha256})`);
      }
      transfer.downloadPeakRssMb = round(rssDown.stop(), 1);

      log('downloading its folder (both uploads) as a zip');
      transfer.zipStartRssMb = round(rssMb(app.child.pid), 1);
      const rssZip = sampleRss(app.child.pid);
      const startedZip = performance.now();
      const zipped = await download(`${app.base}/folders/${BIG_FOLDER}/zip`, token);
      // Seconds per size: the zip carries both uploads, twice the bytes.
      transfer.zipS = (performance.now() - startedZip) / 1000 / 2;
      transfer.zipPeakRssMb = round(rssZip.stop(), 1);
      // Stored, not compressed: the zip is the two uploads (plain and resumable) plus their headers.
      if (zipped.status !== 200 || zipped.size < 2 * size || zipped.size > 2 * size + 4096)
        failures.push(`the zip answered ${zipped.status} with ${zipped.size} bytes`);

      log('the folder listing');
      const page = (q: string, mark: string) => ({
        label: `GET folder of ${FILES} files, ${q}`,
        run: (seconds: number) =>
          cannon(
            `${app.base}/entities/${entityId}/files?folder=${folderId}&${q}`,
            seconds,
            { cookie: `${COOKIE}=${token}` },
            (b) => b.includes(mark),
            LOAD.connections,
          ),
      });
      listing = await alternate(
        [
          {
            label: 'bare Hono GET / (text "ok")',
            run: (s) => cannon(`${bare.base}/`, s, {}, (b) => b === 'ok', LOAD.connections),
          },
          page('sort=name&page=1', 'Receipt 000049.pdf'),
          page('sort=name&page=1000', 'Receipt 049999.pdf'),
          page('sort=date&dir=desc&page=1', 'Receipt 000000.pdf'),
          {
            label: `GET a contact's Files page of that folder, page 1`,
            run: (seconds: number) =>
              cannon(
                `${app.base}/portal/entities/${entityId}/files?folder=${folderId}&sort=name&page=1`,
                seconds,
                { cookie: `${COOKIE}=${contactToken}` },
                (b) => b.includes('Receipt 000049.pdf'),
                LOAD.connections,
              ),
          },
          {
            label: `GET that contact's portal home (its 200 newest files)`,
            run: (seconds: number) =>
              cannon(
                `${app.base}/portal?entity=${entityId}`,
                seconds,
                { cookie: `${COOKIE}=${contactToken}` },
                (b) => b.includes('Receipt 000000.pdf'),
                LOAD.connections,
              ),
          },
        ],
        { ...LOAD, log },
      );
    } finally {
      await stop(app.child);
      await stop(bare.child);
    }

    const up = medianRound(upRounds);
    const down = medianRound(downRounds);
    const pct = (r: number) => `${Math.round(r * 100)} %`;
    const report = [
      ...machineLines('bench:files'),
      '',
      `One file of ${size / CHUNK} MB:`,
      `  upload through the app   ${String(mbps(size, up.appS)).padStart(6)} MB/s   bare copy ${mbps(size, up.bareS)} MB/s   ${pct(up.ratio)} (target 70 %; rounds ${up.all.map(pct).join(', ')})   peak RSS ${transfer.uploadPeakRssMb} MB from ${transfer.uploadStartRssMb} (target < 150)`,
      `    the server's CPU in that round: the app ${up.appSpent}; the bare copy ${up.bareSpent}`,
      `  resumable upload (tus)   ${String(mbps(size, transfer.resumableS!)).padStart(6)} MB/s   bare copy ${mbps(size, up.bareS)} MB/s   ${pct(up.bareS / transfer.resumableS!)}, storing the assembled file included   peak RSS ${transfer.resumablePeakRssMb} MB from ${transfer.resumableStartRssMb}`,
      `  download through the app ${String(mbps(size, down.appS)).padStart(6)} MB/s   bare copy ${mbps(size, down.bareS)} MB/s   ${pct(down.ratio)} (rounds ${down.all.map(pct).join(', ')})   peak RSS ${transfer.downloadPeakRssMb} MB from ${transfer.downloadStartRssMb} (target < 150)`,
      `  its folder as a zip      ${String(mbps(size, transfer.zipS!)).padStart(6)} MB/s   peak RSS ${transfer.zipPeakRssMb} MB from ${transfer.zipStartRssMb} (target < 150)`,
      `  the disk alone, in the bench's own process (no HTTP): write ${mbps(size, transfer.diskWriteS!)} MB/s, read and hash ${mbps(size, transfer.diskReadS!)} MB/s`,
      '',
      roundsLine(LOAD),
      `  ${'target'.padEnd(56)}${'req/s'.padStart(8)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'of bare'.padStart(9)}${'non2xx'.padStart(8)}`,
      ...listing.map(
        (h) =>
          `  ${h.label.padEnd(56)}${String(h.rps).padStart(8)}${h.p50Ms.toFixed(2).padStart(9)}${h.p99Ms.toFixed(2).padStart(9)}${`${(h.ratio * 100).toFixed(1)}%`.padStart(9)}${String(h.non2xx + h.errors + h.badBodies).padStart(8)}`,
      ),
    ];
    for (const h of listing.slice(1)) {
      if (h.non2xx || h.errors || h.badBodies)
        failures.push(`${h.label}: ${h.non2xx} non-2xx, ${h.errors} errors, ${h.badBodies} wrong pages`);
    }
    finish('files', report, { size, transfer, upload: up, download: down, listing }, failures);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

runBench('bench:files', main);
