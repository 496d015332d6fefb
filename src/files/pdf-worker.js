// @ts-check
/**
 * The thread that draws a PDF's first pages (src/files/pdf-render.ts starts one per PDF and ends it
 * when it is done or out of time). PDFium, compiled to WebAssembly: whatever a hostile file makes it
 * do stays inside its own memory, which may not grow past the cap it is given. It is handed the
 * bytes and reads nothing else (no file, no network); no form environment is made, so no script
 * in the PDF runs. It never encodes or stores anything: it posts raw pixels back, a page at a time.
 *
 * Plain JavaScript, not TypeScript: a worker thread loads its file as Node finds it, and the
 * tests run the sources uncompiled.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parentPort, workerData } from 'node:worker_threads';
import { init } from '@embedpdf/pdfium';

/**
 * @typedef {object} Job
 * @property {Uint8Array} pdf the file's bytes
 * @property {number} box each page is fitted inside a square of this many pixels
 * @property {number} pages how many pages, from the first, to draw
 * @property {number} maxPagePoints a page wider or taller than this (in points) refuses the file
 * @property {number} heapBytes PDFium's memory may not grow past this
 */

// PDFium's numbers (fpdfview.h).
const FPDF_ANNOT = 0x01;
const FPDF_REVERSE_BYTE_ORDER = 0x10;
// Three bytes a pixel, which REVERSE_BYTE_ORDER turns from blue-green-red into red-green-blue.
const FPDFBITMAP_BGR = 2;
const WHITE = 0xffffffff;

/**
 * What of Emscripten's module and of WebAssembly is used here (neither has types in this project).
 * @typedef {{ HEAPU8: Uint8Array, wasmExports: { malloc(bytes: number): number }, getValue(at: number, type: 'float'): number }} Heap
 * @typedef {{ env: Record<string, ((bytes: number) => number) | undefined> }} Imports
 * @typedef {{ instantiate(wasm: Uint8Array, imports: Imports): Promise<{ instance: object }> }} Wasm
 */

/**
 * PDFium, its memory held to `heapBytes`: a request to grow past it fails as out of memory.
 * @param {number} heapBytes
 */
async function pdfium(heapBytes) {
  const wasm = await readFile(fileURLToPath(import.meta.resolve('@embedpdf/pdfium/pdfium.wasm')));
  const webAssembly = /** @type {Wasm} */ (Reflect.get(globalThis, 'WebAssembly'));
  const quiet = () => {};
  const module = await init({
    print: quiet,
    printErr: quiet,
    /**
     * @param {Imports} imports
     * @param {(instance: object) => void} receive
     */
    instantiateWasm(imports, receive) {
      const grow = imports.env.emscripten_resize_heap;
      if (!grow) throw new Error('this PDFium cannot be held to a memory cap');
      imports.env.emscripten_resize_heap = (bytes) => (bytes >>> 0 > heapBytes ? 0 : grow(bytes));
      webAssembly.instantiate(wasm, imports).then((made) => receive(made.instance));
      return {};
    },
  });
  module.PDFiumExt_Init();
  return { m: module, heap: /** @type {Heap} */ (/** @type {unknown} */ (module.pdfium)) };
}

/** @param {Job} job */
async function draw(job) {
  const port = /** @type {import('node:worker_threads').MessagePort} */ (parentPort);
  const { m, heap } = await pdfium(job.heapBytes);
  const input = heap.wasmExports.malloc(job.pdf.length);
  if (!input) return port.postMessage({ kind: 'refused', why: 'out of memory' });
  heap.HEAPU8.set(job.pdf, input);
  const doc = m.FPDF_LoadMemDocument(input, job.pdf.length, '');
  if (!doc)
    return port.postMessage({ kind: 'refused', why: `unreadable (PDFium error ${m.FPDF_GetLastError()})` });
  const total = m.FPDF_GetPageCount(doc);
  const shown = Math.min(total, job.pages);
  if (shown < 1) return port.postMessage({ kind: 'refused', why: 'no pages' });
  // Every page's size is read before any is drawn: one absurd page refuses the file at once.
  const size = heap.wasmExports.malloc(8);
  const sizes = [];
  for (let i = 0; i < shown; i++) {
    if (!m.FPDF_GetPageSizeByIndexF(doc, i, size))
      return port.postMessage({ kind: 'refused', why: 'no size' });
    const width = heap.getValue(size, 'float');
    const height = heap.getValue(size + 4, 'float');
    if (!(width > 0 && height > 0 && width <= job.maxPagePoints && height <= job.maxPagePoints))
      return port.postMessage({ kind: 'refused', why: `page ${i + 1} is ${width} × ${height} points` });
    sizes.push({ width, height });
  }
  for (const [i, page] of sizes.entries()) {
    const scale = Math.min(job.box / page.width, job.box / page.height);
    const width = Math.max(1, Math.round(page.width * scale));
    const height = Math.max(1, Math.round(page.height * scale));
    const loaded = m.FPDF_LoadPage(doc, i);
    const bitmap = loaded && m.FPDFBitmap_CreateEx(width, height, FPDFBITMAP_BGR, 0, 0);
    if (!bitmap) return port.postMessage({ kind: 'refused', why: `page ${i + 1} could not be loaded` });
    m.FPDFBitmap_FillRect(bitmap, 0, 0, width, height, WHITE);
    // Annotations drawn from their appearance: a filled-in form shows what was filled in.
    m.FPDF_RenderPageBitmap(bitmap, loaded, 0, 0, width, height, 0, FPDF_ANNOT | FPDF_REVERSE_BYTE_ORDER);
    const stride = m.FPDFBitmap_GetStride(bitmap);
    const start = m.FPDFBitmap_GetBuffer(bitmap);
    // Read after drawing: PDFium's memory may have grown, and HEAPU8 is then a new view.
    const rows = heap.HEAPU8.subarray(start, start + stride * height);
    const line = width * 3;
    const pixels = new Uint8Array(line * height);
    for (let y = 0; y < height; y++) pixels.set(rows.subarray(y * stride, y * stride + line), y * line);
    m.FPDFBitmap_Destroy(bitmap);
    m.FPDF_ClosePage(loaded);
    port.postMessage({ kind: 'page', width, height, pixels }, [pixels.buffer]);
  }
  port.postMessage({ kind: 'done', total });
}

await draw(/** @type {Job} */ (workerData));
