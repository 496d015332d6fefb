/**
 * A small RFC 4180 reader: comma-separated fields, quoted fields that may hold commas, line breaks
 * and doubled quotes, records ending in CRLF, LF or a lone CR. It knows nothing of columns or
 * rules (see table.ts); it must never guess at a malformed quote, so it refuses one by line.
 */

export interface CsvRecord {
  /** The line of the file the record starts on, counting from 1 (quoted line breaks count). */
  line: number;
  fields: string[];
}

export type CsvResult = { ok: true; records: CsvRecord[] } | { ok: false; error: string };

/**
 * Splits CSV text into records. A line break at the very end adds no record; an empty line in the
 * middle is a record of one empty field (the caller decides what blank records mean). A leading
 * byte-order mark is dropped. A quote inside an unquoted field is kept as a character.
 * @example parseCsv('name,kind\r\n"Smith, J",trust\r\n') // records: [name,kind], [Smith, J,trust]
 */
export function parseCsv(input: string): CsvResult {
  const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  const endRecord = () => {
    fields.push(field);
    records.push({ line: recordLine, fields });
    fields = [];
    field = '';
  };
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"' && field === '') {
      // A quoted field: read to its closing quote, which must be followed by a comma or a line end.
      const opened = line;
      i += 1;
      for (;;) {
        if (i >= text.length)
          return { ok: false, error: `Line ${opened}: a quoted value has no closing quote.` };
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        if (q === '\n' || (q === '\r' && text[i + 1] !== '\n')) line += 1;
        field += q;
        i += 1;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n')
        return {
          ok: false,
          error: `Line ${line}: a quoted value must be followed by a comma or the end of the line.`,
        };
      continue;
    }
    if (ch === ',') {
      fields.push(field);
      field = '';
      i += 1;
    } else if (ch === '\r' || ch === '\n') {
      endRecord();
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line += 1;
      recordLine = line;
    } else {
      field += ch;
      i += 1;
    }
  }
  // The last record, unless the text ended with its line break (or was empty).
  if (text.length > 0 && !/[\r\n]$/.test(text)) endRecord();
  return { ok: true, records };
}
