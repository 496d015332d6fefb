/** readCookie finds exactly the named cookie, whatever else the header carries. */
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { readCookie } from '../../src/http/cookies.js';

async function read(header: string | null, name: string): Promise<string | undefined> {
  const app = new Hono();
  let value: string | undefined = 'unset';
  app.get('/', (c) => {
    value = readCookie(c, name);
    return c.text('ok');
  });
  await app.request('/', header === null ? {} : { headers: { Cookie: header } });
  return value;
}

describe('readCookie', () => {
  it.each([
    ['portico_session=abc', 'abc'],
    ['a=1; portico_session=abc; b=2', 'abc'],
    ['a=1;portico_session=abc', 'abc'],
    ['  portico_session = abc ', 'abc'],
    ['portico_session="abc"', 'abc'],
    ['portico_session=a=b', 'a=b'],
    ['portico_session=', ''],
  ])('reads %j', async (header, expected) => {
    expect(await read(header, 'portico_session')).toBe(expected);
  });

  it.each([
    null,
    '',
    'other=1',
    'xportico_session=abc',
    'portico_session_x=abc',
    'portico_session',
    '__Host-portico_session=abc',
  ])('finds nothing in %j', async (header) => {
    expect(await read(header, 'portico_session')).toBeUndefined();
  });

  it('takes the first of two cookies with the same name, as browsers send the most specific first', async () => {
    expect(await read('portico_session=first; portico_session=second', 'portico_session')).toBe('first');
  });
});
