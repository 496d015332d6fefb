/**
 * A PDF's first pages as pixels, drawn by PDFium in a worker thread of its own
 * (src/files/pdf-worker.js), started for one file and ended with it: one PDF at a time, a few
 * waiting, each held to a time limit, a memory cap and a page size. A file that passes a limit, or
 * that PDFium cannot read, has no pages: it is never half drawn. The thread is given no environment
 * (no secret of the process is in reach of the file) and PDFium is loaded only there, so a process
 * that never draws a PDF never loads it. It never decides who may see a file.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { turns } from './turns.js';

/** How many pages, from the first, a PDF's preview shows. */
export const PDF_PAGES_SHOWN = 10;

/** 200 inches, the largest page size PDF writers may declare (PDF 1.7, annex C): past it, a bomb. */
export const PDF_MAX_PAGE_POINTS = 14_400;

/** How long drawing one file may take, all its pages together. */
export const PDF_SECONDS = 30;

/** PDFium's own memory may grow to this; its JavaScript heap to the other. */
export const PDFIUM_HEAP_BYTES = 256 * 1024 * 1024;
const JS_HEAP_MB = 64;

export interface PdfJob {
  /** Pages drawn, from the first. */
  pages: number;
  /** Each page is fitted inside a square of this many pixels. */
  box: number;
  timeoutMs?: number;
  /** PDFium's memory cap (PDFIUM_HEAP_BYTES unless a test asks for less). */
  heapBytes?: number;
}

/**
 * How a drawing thread is started: with no environment (not one secret of the process is in
 * reach of the file), and its JavaScript heap capped. A thread past its cap ends, and the file
 * then has no pages.
 */
export function drawingThread(workerData: unknown): WorkerOptions {
  return {
    workerData,
    env: {},
    resourceLimits: { maxOldGenerationSizeMb: JS_HEAP_MB, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
  };
}

/** A drawn page: `width` × `height` pixels, three bytes each (red, green, blue). */
export interface DrawnPage {
  width: number;
  height: number;
  pixels: Uint8Array;
}

type Message =
  | { kind: 'page'; width: number; height: number; pixels: Uint8Array }
  | { kind: 'done'; total: number }
  | { kind: 'refused'; why: string };

/** One PDF is drawn at a time (each may hold a few hundred MB), 32 wait; images have their own line. */
export const pdfLine = turns(1, 32);

/**
 * Draws the first `job.pages` pages of `pdf`, handing each to `onPage` as it comes (its work may
 * overlap the next page's drawing). Resolves with the document's page count once every page was
 * drawn and taken, or null when there is nothing to show (unreadable, a limit passed, timed out).
 * Throws PreviewsBusy when too many PDFs wait.
 */
export function drawPdf(
  pdf: Uint8Array,
  job: PdfJob,
  onPage: (page: DrawnPage) => Promise<void>,
): Promise<{ total: number } | null> {
  return pdfLine(async () => {
    const taken: Promise<void>[] = [];
    const total = await new Promise<number | null>((resolve) => {
      const worker = new Worker(
        new URL('./pdf-worker.js', import.meta.url),
        drawingThread({
          pdf,
          box: job.box,
          pages: job.pages,
          maxPagePoints: PDF_MAX_PAGE_POINTS,
          heapBytes: job.heapBytes ?? PDFIUM_HEAP_BYTES,
        }),
      );
      let ended = false;
      const end = (result: number | null) => {
        ended = true;
        clearTimeout(timer);
        resolve(result);
        void worker.terminate();
      };
      const timer = setTimeout(() => end(null), job.timeoutMs ?? PDF_SECONDS * 1000);
      worker.on('message', (message: Message) => {
        // A page posted just before the end is not taken: nobody would wait for it.
        if (ended) return;
        if (message.kind === 'page') taken.push(onPage(message));
        else end(message.kind === 'done' ? message.total : null);
      });
      // Out of memory, PDFium aborting, a thread that could not start: all mean no pages.
      worker.on('error', () => end(null));
      worker.on('exit', () => end(null));
    });
    const results = await Promise.allSettled(taken);
    return total !== null && results.every((r) => r.status === 'fulfilled') ? { total } : null;
  });
}
