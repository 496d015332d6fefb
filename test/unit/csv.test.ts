/**
 * The CSV reader behind imports, against RFC 4180 and the files spreadsheets really write:
 * quotes, commas and line breaks inside values, a byte-order mark, CRLF or LF, rows of different
 * lengths and the empty line at the end.
 */
import { describe, expect, it } from 'vitest';
import { type CsvResult, parseCsv } from '../../src/import/csv.js';

const fieldsOf = (result: CsvResult) => {
  if (!result.ok) throw new Error(result.error);
  return result.records.map((r) => r.fields);
};
const linesOf = (result: CsvResult) => {
  if (!result.ok) throw new Error(result.error);
  return result.records.map((r) => r.line);
};

describe('parseCsv', () => {
  it('splits plain records on commas and line ends', () => {
    expect(fieldsOf(parseCsv('name,kind\nClearwater,company\n'))).toEqual([
      ['name', 'kind'],
      ['Clearwater', 'company'],
    ]);
  });

  it('reads CRLF, LF and a lone CR alike', () => {
    const expected = [['a', 'b'], ['c', 'd'], ['e']];
    expect(fieldsOf(parseCsv('a,b\r\nc,d\r\ne\r\n'))).toEqual(expected);
    expect(fieldsOf(parseCsv('a,b\nc,d\ne\n'))).toEqual(expected);
    expect(fieldsOf(parseCsv('a,b\rc,d\re\r'))).toEqual(expected);
  });

  it('the empty line at the end adds no record, and a missing one loses none', () => {
    expect(fieldsOf(parseCsv('a,b\r\n'))).toEqual([['a', 'b']]);
    expect(fieldsOf(parseCsv('a,b'))).toEqual([['a', 'b']]);
    expect(fieldsOf(parseCsv('a,'))).toEqual([['a', '']]);
    expect(fieldsOf(parseCsv(''))).toEqual([]);
  });

  it('keeps an empty line in the middle as a record of one empty value', () => {
    expect(fieldsOf(parseCsv('a\n\nb\n'))).toEqual([['a'], [''], ['b']]);
  });

  it('quoted values may hold commas, doubled quotes and line breaks', () => {
    const csv = 'name,address,notes\r\n"Smith, Jones & Co","1 Main St\r\nSpringfield","He said ""hi"""\r\n';
    expect(fieldsOf(parseCsv(csv))).toEqual([
      ['name', 'address', 'notes'],
      ['Smith, Jones & Co', '1 Main St\r\nSpringfield', 'He said "hi"'],
    ]);
  });

  it('an empty quoted value is an empty value', () => {
    expect(fieldsOf(parseCsv('"",b,""\n'))).toEqual([['', 'b', '']]);
    expect(fieldsOf(parseCsv('""'))).toEqual([['']]);
  });

  it('numbers each record by the line it starts on, counting line breaks inside quotes', () => {
    const csv = 'h1,h2\n"two\nlines",x\r\nnext,y\n\nlast,z';
    expect(linesOf(parseCsv(csv))).toEqual([1, 2, 4, 5, 6]);
  });

  it('drops a leading byte-order mark, so the first column keeps its name', () => {
    expect(fieldsOf(parseCsv('\uFEFFname,kind\nA,trust\n'))).toEqual([
      ['name', 'kind'],
      ['A', 'trust'],
    ]);
  });

  it('returns ragged rows as they are: counting columns is the caller’s business', () => {
    expect(fieldsOf(parseCsv('a,b,c\n1,2\n1,2,3,4\n'))).toEqual([
      ['a', 'b', 'c'],
      ['1', '2'],
      ['1', '2', '3', '4'],
    ]);
  });

  it('keeps a quote inside an unquoted value as a character (5" floppy)', () => {
    expect(fieldsOf(parseCsv('5" floppy,x\n'))).toEqual([['5" floppy', 'x']]);
  });

  it('keeps spaces around values: they are part of the value in RFC 4180', () => {
    expect(fieldsOf(parseCsv(' a , b \n'))).toEqual([[' a ', ' b ']]);
  });

  it('refuses a quoted value that is never closed, naming the line it opened on', () => {
    expect(parseCsv('a,b\n"open,x\ny\n')).toEqual({
      ok: false,
      error: 'Line 2: a quoted value has no closing quote.',
    });
  });

  it('refuses text after a closing quote, naming its line', () => {
    expect(parseCsv('a\n"quoted"tail,b\n')).toEqual({
      ok: false,
      error: 'Line 2: a quoted value must be followed by a comma or the end of the line.',
    });
  });
});
