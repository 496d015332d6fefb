/**
 * A real clamd (Debian's clamav-daemon) for the virus-scanning tests: started as a child process
 * with a config of its own in a temp folder, listening on a unix socket and on a free loopback TCP
 * port, its database one signature file for the EICAR test string (no freshclam, no download).
 * In CI a missing clamd fails the run; elsewhere the tests skip, saying why.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pingClamd } from '../../src/files/clamd.js';
import type { ClamdAddress } from '../../src/kernel/config.js';
import { freePort } from './process.js';

export const CLAMD_BIN = process.env.CLAMD_BIN ?? '/usr/sbin/clamd';

/** The antivirus industry's harmless test file: every scanner must report it, ours by the signature below. */
export const EICAR = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
/** What clamd reports for it: the .ndb name, marked unofficial by clamd as any local signature. */
export const EICAR_SIGNATURE = 'Portico.Test.EICAR.UNOFFICIAL';

/** Why the clamd tests cannot run here, or null when they can. Throws in CI: a missing clamd fails the run. */
export function clamdMissing(): string | null {
  if (fs.existsSync(CLAMD_BIN)) return null;
  const why = `${CLAMD_BIN} is not installed (Debian: apt-get install clamav-daemon)`;
  if (process.env.CI)
    throw new Error(`CI is set but ${why}: the virus-scanning tests would silently not run.`);
  console.warn(`Skipping the virus-scanning tests: ${why}.`);
  return why;
}

export interface TestClamd {
  tcp: ClamdAddress & { kind: 'tcp' };
  unix: ClamdAddress & { kind: 'unix' };
  stop(): Promise<void>;
}

export async function startClamd(options: { streamMaxLength?: string } = {}): Promise<TestClamd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-clamd-'));
  const db = path.join(dir, 'db');
  fs.mkdirSync(db);
  // A body signature (.ndb: name, any file type, any offset, hex): found wherever the string is.
  fs.writeFileSync(
    path.join(db, 'portico-test.ndb'),
    `Portico.Test.EICAR:0:*:${Buffer.from(EICAR).toString('hex')}\n`,
  );
  const port = await freePort();
  const socket = path.join(dir, 'clamd.sock');
  const conf = path.join(dir, 'clamd.conf');
  fs.writeFileSync(
    conf,
    [
      'Foreground yes',
      `LocalSocket ${socket}`,
      'TCPAddr 127.0.0.1',
      `TCPSocket ${port}`,
      `DatabaseDirectory ${db}`,
      `TemporaryDirectory ${dir}`,
      `PidFile ${path.join(dir, 'clamd.pid')}`,
      `LogFile ${path.join(dir, 'clamd.log')}`,
      `StreamMaxLength ${options.streamMaxLength ?? '10M'}`,
      // No database reload checks while a test runs; nothing here is ever updated.
      'SelfCheck 0',
      '',
    ].join('\n'),
  );
  let output = '';
  const child: ChildProcess = spawn(CLAMD_BIN, ['--config-file', conf], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const unix = { kind: 'unix' as const, path: socket };
  const tcp = { kind: 'tcp' as const, host: '127.0.0.1', port };
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Even a one-signature database takes clamd a moment (more on a busy machine) to load.
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    if ((await pingClamd(unix, { connectMs: 500 })) && (await pingClamd(tcp, { connectMs: 500 })))
      return { tcp, unix, stop };
    await new Promise((r) => setTimeout(r, 100));
  }
  const log = fs.existsSync(path.join(dir, 'clamd.log'))
    ? fs.readFileSync(path.join(dir, 'clamd.log'), 'utf8')
    : '';
  await stop();
  throw new Error(`clamd did not answer PING within 30 s:\n${output}\n${log}`);
}
