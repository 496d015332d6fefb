/**
 * A resumable upload is hashed as its chunks are written only while this process saw every chunk,
 * in order, written whole; anything else leaves it to be hashed from the assembled file.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { describe, expect, it } from 'vitest';
import { RunningHashes } from '../../src/files/resumable/running-hashes.js';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

/** A store's write as tus's file store does it: reads the chunk whole, answers the new offset. */
function writer(file: { bytes: string }, offset: number) {
  return async (body: Readable) => {
    file.bytes = file.bytes.slice(0, offset) + (await text(body));
    return file.bytes.length;
  };
}

async function send(hashes: RunningHashes, file: { bytes: string }, id: string, chunk: string) {
  const offset = file.bytes.length;
  return hashes.write(id, offset, Readable.from([Buffer.from(chunk)]), writer(file, offset));
}

describe('hashing resumable uploads as they arrive', () => {
  it('follows an upload sent in order, chunk by chunk, to the SHA-256 of every byte', async () => {
    const hashes = new RunningHashes();
    const file = { bytes: '' };
    for (const chunk of ['Payroll ', '2026, ', 'all staff\n']) await send(hashes, file, 'a', chunk);
    expect(file.bytes).toBe('Payroll 2026, all staff\n');
    expect(hashes.take('a', file.bytes.length)).toBe(sha(file.bytes));
    // Taken once: its state is gone.
    expect(hashes.take('a', file.bytes.length)).toBeNull();
  });

  it('knows nothing of an upload whose size it has not seen every byte of', async () => {
    const hashes = new RunningHashes();
    const file = { bytes: '' };
    await send(hashes, file, 'a', 'Payroll');
    expect(hashes.take('a', 8)).toBeNull();
    expect(hashes.take('never', 0)).toBeNull();
  });

  it('lets go of an upload when a chunk reached another process', async () => {
    const hashes = new RunningHashes();
    const file = { bytes: '' };
    await send(hashes, file, 'a', 'Payroll ');
    file.bytes += '2026, '; // written by another process
    // Not followed any more: the chunk goes to the write as it came, with nothing hashed on the way.
    const body = Readable.from([Buffer.from('all staff\n')]);
    let given: Readable | undefined;
    await hashes.write('a', 14, body, (b) => {
      given = b;
      return writer(file, 14)(b);
    });
    expect(given).toBe(body);
    expect(hashes.take('a', file.bytes.length)).toBeNull();
  });

  it('lets go of an upload whose chunk failed, or was written short', async () => {
    const hashes = new RunningHashes();
    const file = { bytes: '' };
    await send(hashes, file, 'a', 'Payroll ');
    const failing = async () => {
      throw new Error('the connection dropped');
    };
    await expect(hashes.write('a', 8, Readable.from([Buffer.from('2026')]), failing)).rejects.toThrow(
      'the connection dropped',
    );
    expect(hashes.take('a', 12)).toBeNull();

    const short = async (body: Readable) => (await text(body)).length - 1;
    await hashes.write('b', 0, Readable.from([Buffer.from('Ledger')]), short);
    // Six bytes hashed, five written: what it hashed is not the file.
    expect(hashes.take('b', 6)).toBeNull();
  });

  it('passes every byte on to the write, followed or not', async () => {
    const hashes = new RunningHashes(0);
    const file = { bytes: '' };
    await send(hashes, file, 'a', 'Payroll');
    expect(file.bytes).toBe('Payroll');
    // `most` 0: nothing is followed, the write happens all the same.
    expect(hashes.take('a', 7)).toBeNull();
  });

  it('follows at most so many uploads, letting go of those not heard of for a while', async () => {
    const hashes = new RunningHashes(2, 50);
    const files = { a: { bytes: '' }, b: { bytes: '' }, c: { bytes: '' } };
    await send(hashes, files.a, 'a', 'one');
    await send(hashes, files.b, 'b', 'two');
    await send(hashes, files.c, 'c', 'three');
    expect(hashes.take('c', 5)).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 60));
    await send(hashes, files.b, 'b', ' more');
    // "a" sat idle past 50 ms and made room; "b", just heard of, is still followed.
    files.c.bytes = '';
    await send(hashes, files.c, 'c', 'three');
    expect(hashes.take('a', 3)).toBeNull();
    expect(hashes.take('b', 8)).toBe(sha('two more'));
    expect(hashes.take('c', 5)).toBe(sha('three'));
  });

  it('errors from the chunk reach the write, as they would unhashed', async () => {
    const hashes = new RunningHashes();
    const broken = new Readable({
      read() {
        this.destroy(new Error('cut short'));
      },
    });
    await expect(hashes.write('a', 0, broken, (body) => text(body).then((t) => t.length))).rejects.toThrow(
      'cut short',
    );
    expect(hashes.take('a', 0)).toBeNull();
  });
});
