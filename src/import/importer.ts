/**
 * What an import of one kind of object is: its columns, who may run it, how each row is checked
 * (with the same schemas and services as the one-at-a-time forms) and how the checked rows are
 * written. The routes drive any importer alike; an importer never reads the request.
 */
import type { Context } from 'hono';
import type { FieldErrors } from '../../views/forms.js';
import type { Db } from '../db/connect.js';
import type { entityWords } from '../http/entity-words.js';
import type { ServiceCtx } from '../http/service-ctx.js';
import type { Actor } from '../permissions/index.js';
import type { Column, TableRow } from './table.js';

export type Words = ReturnType<typeof entityWords>;
export type ImportWhat = 'entities' | 'contacts';

/** One row after checking: what the preview shows of it, its errors, and what would be written. */
export interface CheckedRow<T> {
  line: number;
  values: Record<string, string>;
  /** Each problem in words, prefixed with its column when it has one. */
  errors: string[];
  value: T | null;
}

export interface Importer<T> {
  what: ImportWhat;
  /** Where its pages are: `${path}`, `${path}/template.csv`, `${path}/confirm`. */
  path: string;
  /** Where the imported objects are listed, to go to when the import is done. */
  listPath: string;
  noun: (w: Words) => { one: string; many: string };
  columns: readonly Column[];
  /** The columns the preview table shows (the rest are checked but not shown). */
  shown: readonly string[];
  /** Refuses the caller (throws) unless they may import this kind at all. */
  authorize(c: Context): Actor;
  /** Columns the actor may not fill, and why; null when every column is theirs. */
  refused(actor: Actor, w: Words): { names: readonly string[]; reason: string } | null;
  check(db: Db, actor: Actor, rows: readonly TableRow[], w: Words): Promise<CheckedRow<T>[]>;
  write(trx: Db, ctx: ServiceCtx, values: readonly T[], w: Words): Promise<void>;
}

/** Field errors keyed by schema key, as `column: message`, in the order of `keys`. */
export function columnErrors(errors: FieldErrors, keys: Record<string, string>): string[] {
  return Object.entries(keys).flatMap(([key, column]) => {
    const message = errors[key];
    return message ? [`${column}: ${message}`] : [];
  });
}

/**
 * For values that must be unique within the file: each row's other lines with the same key (blank
 * keys ignored), so every one of the rows that share a value is marked, not just the later ones.
 */
export function sameValueLines(
  rows: readonly TableRow[],
  key: (row: TableRow) => string,
): Map<number, number[]> {
  const byKey = new Map<string, number[]>();
  for (const row of rows) {
    const k = key(row);
    if (!k) continue;
    const lines = byKey.get(k);
    if (lines) lines.push(row.line);
    else byKey.set(k, [row.line]);
  }
  const out = new Map<number, number[]>();
  for (const lines of byKey.values())
    if (lines.length > 1)
      for (const line of lines)
        out.set(
          line,
          lines.filter((l) => l !== line),
        );
  return out;
}

/** "Line 7 has the same email address." / "Lines 7, 9 have the same email address." */
export const sameAs = (lines: readonly number[], what: string) =>
  lines.length === 1
    ? `Line ${lines[0]} has the same ${what}.`
    : `Lines ${lines.join(', ')} have the same ${what}.`;
