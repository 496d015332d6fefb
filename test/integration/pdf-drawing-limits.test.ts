/**
 * The limits a PDF is drawn under (src/files/pdf-render.ts): PDFium's memory may not grow past its
 * cap, the drawing thread sees none of the process's environment, and its JavaScript heap is
 * capped too. Each is tried for real: a page too large for the cap, and threads started with the
 * very options a drawing thread gets.
 */
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { drawingThread, drawPdf } from '../../src/files/pdf-render.js';
import { pdfOf } from '../helpers/pdf.js';

/** Runs `code` (CommonJS) in a thread started as a drawing thread is; its first message, or its error. */
function inDrawingThread(code: string): Promise<{ message?: unknown; error?: NodeJS.ErrnoException }> {
  const worker = new Worker(code, { ...drawingThread({}), eval: true });
  return new Promise((resolve) => {
    worker.once('message', (message) => resolve({ message }));
    worker.once('error', (error) => resolve({ error }));
  }).finally(() => worker.terminate()) as Promise<{ message?: unknown; error?: NodeJS.ErrnoException }>;
}

describe('the limits a PDF is drawn under', () => {
  const saved = process.env.PORTICO_TEST_SECRET;
  afterEach(() => {
    if (saved === undefined) delete process.env.PORTICO_TEST_SECRET;
    else process.env.PORTICO_TEST_SECRET = saved;
  });

  it('PDFium may not grow its memory past the cap: a page that needs more is not drawn, and draws under the usual cap', async () => {
    // A 5,000-pixel page is 3533 × 5000 × 3 bytes ≈ 53 MB of bitmap.
    const pdf = pdfOf([{ grey: 0 }]);
    const job = { pages: 1, box: 5000 };
    const pages: number[] = [];
    expect(
      await drawPdf(pdf, { ...job, heapBytes: 32 * 1024 * 1024 }, async (p) => void pages.push(p.width)),
    ).toBeNull();
    expect(pages).toEqual([]);
    expect(await drawPdf(pdf, job, async (p) => void pages.push(p.width))).toEqual({ total: 1 });
    expect(pages).toEqual([3533]);
  });

  it('the drawing thread sees none of the process’s environment', async () => {
    process.env.PORTICO_TEST_SECRET = 'not for the PDF';
    const seen = await inDrawingThread(
      "require('node:worker_threads').parentPort.postMessage(Object.keys(process.env))",
    );
    expect(seen).toEqual({ message: [] });
    // The same code in a thread started plainly sees it: the check above can fail.
    const plain = new Worker(
      "require('node:worker_threads').parentPort.postMessage(process.env.PORTICO_TEST_SECRET)",
      { eval: true },
    );
    expect(await new Promise((resolve) => plain.once('message', resolve))).toBe('not for the PDF');
    await plain.terminate();
  });

  it('the drawing thread’s JavaScript heap is capped: a thread that outgrows it ends', async () => {
    const ended = await inDrawingThread(
      'const kept = []; for (;;) kept.push(new Array(1e6).fill(Math.random()));',
    );
    expect(ended.error?.code).toBe('ERR_WORKER_OUT_OF_MEMORY');
  }, 30_000);
});
