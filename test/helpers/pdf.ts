/**
 * Small, valid PDFs written by hand for the tests: each page a size in points, painted one shade
 * of grey (or left unpainted), with an optional line of text (Helvetica, which every reader has built in). The cross-
 * reference table is exact, so a reader never has to repair the file to open it.
 */

export interface PdfPage {
  /** Width and height in points (1/72 inch); A4 is 595 × 842. */
  width?: number;
  height?: number;
  /** 0 is black, 1 white; null paints nothing, as most PDFs leave their paper. */
  grey?: number | null;
  text?: string;
}

const escaped = (text: string) => text.replace(/[\\()]/g, (c) => `\\${c}`);

function contentOf(page: { width: number; height: number; grey: number | null; text?: string }): string {
  const fill = page.grey === null ? '' : `${page.grey} g 0 0 ${page.width} ${page.height} re f\n`;
  if (!page.text) return fill;
  const ink = page.grey !== null && page.grey < 0.5 ? 1 : 0;
  return `${fill}BT ${ink} g /F1 36 Tf 72 ${page.height - 120} Td (${escaped(page.text)}) Tj ET`;
}

/** A PDF of these pages, in order. */
export function pdfOf(pages: readonly PdfPage[]): Buffer {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body);
  add('<< /Type /Catalog /Pages 2 0 R >>');
  add(''); // the page tree, once its kids are known
  add('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>');
  const kids: number[] = [];
  for (const p of pages) {
    const page = { width: 595, height: 842, grey: 1, ...p };
    const content = contentOf(page);
    const stream = add(
      `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    );
    kids.push(
      add(
        `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${page.width} ${page.height}] /Contents ${stream} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`,
      ),
    );
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  let out = '%PDF-1.4\n';
  const offsets = objects.map((body, i) => {
    const at = Buffer.byteLength(out, 'latin1');
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
    return at;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  out += offsets.map((at) => `${String(at).padStart(10, '0')} 00000 n \n`).join('');
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}
