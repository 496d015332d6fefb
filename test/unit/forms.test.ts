/**
 * Reading a posted form (src/http/forms.ts) on a bare Hono app: which bodies are forms, what each
 * refusal says, files left out of the fields, and how validation names the field each problem
 * belongs beside.
 */
import { Hono } from 'hono';
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { fields, readForm, validate } from '../../src/http/forms.js';
import { MalformedInput } from '../../src/http/strict-input.js';

const app = new Hono();
app.post('/', async (c) => c.json(await readForm(c)));
app.onError((error, c) =>
  c.text(error instanceof MalformedInput ? `malformed: ${error.message}` : 'other', 400),
);

const send = async (body: RequestInit['body'], type?: string, extra: RequestInit = {}) => {
  const res = await app.request('/', {
    method: 'POST',
    body,
    headers: type === undefined ? {} : { 'Content-Type': type },
    ...extra,
  });
  return res.status === 200 ? res.json() : res.text();
};

const latin1 = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

describe('reading a posted form', () => {
  it('reads a urlencoded form, its media type in any case and with parameters', async () => {
    expect(await send('a=1&b=2&b=3', 'Application/X-WWW-Form-URLEncoded; charset=UTF-8')).toEqual({
      a: '1',
      b: ['2', '3'],
    });
    // HTTP allows white space before a parameter's `;` (RFC 9110, 5.6.6).
    expect(await send('a=1', 'application/x-www-form-urlencoded ; charset=UTF-8')).toEqual({ a: '1' });
  });

  it('reads any other type of body as an empty form', async () => {
    expect(await send('a=1', 'text/plain')).toEqual({});
    expect(await send('{"a":1}', 'application/json')).toEqual({});
  });

  it('names the field text that is not UTF-8', async () => {
    expect(await send(latin1('a=caf\xe9'), 'application/x-www-form-urlencoded')).toBe(
      'malformed: A form field is not valid UTF-8 text.',
    );
  });

  it('says a body that stops coming was cut short', async () => {
    const dropped = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('a='));
        controller.error(new Error('connection reset'));
      },
    });
    expect(await send(dropped, 'application/x-www-form-urlencoded', { duplex: 'half' } as RequestInit)).toBe(
      'malformed: The form was cut short.',
    );
  });

  it('refuses a multipart form without a boundary, or one that is not well formed, saying which', async () => {
    expect(await send('--x\r\n', 'multipart/form-data')).toBe(
      'malformed: The form does not say where its parts begin (no boundary).',
    );
    expect(
      await send(
        '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1',
        'multipart/form-data; boundary=x',
      ),
    ).toBe('malformed: The form was cut short or is not a well-formed multipart form.');
  });

  it('keeps a multipart form’s text fields and leaves its files out of them', async () => {
    const body =
      '--x\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n' +
      '--x\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\nContent-Type: text/plain\r\n\r\nhello\r\n' +
      '--x--\r\n';
    expect(await send(body, 'multipart/form-data; boundary=x')).toEqual({ a: '1' });
  });
});

describe('validating a form', () => {
  it('puts each field’s first problem beside it, and a problem of the whole form under _form', () => {
    const schema = v.pipe(
      v.object({ name: fields.name('firm name'), email: fields.email() }),
      v.check(() => false, 'These do not go together.'),
    );
    expect(validate(schema, { name: 'x'.repeat(101), email: '' })).toEqual({
      ok: false,
      errors: {
        name: 'The firm name must be at most 100 characters.',
        email: 'Enter an email address.',
        _form: 'These do not go together.',
      },
    });
    expect(validate(schema, { name: 'Clearwater', email: 'a@example.com' })).toEqual({
      ok: false,
      errors: { _form: 'These do not go together.' },
    });
  });

  it('says what is wrong with an email address', () => {
    const schema = v.object({ email: fields.email() });
    expect(validate(schema, { email: `${'a'.repeat(250)}@x.co` })).toEqual({
      ok: false,
      errors: { email: 'The email address must be at most 254 characters.' },
    });
    expect(validate(schema, { email: 'not an address' })).toEqual({
      ok: false,
      errors: { email: 'Enter an email address like name@example.com.' },
    });
    expect(validate(schema, { email: '  a@example.com ' })).toEqual({
      ok: true,
      value: { email: 'a@example.com' },
    });
  });
});
