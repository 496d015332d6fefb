/**
 * The built server as a real process: first-run setup link on the console (and nowhere in the
 * logs), one clear line for bad configuration, migrations on their own, and a graceful SIGTERM
 * that lets an in-flight request finish before the database closes.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { coreMigrations } from '../../migrations/index.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const SERVER = path.join(ROOT, 'dist/src/server.js');

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface Running {
  child: ChildProcess;
  port: number;
  output: () => string;
  exited: Promise<number | null>;
}

const running: Running[] = [];
const dirs: string[] = [];

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-proc-'));
  dirs.push(dir);
  return dir;
}

async function start(env: Record<string, string> = {}): Promise<Running> {
  const port = await freePort();
  let out = '';
  const child = spawn(process.execPath, [SERVER], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      DATA_DIR: tempDir(),
      BASE_URL: `http://127.0.0.1:${port}`,
      LOG_LEVEL: 'info',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const r = { child, port, output: () => out, exited };
  running.push(r);
  for (let i = 0; i < 200 && !out.includes('"msg":"listening"'); i++)
    await new Promise((res) => setTimeout(res, 25));
  return r;
}

afterEach(async () => {
  for (const r of running.splice(0)) if (r.child.exitCode === null) r.child.kill('SIGKILL');
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('the server process', () => {
  it('prints a one-time setup link built from BASE_URL, and never writes the token into a log line', async () => {
    const s = await start();
    const link = s.output().match(/http:\/\/127\.0\.0\.1:\d+\/setup\?token=([a-z2-7]{32})/);
    expect(link).not.toBeNull();
    const res = await fetch(link![0]);
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 100));
    const logLines = s
      .output()
      .split('\n')
      .filter((l) => l.startsWith('{'));
    expect(logLines.some((l) => l.includes('"route":"/setup"'))).toBe(true);
    expect(logLines.filter((l) => l.includes(link![1]!))).toEqual([]);
  });

  it('sends the security headers on every response from the real server, and a route’s own header wins', async () => {
    const s = await start();
    const link = s.output().match(/http:\/\/127\.0\.0\.1:\d+\/setup\?token=[a-z2-7]{32}/)![0];
    const base = `http://127.0.0.1:${s.port}`;
    const page = await fetch(link);
    const redirect = await fetch(`${base}/`, { redirect: 'manual' });
    const missing = await fetch(`${base}/static/missing.css`);
    expect([page.status, redirect.status, missing.status]).toEqual([200, 302, 404]);
    for (const res of [page, redirect, missing]) {
      expect(res.headers.get('Content-Security-Policy')).toMatch(
        /^default-src 'none'; script-src 'self' 'nonce-[0-9a-f-]{36}'; .*frame-ancestors 'none'$/,
      );
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(res.headers.get('Referrer-Policy')).toBe('same-origin');
      expect(res.headers.get('X-Frame-Options')).toBe('DENY');
      expect(res.headers.get('Cross-Origin-Opener-Policy')).toBe('same-origin');
      expect(res.headers.get('Permissions-Policy')).toBe('camera=(), microphone=(), geolocation=()');
      expect(res.headers.get('Cache-Control')).toBe('no-store');
      expect(res.headers.get('X-Request-Id')).toMatch(/^[0-9a-f]{12}$/);
    }
    const nonce = /'nonce-([^']+)'/.exec(page.headers.get('Content-Security-Policy')!)![1];
    const html = await page.text();
    expect(html).toContain(`nonce="${nonce}"`);
    const stylesheet = /rel="stylesheet" href="(\/static\/[^"]+)"/.exec(html)![1];
    const asset = await fetch(`${base}${stylesheet}`);
    expect(asset.status).toBe(200);
    // The asset's own lifetime, not the pages' no-store, and still the rest.
    expect(asset.headers.get('Cache-Control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.getSetCookie()).toEqual([]);
    expect(asset.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('loads no AWS SDK where files are kept on disk, and loads it once a bucket is used', () => {
    // The SDK holds about 15 MB; a disk install must not pay for it (src/storage/aws-sdk.ts).
    const script = `
      import { createRequire } from 'node:module';
      const { createBlobStore } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/storage/index.js'))});
      const { resumableServer } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/files/resumable/tus.js'))});
      const loaded = () => Object.keys(createRequire(import.meta.url).cache).some((k) => k.includes('@aws-sdk'));
      const disk = { dataDir: ${JSON.stringify(tempDir())}, storage: { kind: 'disk' }, baseUrl: 'http://127.0.0.1:1' };
      createBlobStore(disk);
      await resumableServer({ db: null, config: disk, maxBytes: 1024 });
      const onDisk = loaded();
      createBlobStore({ ...disk, storage: { kind: 's3', bucket: 'b', region: 'r', accessKeyId: 'a', secretAccessKey: 's' } });
      console.log(JSON.stringify({ onDisk, onS3: loaded() }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ onDisk: false, onS3: true });
  });

  it('loads neither tus’s server, file-type nor Resend’s SDK at start; each on its first use', () => {
    // Together about 18 MB and 0.4 s of every start (src/files/resumable/tus.ts, content.ts, src/mail/resend.ts).
    // A resolve hook (run in its own thread) tells the script every module it loads.
    const hooks = path.join(tempDir(), 'hooks.mjs');
    fs.writeFileSync(
      hooks,
      `let port;
      export function initialize(data) { port = data.port; }
      export async function resolve(specifier, context, next) {
        const resolved = await next(specifier, context);
        port.postMessage(resolved.url);
        return resolved;
      }`,
    );
    const script = `
      import { register } from 'node:module';
      import { MessageChannel } from 'node:worker_threads';
      const { port1, port2 } = new MessageChannel();
      const urls = new Set();
      port1.on('message', (url) => urls.add(url));
      port1.unref();
      register(${JSON.stringify(`file://${hooks}`)}, { data: { port: port2 }, transferList: [port2] });
      const settle = () => new Promise((resolve) => setTimeout(resolve, 200));
      const loaded = () => ({
        tus: [...urls].some((u) => u.includes('/node_modules/@tus/')),
        fileType: [...urls].some((u) => u.includes('/file-type/')),
        resend: [...urls].some((u) => u.includes('/resend/')),
      });
      await import(${JSON.stringify(path.join(ROOT, 'dist/src/app.js'))});
      await settle();
      const atStart = loaded();
      const { identify } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/files/content.js'))});
      await identify('a.pdf', new TextEncoder().encode('%PDF-1.4'));
      const { resumableServer } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/files/resumable/tus.js'))});
      await resumableServer({ db: null, config: { dataDir: ${JSON.stringify(tempDir())}, baseUrl: 'http://127.0.0.1:1' }, maxBytes: 1024 });
      const { resendTransport } = await import(${JSON.stringify(path.join(ROOT, 'dist/src/mail/resend.js'))});
      const resend = resendTransport('re_test', { name: null, address: 'portico@portico.test' }, { baseUrl: 'http://127.0.0.1:1', timeoutMs: 1000 });
      await resend.send({ to: 'a@example.com', subject: 's', text: 't', html: 'h', kind: 'test' }).catch(() => {});
      await settle();
      console.log(JSON.stringify({ atStart, afterUse: loaded(), seen: urls.size > 50 }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      atStart: { tus: false, fileType: false, resend: false },
      afterUse: { tus: true, fileType: true, resend: true },
      seen: true,
    });
  });

  it('stops with one clear line when the configuration is wrong', () => {
    const r = spawnSync(process.execPath, [SERVER], {
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty' },
      encoding: 'utf8',
    });
    expect(r.status).toBe(1);
    expect(r.stderr.trim()).toBe(
      'Invalid configuration: PORT must be a whole number between 1 and 65535 (got "eighty")',
    );
  });

  it('migrates on its own with npm run migrate, and says when there is nothing to do', () => {
    const env = { PATH: process.env.PATH ?? '', DATA_DIR: tempDir() };
    const cli = path.join(ROOT, 'dist/src/db/migrate-cli.js');
    expect(spawnSync(process.execPath, [cli], { env, encoding: 'utf8' }).stdout).toBe(
      `Applied: ${Object.keys(coreMigrations).join(', ')}\n`,
    );
    expect(spawnSync(process.execPath, [cli], { env, encoding: 'utf8' }).stdout).toBe(
      'The database is up to date.\n',
    );
  });

  it('on SIGTERM finishes the request in flight, closes the database and exits 0', async () => {
    const s = await start();
    const response = new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port: s.port,
          path: '/setup',
          method: 'POST',
          headers: {
            'Content-Type': 'application/x-www-form-urlencoded',
            Origin: `http://127.0.0.1:${s.port}`,
            'Content-Length': 20,
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write('token=abc&');
      setTimeout(() => {
        s.child.kill('SIGTERM');
        setTimeout(() => req.end('firmName=x'), 300);
      }, 200);
    });
    expect(await response).toBe(422);
    expect(await s.exited).toBe(0);
    expect(s.output()).toContain('"msg":"stopped"');
  });
});

describe('the password-link command', () => {
  it('prints a one-time link for an enabled staff member, built from BASE_URL, and refuses unknown emails', async () => {
    const dataDir = tempDir();
    const port = await freePort();
    const env = { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, BASE_URL: `http://127.0.0.1:${port}` };
    const cli = path.join(ROOT, 'dist/src/auth/password-link-cli.js');
    expect(spawnSync(process.execPath, [cli, 'nobody@example.com'], { env, encoding: 'utf8' }).stderr).toBe(
      'No enabled staff member has the email nobody@example.com.\n',
    );
    const s = await start({ DATA_DIR: dataDir, PORT: String(port), BASE_URL: env.BASE_URL });
    const setup = s.output().match(/\/setup\?token=([a-z2-7]+)/)![1]!;
    const body = new URLSearchParams({
      token: setup,
      firmName: 'Firm',
      entityLabel: 'Client',
      timeZone: 'UTC',
      firstName: 'Only',
      lastName: 'Admin',
      email: 'only@example.com',
      password: 'forgotten password',
      passwordConfirm: 'forgotten password',
    });
    const res = await fetch(`${env.BASE_URL}/setup`, {
      method: 'POST',
      body,
      headers: { Origin: env.BASE_URL },
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    const out = spawnSync(process.execPath, [cli, 'ONLY@example.com'], { env, encoding: 'utf8' }).stdout;
    const link = out.match(/http:\/\/127\.0\.0\.1:\d+\/set-password\/[a-z2-7]{32}/)![0];
    expect((await fetch(link)).status).toBe(200);
  });
});
