/** The boundary's strict reading of text: UTF-8 only, no control characters but tab and line breaks. */
import { describe, expect, it } from 'vitest';
import {
  checkMultipartText,
  MalformedInput,
  multipartBoundary,
  parseUrlEncoded,
} from '../../src/http/strict-input.js';

const bytes = (s: string) => new TextEncoder().encode(s);
const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

describe('a urlencoded form or query, read strictly', () => {
  it('reads names and values as a browser sends them', () => {
    expect(parseUrlEncoded(bytes('q=caf%C3%A9+au+lait&empty=&bare&100%25=50%&tab=a%09b%0D%0A'), 'x')).toEqual(
      [
        ['q', 'café au lait'],
        ['empty', ''],
        ['bare', ''],
        ['100%', '50%'],
        ['tab', 'a\tb\r\n'],
      ],
    );
  });

  it('refuses every control character but tab, CR and LF, escaped or raw, and lets DEL and the rest through', () => {
    const refused = [...Array(32).keys()].filter((c) => ![9, 10, 13].includes(c));
    for (const code of refused) {
      const hex = code.toString(16).padStart(2, '0');
      expect(() => parseUrlEncoded(bytes(`q=a%${hex}b`), 'x'), `%${hex}`).toThrow(MalformedInput);
      expect(() => parseUrlEncoded(latin1(`q=a${String.fromCharCode(code)}b`), 'x'), `raw ${hex}`).toThrow(
        MalformedInput,
      );
    }
    expect(parseUrlEncoded(bytes('q=%09%0A%0D%20%7F~'), 'x')).toEqual([['q', '\t\n\r \x7f~']]);
  });

  it('decodes an escape of any hex digit, either case, and keeps a % before anything else as it is', () => {
    const digits = '0123456789abcdefABCDEF';
    for (const d of digits) {
      const code = Number.parseInt(`4${d}`, 16);
      expect(parseUrlEncoded(bytes(`q=%4${d}`), 'x'), `%4${d}`).toEqual([['q', String.fromCharCode(code)]]);
    }
    for (const notHex of ['g', 'G', ':', '@', '/', '`', '(']) {
      expect(parseUrlEncoded(bytes(`q=%4${notHex}`), 'x'), notHex).toEqual([['q', `%4${notHex}`]]);
    }
  });

  it('skips empty pairs, and reads a pair starting with = as an empty name', () => {
    expect(parseUrlEncoded(bytes('a=1&&b=2&'), 'x')).toEqual([
      ['a', '1'],
      ['b', '2'],
    ]);
    expect(parseUrlEncoded(bytes('=x'), 'x')).toEqual([['', 'x']]);
  });

  it.each([
    ['a byte that is not UTF-8', 'q=a%FFb'],
    ['a character cut after its first byte', 'q=caf%C3'],
    ['a raw byte that is not UTF-8', 'q=a\xffb'],
    ['NUL', 'q=a%00b'],
    ['an escape character', 'q=%1B%5B2J'],
    ['NUL in a name', 'a%00=1'],
  ])('refuses %s', (_, raw) => {
    expect(() => parseUrlEncoded(latin1(raw), 'The address')).toThrow(MalformedInput);
  });
});

describe('a multipart form, checked strictly', () => {
  const part = (name: string, content: string, file = false) =>
    `--b\r\nContent-Disposition: form-data; name="${name}"${file ? '; filename="a.csv"' : ''}\r\n\r\n${content}\r\n`;

  it('finds the boundary, quoted or not, and none when it is missing', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc')).toBe('abc');
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('multipart/form-data')).toBeNull();
    // Parameter names are case-insensitive (RFC 2045).
    expect(multipartBoundary('multipart/form-data; BOUNDARY=abc')).toBe('abc');
  });

  it('lets UTF-8 text through, and a boundary-like run inside a value (not on a new line) is content', () => {
    const body = bytes(`${part('name', 'Price 5€--b and more')}${part('kind', 'trust')}--b--\r\n`);
    expect(() => checkMultipartText(body, 'b')).not.toThrow();
  });

  it('refuses bad bytes and control characters in a text field, and leaves a file’s bytes alone', () => {
    expect(() => checkMultipartText(latin1(`${part('name', 'Caf\xc3')}--b--\r\n`), 'b')).toThrow(
      MalformedInput,
    );
    expect(() => checkMultipartText(bytes(`${part('name', 'a\u0000b')}--b--\r\n`), 'b')).toThrow(
      MalformedInput,
    );
    expect(() => checkMultipartText(latin1(`${part('file', '\xff\x00', true)}--b--\r\n`), 'b')).not.toThrow();
  });

  it('takes a part named with filename* (RFC 5987) for a file too', () => {
    const file = `--b\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''a.bin\r\n\r\n\xff\x00\r\n`;
    expect(() => checkMultipartText(latin1(`${file}--b--\r\n`), 'b')).not.toThrow();
  });

  it('reads nothing after the closing delimiter: the epilogue is not a part', () => {
    const epilogue = `\r\n--b\r\nContent-Disposition: form-data; name="late"\r\n\r\n\xff\r\n--b--\r\n`;
    expect(() => checkMultipartText(latin1(`${part('name', 'ok')}--b--${epilogue}`), 'b')).not.toThrow();
  });
});
