/**
 * From an uploaded file to rows of named values: the limits, UTF-8 decoding, the header row
 * (required; columns in any order; unknown, repeated, missing or refused columns stop the file with
 * one message) and each row's values by column. It never judges a value: that is the importer's.
 */
import { parseCsv } from './csv.js';

export const LIMITS = { bytes: 5 * 1024 * 1024, rows: 10_000 } as const;
export const LIMITS_TEXT = 'at most 5 MB and 10,000 rows';
export const TOO_LARGE = `The file is larger than 5 MB. Split it into smaller files (${LIMITS_TEXT}).`;

export interface Column {
  /** The header, in lower case with underscores (headers are matched case-insensitively). */
  name: string;
  required?: boolean;
  /** What the column holds, for the import page. */
  about: string;
}

export interface TableRow {
  /** The file's line the row starts on (the header is line 1 unless blank lines come first). */
  line: number;
  /** Every known column's value, untrimmed; '' for a column the file does not have. */
  values: Record<string, string>;
  /** Set when the row has more or fewer values than the header has columns. */
  shapeError?: string;
}

export type Table = { ok: true; rows: TableRow[] } | { ok: false; error: string };

/** The file as text, or why it cannot be read. A UTF-8 byte-order mark is dropped. */
export function decodeUpload(bytes: Uint8Array): { ok: true; text: string } | { ok: false; error: string } {
  if (bytes.byteLength > LIMITS.bytes) return { ok: false, error: TOO_LARGE };
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    // PostgreSQL cannot store NUL; no spreadsheet writes other control characters into a CSV.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
    if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/.test(text))
      return {
        ok: false,
        error:
          'The file holds control characters (such as NUL), so it is not a CSV file. Save it from your spreadsheet as “CSV UTF-8” and upload it again.',
      };
    return { ok: true, text };
  } catch {
    return {
      ok: false,
      error: 'The file is not UTF-8 text. In your spreadsheet, save it as “CSV UTF-8” and upload it again.',
    };
  }
}

const headerName = (raw: string) =>
  raw
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
const quoted = (names: readonly string[]) => names.map((n) => `“${n}”`).join(', ');
const isBlank = (fields: readonly string[]) => fields.every((f) => f.trim() === '');

/**
 * Reads CSV text against the importer's columns. `refused` names columns this user may not fill,
 * with the reason (said when the file has any of them). Blank lines are skipped.
 */
export function readTable(
  text: string,
  columns: readonly Column[],
  refused: { names: readonly string[]; reason: string } | null = null,
): Table {
  const parsed = parseCsv(text);
  if (!parsed.ok) return parsed;
  const records = parsed.records.filter((r) => !isBlank(r.fields));
  const [header, ...body] = records;
  if (!header)
    return { ok: false, error: 'The file is empty. Its first row must name the columns: use the template.' };

  const names = header.fields.map(headerName);
  const known = new Set(columns.map((c) => c.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    const semicolons = names.length === 1 && header.fields[0]?.includes(';');
    return {
      ok: false,
      error: semicolons
        ? 'The values must be separated by commas, and this file uses semicolons. Save it as “CSV UTF-8 (comma delimited)”.'
        : `The file has ${unknown.length === 1 ? 'a column' : 'columns'} this import does not know: ${quoted(unknown)}. The columns are ${quoted(columns.map((c) => c.name))}.`,
    };
  }
  const repeated = names.filter((n, i) => names.indexOf(n) !== i);
  if (repeated.length > 0) return { ok: false, error: `The column ${quoted([repeated[0]!])} appears twice.` };
  const missing = columns.filter((c) => c.required && !names.includes(c.name)).map((c) => c.name);
  if (missing.length > 0)
    return {
      ok: false,
      error: `The file needs ${missing.length === 1 ? 'a column' : 'columns'} ${quoted(missing)}.`,
    };
  const notAllowed = names.filter((n) => refused?.names.includes(n));
  if (refused && notAllowed.length > 0)
    return {
      ok: false,
      error: `${refused.reason} Remove ${notAllowed.length === 1 ? 'the column' : 'the columns'} ${quoted(notAllowed)} and upload the file again.`,
    };

  if (body.length === 0) return { ok: false, error: 'The file has no rows under its header.' };
  if (body.length > LIMITS.rows)
    return {
      ok: false,
      error: `The file has ${body.length.toLocaleString('en')} rows. Split it into files of ${LIMITS_TEXT}.`,
    };

  const rows = body.map((record): TableRow => {
    const values: Record<string, string> = {};
    for (const c of columns) values[c.name] = '';
    names.forEach((n, i) => {
      values[n] = record.fields[i] ?? '';
    });
    const count = record.fields.length;
    return count === names.length
      ? { line: record.line, values }
      : {
          line: record.line,
          values,
          shapeError: `This row has ${count} ${count === 1 ? 'value' : 'values'}, and the header has ${names.length} columns.`,
        };
  });
  return { ok: true, rows };
}
