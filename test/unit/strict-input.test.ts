/** The boundary's strict reading of text: UTF-8 only, no control characters but tab and line breaks. */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import {
  checkMultipartText,
  MalformedInput,
  multipartBoundary,
  parseUrlEncoded,
  strictAddress,
  strictText,
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

describe('text, read strictly', () => {
  it('names where the text came from in what it refuses', () => {
    expect(() => strictText(latin1('caf\xc3'), 'The note')).toThrow(
      new MalformedInput('The note is not valid UTF-8 text.'),
    );
    expect(() => strictText(bytes('a\u0000b'), 'The note')).toThrow(
      new MalformedInput('The note holds a control character (such as NUL).'),
    );
  });
});

describe('the address of every request, read strictly before any route', () => {
  const app = new Hono();
  app.use(strictAddress);
  app.get('*', (c) => c.text('read'));
  app.onError((error, c) => c.text(error instanceof MalformedInput ? error.message : 'other', 400));
  const answer = async (path: string) => (await app.request(path)).text();

  it('refuses bad text in the path or the query, saying it was the address', async () => {
    expect(await answer('/caf%C3')).toBe('The address is not valid UTF-8 text.');
    expect(await answer('/a%00b')).toBe('The address holds a control character (such as NUL).');
    expect(await answer('/files?q=caf%C3')).toBe('The address is not valid UTF-8 text.');
    expect(await answer('/files?q=a%00b')).toBe('The address holds a control character (such as NUL).');
  });

  it('lets good text through, a bad escape at the very end of the path included', async () => {
    expect(await answer('/caf%C3%A9/x+y?q=caf%C3%A9+au+lait&n=1')).toBe('read');
    expect(await answer('/x/%FF')).toBe('The address is not valid UTF-8 text.');
    expect(await answer('/x/%FF?q=1')).toBe('The address is not valid UTF-8 text.');
  });
});

describe('a multipart form, checked strictly', () => {
  const part = (name: string, content: string, file = false) =>
    `--b\r\nContent-Disposition: form-data; name="${name}"${file ? '; filename="a.csv"' : ''}\r\n\r\n${content}\r\n`;

  it('finds the boundary, quoted or not, and none when it is missing', () => {
    expect(multipartBoundary('multipart/form-data; boundary=abc')).toBe('abc');
    expect(multipartBoundary('multipart/form-data; charset=utf-8; boundary="a b"')).toBe('a b');
    expect(multipartBoundary('multipart/form-data')).toBeNull();
    // Parameter names are case-insensitive (RFC 2045), and the space after `;` is optional.
    expect(multipartBoundary('multipart/form-data; BOUNDARY=abc')).toBe('abc');
    expect(multipartBoundary('multipart/form-data;boundary=abc')).toBe('abc');
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

  it('names the part’s headers or its content in what it refuses', () => {
    const badName = `--b\r\nContent-Disposition: form-data; name="caf\xc3"\r\n\r\nx\r\n--b--\r\n`;
    expect(() => checkMultipartText(latin1(badName), 'b')).toThrow(
      new MalformedInput('A form field’s name is not valid UTF-8 text.'),
    );
    expect(() => checkMultipartText(bytes(`${part('name', 'a\u0000b')}--b--\r\n`), 'b')).toThrow(
      new MalformedInput('A form field holds a control character (such as NUL).'),
    );
  });

  it('takes a part for a file by its filename parameter, with or without a space before it', () => {
    const file = `--b\r\nContent-Disposition: form-data; name="file";filename="a.bin"\r\n\r\n\xff\x00\r\n`;
    expect(() => checkMultipartText(latin1(`${file}--b--\r\n`), 'b')).not.toThrow();
  });

  it('matches a boundary byte for byte as the header carried it, past ASCII too', () => {
    // Node reads header values as Latin-1: the boundary "\xe9" is the single byte E9 on the wire.
    const form = (content: string) =>
      latin1(`--\xe9\r\nContent-Disposition: form-data; name="name"\r\n\r\n${content}\r\n--\xe9--\r\n`);
    expect(() => checkMultipartText(form('ok'), '\xe9')).not.toThrow();
    expect(() => checkMultipartText(form('a\x00b'), '\xe9')).toThrow(MalformedInput);
  });

  it('has nothing to check in a body holding no delimiter', () => {
    expect(() => checkMultipartText(latin1('no parts\r\n\xff\x00'), 'b')).not.toThrow();
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
