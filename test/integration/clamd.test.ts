/**
 * The clamd client against a real clamd (test/helpers/clamd.ts): clean content passes, the EICAR
 * test string is found wherever it sits in the stream, content past StreamMaxLength is "too large"
 * over either socket, and a clamd that is not there or does not answer is "unavailable", never clean.
 */
import net from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pingClamd, scanContent, verdictOf } from '../../src/files/clamd.js';
import { parseClamdUrl } from '../../src/kernel/config.js';
import { clamdMissing, EICAR, EICAR_SIGNATURE, startClamd, type TestClamd } from '../helpers/clamd.js';
import { freePort } from '../helpers/process.js';

const bytes = (...parts: (string | Buffer)[]) =>
  Readable.from([Buffer.concat(parts.map((p) => Buffer.from(p)))]);

describe.skipIf(clamdMissing())('clamd client', () => {
  let clamd: TestClamd;
  beforeAll(async () => {
    clamd = await startClamd({ streamMaxLength: '1M' });
  });
  afterAll(() => clamd?.stop());

  it('passes clean content over TCP and over the unix socket', async () => {
    for (const address of [clamd.tcp, clamd.unix]) {
      expect(await scanContent(address, bytes('Quarterly figures, nothing else.'))).toEqual({
        status: 'clean',
      });
      expect(await scanContent(address, Readable.from([]))).toEqual({ status: 'clean' });
    }
  });

  it('finds the EICAR string alone, and deep inside content sent in many chunks, over either socket', async () => {
    const padding = Buffer.alloc(300 * 1024, 'a');
    for (const address of [clamd.tcp, clamd.unix]) {
      expect(await scanContent(address, bytes(EICAR))).toEqual({
        status: 'infected',
        signature: EICAR_SIGNATURE,
      });
      // Split across the client's 64 KB frames and across the source's own chunks.
      const source = Readable.from([
        padding.subarray(0, 100_000),
        Buffer.concat([padding.subarray(100_000), Buffer.from(EICAR)]),
      ]);
      expect(await scanContent(address, source)).toEqual({ status: 'infected', signature: EICAR_SIGNATURE });
      // Across the boundary of two frames: every byte must reach clamd, in order.
      const straddling = Readable.from([
        Buffer.concat([padding.subarray(0, 64 * 1024 - 30), Buffer.from(EICAR)]),
      ]);
      expect(await scanContent(address, straddling)).toEqual({
        status: 'infected',
        signature: EICAR_SIGNATURE,
      });
    }
  });

  it('calls content past clamd’s StreamMaxLength too large, over either socket, and clamd goes on answering', async () => {
    const big = Buffer.alloc(2 * 1024 * 1024, 'b');
    for (const address of [clamd.unix, clamd.tcp]) {
      expect(await scanContent(address, Readable.from([big]))).toEqual({ status: 'too-large' });
      expect(await pingClamd(address)).toBe(true);
    }
  });

  it('calls a clamd that is not there unavailable: a closed port, a missing socket', async () => {
    const closed = { kind: 'tcp' as const, host: '127.0.0.1', port: await freePort() };
    expect(await scanContent(closed, bytes('x'))).toEqual({ status: 'unavailable', reason: 'ECONNREFUSED' });
    const missing = { kind: 'unix' as const, path: `${clamd.unix.path}.gone` };
    expect(await scanContent(missing, bytes(EICAR))).toEqual({ status: 'unavailable', reason: 'ENOENT' });
    expect(await pingClamd(closed)).toBe(false);
  });

  it('calls a scanner that takes the content and never answers unavailable once it has been silent too long', async () => {
    const silent = net.createServer((socket) => socket.resume());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = silent.address() as net.AddressInfo;
      const started = Date.now();
      const verdict = await scanContent({ kind: 'tcp', host: '127.0.0.1', port }, bytes(EICAR), {
        idleMs: 300,
      });
      expect(verdict).toEqual({ status: 'unavailable', reason: 'clamd stopped answering' });
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      silent.close();
    }
  });

  it('reads CLAMD_URL as the config does', async () => {
    const address = parseClamdUrl(`tcp://127.0.0.1:${clamd.tcp.port}`)!;
    expect(await scanContent(address, bytes('fine'))).toEqual({ status: 'clean' });
    expect(await scanContent(parseClamdUrl(`unix:${clamd.unix.path}`)!, bytes(EICAR))).toMatchObject({
      status: 'infected',
    });
  });
});

describe('clamd’s answers', () => {
  it('are clean only when clamd says OK; a size limit is too large; any other answer is not clean', () => {
    expect(verdictOf('stream: OK')).toEqual({ status: 'clean' });
    expect(verdictOf('stream: Win.Test.EICAR_HDB-1 FOUND')).toEqual({
      status: 'infected',
      signature: 'Win.Test.EICAR_HDB-1',
    });
    expect(verdictOf('INSTREAM size limit exceeded. ERROR')).toEqual({ status: 'too-large' });
    for (const other of ['stream: OK FOUND?', 'COMMAND READ TIMED OUT', 'stream: lstat() failed. ERROR', ''])
      expect(verdictOf(other).status).toBe('unavailable');
  });
});
