/**
 * Malformed requests, one class at a time, built from a route's plausible body (route-walk.ts
 * bodyFor): broken multipart, bad bytes and NUL in each field and in the address, fields sent
 * twice, PHP-style array names, over-long values, bodies over the size limit, and methods no route
 * answers. Each says what an Admin must get back, and whether it is refused before any route.
 */
import { MAX_FORM_BYTES } from '../../src/app.js';
import { uploadBodyLimits } from '../../src/files/index.js';
import { IMPORT_BODY_LIMITS } from '../../src/import/index.js';
import { WEBHOOK_BODY_LIMITS } from '../../src/mail/deliveries/index.js';
import { type Client, testConfig } from './app.js';
import { bodyFor, concrete, type Route, TUS_ROUTES, tusRequest, type World } from './route-walk.js';

/** A form field: text, or a file's bytes. */
type Value = string | { file: Uint8Array; name: string };
export type Entries = [string, Value][];

/** What the Admin must get: a status (or any below 500), and the words a 422 must hold. */
export interface Expected {
  status?: number | number[];
  says?: string;
  /** Refused before any route (the address, the size limit, an unknown method). */
  beforeRoute?: boolean;
  /** The status a plain GET of the route gets (or `status`, when one is given too). */
  asPlain?: boolean;
  /**
   * For the Admin, the request is a valid one: an array-style name is not the field, so the form
   * reads as if left empty, which is a real choice where every field may be empty (details,
   * checkbox lists).
   */
  mayChange?: boolean;
  /** The class loses the ids the form names (a binding, …): a 404 for that object is right. */
  loseIds?: boolean;
}

export interface HostileCase {
  name: string;
  send: (client: Client) => Promise<Response>;
  admin: Expected;
}

const BOUNDARY = '----portico-walk-7d3f';
/** What joins more query parameters to a path that may carry some already. */
const and = (path: string) => (path.includes('?') ? '&' : '?');
const enc = (s: string) => encodeURIComponent(s);
const bytes = (s: string) => new TextEncoder().encode(s);

/** The route's plausible body as ordered fields (checkbox lists as repeated names). */
export async function entriesOf(route: Route, world: World): Promise<Entries> {
  const body = bodyFor(route.key, world);
  if (body instanceof FormData) {
    const out: Entries = [];
    for (const [name, value] of body)
      out.push([
        name,
        typeof value === 'string'
          ? value
          : { file: new Uint8Array(await value.arrayBuffer()), name: value.name },
      ]);
    return out;
  }
  return Object.entries(body).flatMap(([name, v]) =>
    (Array.isArray(v) ? v : [v]).map((x): [string, Value] => [name, x]),
  );
}

/** Fields sent once in the plausible body: the ones a handler reads as one value. */
function singleFields(route: Route, world: World): string[] {
  const body = bodyFor(route.key, world);
  if (body instanceof FormData) return [];
  return Object.entries(body)
    .filter(([, v]) => typeof v === 'string')
    .map(([k]) => k);
}

/** A urlencoded body; `raw` gives a field's already-encoded value (to carry bytes as they are). */
function urlencoded(entries: Entries, raw: Record<number, string> = {}): string {
  return entries
    .map(([name, v], i) => `${enc(name)}=${raw[i] ?? enc(typeof v === 'string' ? v : 'file')}`)
    .join('&');
}

/** A multipart body; `raw` gives a field's content bytes as they are. */
function multipart(entries: Entries, raw: Record<number, Uint8Array> = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  entries.forEach(([name, v], i) => {
    const file = typeof v === 'string' ? '' : `; filename="${v.name}"\r\nContent-Type: text/csv`;
    chunks.push(bytes(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${file}\r\n\r\n`));
    chunks.push(raw[i] ?? (typeof v === 'string' ? bytes(v) : v.file));
    chunks.push(bytes('\r\n'));
  });
  chunks.push(bytes(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const post =
  (path: string, body: string | Uint8Array, type: string) =>
  (client: Client): Promise<Response> =>
    client.request(path, { method: 'POST', body, headers: { 'Content-Type': type } });
const FORM = 'application/x-www-form-urlencoded';
const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

/** The classes sent to a route's address: bad bytes and NUL in the query (and the path's id). */
function addressCases(route: Route, path: string): HostileCase[] {
  const send = (p: string) => (client: Client) =>
    route.method === 'GET'
      ? client.get(p)
      : client.request(p, { method: 'POST', body: '', headers: { 'Content-Type': FORM } });
  const refused = { status: 400, beforeRoute: true };
  const cases: HostileCase[] = [
    { name: 'NUL in the query', send: send(`${path}${and(path)}q=a%00b&page=1`), admin: refused },
    {
      name: 'invalid UTF-8 in the query',
      send: send(`${path}${and(path)}q=a%FF%FEb&page=1`),
      admin: refused,
    },
    {
      name: 'a control character in the query',
      send: send(`${path}${and(path)}next=%1B%5B2J`),
      admin: refused,
    },
  ];
  const params = route.path.split('/').map((segment) => segment.startsWith(':'));
  if (params.some(Boolean)) {
    const withId = (suffix: string) =>
      path
        .split('/')
        .map((segment, i) => (params[i] ? `${segment}${suffix}` : segment))
        .join('/');
    cases.push({ name: 'NUL in the path', send: send(withId('%00')), admin: refused });
    cases.push({ name: 'invalid UTF-8 in the path', send: send(withId('%C3')), admin: refused });
  }
  return cases;
}

/** Query classes a GET route's handler must take calmly: repeated, array-style, over-long. */
function queryCases(path: string): HostileCase[] {
  const names = [
    'q',
    'page',
    'search',
    'next',
    'entity',
    'person',
    'role',
    'before',
    'token',
    'name',
    'eq',
    'cq',
  ];
  const long = 'é'.repeat(4000);
  return [
    {
      name: 'every query parameter sent twice',
      send: (c) => c.get(`${path}${and(path)}${names.map((n) => `${n}=1&${n}=2`).join('&')}`),
      admin: { status: 422, asPlain: true, says: 'was sent more than once' },
    },
    {
      name: 'array-style query parameters',
      send: (c) => c.get(`${path}${and(path)}${names.map((n) => `${n}[]=1&${n}[0]=2`).join('&')}`),
      admin: { asPlain: true },
    },
    {
      name: 'over-long query values',
      send: (c) => c.get(`${path}${and(path)}${names.map((n) => `${n}=${enc(long)}`).join('&')}`),
      admin: {},
    },
  ];
}

/** Upload routes: a file's bytes are whatever the file holds, NUL and all; they read their body as a stream. */
const BYTES_ARE_CONTENT = new Set(['POST /entities/:id/files', 'POST /portal/entities/:id/files']);

/** Body classes for a route that reads a form. */
function bodyCases(route: Route, world: World, path: string, entries: Entries): HostileCase[] {
  const cases: HostileCase[] = [];
  const unreadable = { status: 400 };
  const isFile = (v: Value) => typeof v !== 'string';
  // A file's bytes are the route's to judge: the CSV import refuses them beside its field; to a
  // file upload any bytes are content, stored as sent.
  const badBytes = (v: Value) =>
    !isFile(v) ? unreadable : BYTES_ARE_CONTENT.has(route.key) ? { mayChange: true } : { status: 422 };
  const whole = multipart(entries);
  cases.push(
    {
      name: 'multipart without a boundary',
      send: post(path, whole, 'multipart/form-data'),
      admin: unreadable,
    },
    {
      name: 'multipart with a boundary the body does not use',
      send: post(path, whole, 'multipart/form-data; boundary=not-the-one'),
      admin: unreadable,
    },
    {
      name: 'multipart cut short',
      send: post(path, whole.subarray(0, Math.max(10, whole.length - 30)), MULTIPART),
      admin: unreadable,
    },
    {
      name: 'multipart cut before its first part ends',
      send: post(
        path,
        bytes(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="x"\r\n\r\nab`),
        MULTIPART,
      ),
      admin: unreadable,
    },
  );
  cases.push({
    name: 'a body whose connection drops before its announced length',
    send: dropped(path, urlencoded(entries).slice(0, 12), { 'Content-Length': '1000' }),
    admin: unreadable,
  });
  entries.forEach(([name, v], i) => {
    cases.push(
      {
        name: `NUL in “${name}”`,
        send: post(path, urlencoded(entries, { [i]: 'a%00b' }), FORM),
        admin: unreadable,
      },
      {
        name: `invalid UTF-8 in “${name}”`,
        send: post(path, urlencoded(entries, { [i]: 'a%FFb' }), FORM),
        admin: unreadable,
      },
      {
        name: `“${name}” cut mid-character`,
        send: post(path, urlencoded(entries, { [i]: 'caf%C3' }), FORM),
        admin: unreadable,
      },
      {
        name: `NUL in multipart “${name}”`,
        send: post(path, multipart(entries, { [i]: bytes('a\u0000b') }), MULTIPART),
        admin: badBytes(v),
      },
      {
        name: `invalid UTF-8 in multipart “${name}”`,
        send: post(path, multipart(entries, { [i]: Uint8Array.of(0x61, 0xff, 0xfe, 0x62) }), MULTIPART),
        admin: badBytes(v),
      },
    );
  });
  for (const name of singleFields(route, world)) {
    const twice: Entries = [...entries, [name, 'again']];
    cases.push({
      name: `“${name}” sent twice`,
      send: post(path, urlencoded(twice), FORM),
      admin: { status: 422, says: `The field “${name}” was sent more than once.` },
    });
  }
  cases.push(
    {
      name: 'array-style field names',
      send: post(path, urlencoded(entries.map(([n, v]) => [`${n}[]`, v])), FORM),
      admin: { mayChange: true, loseIds: true },
    },
    {
      name: 'over-long values in every field',
      send: post(path, urlencoded(entries.map(([n, v]) => [n, isFile(v) ? v : 'x'.repeat(3000)])), FORM),
      admin: { loseIds: true },
    },
  );
  return cases;
}

/** A body whose connection drops after `start` (a stream that fails), sent chunked or with a length. */
function dropped(path: string, start: string, headers: Record<string, string>) {
  return (client: Client) =>
    client.request(path, {
      method: 'POST',
      body: new ReadableStream<Uint8Array>({
        pull(controller) {
          controller.enqueue(bytes(start));
          controller.error(new Error('aborted'));
        },
      }),
      duplex: 'half',
      headers: { 'Content-Type': FORM, ...headers },
    } as RequestInit);
}

/**
 * A body over the route's size limit: refused (413) before any route reads it. An upload route
 * reads its body as a stream and counts it itself: files each under the file limit, more of them
 * than one upload may carry, are refused (400) once the count passes, with no row kept.
 */
function oversized(route: Route, path: string): HostileCase {
  const config = testConfig();
  const limit =
    { ...IMPORT_BODY_LIMITS, ...WEBHOOK_BODY_LIMITS, ...uploadBodyLimits(config) }[route.path] ??
    MAX_FORM_BYTES;
  if (!BYTES_ARE_CONTENT.has(route.key))
    return {
      name: 'a body over the size limit',
      send: post(path, `x=${'a'.repeat(limit)}`, FORM),
      admin: { status: 413, beforeRoute: true },
    };
  const each = (config.files?.maxBytes ?? 1024 * 1024) - 1024;
  const files = Array.from({ length: Math.ceil(limit / each) + 1 }, (_, i): [string, Value] => [
    'files',
    { file: new Uint8Array(each).fill(97), name: `part-${i}.txt` },
  ]);
  return {
    name: 'a body over the size limit',
    send: post(path, multipart(files), MULTIPART),
    admin: { status: 400 },
  };
}

/** Every malformed class for the route, about the world's objects. */
export async function hostileCases(
  route: Route,
  world: World,
  path = concrete(route.path, world),
): Promise<HostileCase[]> {
  const cases = addressCases(route, path);
  if (route.method === 'GET') return [...cases, ...queryCases(path)];
  if (TUS_ROUTES.has(route.key)) return [...cases, ...tusCases(route, path)];
  const entries = await entriesOf(route, world);
  cases.push(oversized(route, path), {
    // Measured by the size limit as it comes, so the drop is met before any route; an upload
    // route meets it itself, as it reads.
    name: 'a chunked body whose connection drops',
    send: dropped(path, 'a=1&b', { 'Transfer-Encoding': 'chunked' }),
    admin: BYTES_ARE_CONTENT.has(route.key) ? { status: 400 } : { status: 400, beforeRoute: true },
  });
  // A route that reads no form (sign out, disable, …) acts whatever its body says: only the
  // classes refused before it are sent.
  if (entries.length) cases.push(...bodyCases(route, world, path, entries));
  return cases;
}

/**
 * The tus routes (src/files/resumable) read headers, not forms: an upload's length and details
 * broken every way, a chunk past the largest file, and a chunk whose connection drops.
 */
function tusCases(route: Route, path: string): HostileCase[] {
  const plausible = tusRequest(route.method);
  const ask =
    (headers: Record<string, string>, init: RequestInit = {}) =>
    (client: Client) =>
      client.request(path, {
        ...plausible,
        ...init,
        headers: { ...(plausible.headers as Record<string, string>), ...headers },
      } as RequestInit);
  const name = (value: string) => `filename ${Buffer.from(value).toString('base64')}`;
  const maxBytes = testConfig().files?.maxBytes ?? 1024 * 1024;
  if (route.method === 'POST')
    return [
      { name: 'no upload length', send: ask({ 'Upload-Length': '' }), admin: { status: 400 } },
      { name: 'a negative upload length', send: ask({ 'Upload-Length': '-5' }), admin: { status: 400 } },
      {
        name: 'an upload length that is not a number',
        send: ask({ 'Upload-Length': '1e3x' }),
        admin: { status: 400 },
      },
      {
        name: 'an upload length past the largest file',
        send: ask({ 'Upload-Length': String(maxBytes + 1) }),
        admin: { status: 413 },
      },
      {
        name: 'details that are not base64',
        send: ask({ 'Upload-Metadata': 'filename !!!' }),
        admin: { status: 400 },
      },
      { name: 'no file name', send: ask({ 'Upload-Metadata': '' }), admin: { status: 422 } },
      {
        name: 'NUL in the file name',
        send: ask({ 'Upload-Metadata': name('a\u0000b.txt') }),
        admin: { status: 422 },
      },
      {
        name: 'a file name that climbs out',
        send: ask({ 'Upload-Metadata': name('../../etc/passwd') }),
        admin: { status: 422 },
      },
      {
        name: 'a deferred length',
        send: ask({ 'Upload-Length': '', 'Upload-Defer-Length': '1' }),
        admin: { status: 400 },
      },
      { name: 'no Tus-Resumable header', send: ask({ 'Tus-Resumable': '' }), admin: { status: 412 } },
    ];
  if (route.method !== 'PATCH') return [];
  const chunk = (body: ReadableStream<Uint8Array>, headers: Record<string, string>) =>
    ask(headers, { body, duplex: 'half' } as RequestInit);
  return [
    {
      name: 'a chunk past the largest file',
      send: chunk(new Blob([new Uint8Array(maxBytes + 1)]).stream(), {
        'Content-Length': String(maxBytes + 1),
      }),
      admin: { status: 413, beforeRoute: true },
    },
    {
      name: 'a chunk whose connection drops',
      send: chunk(
        new ReadableStream({
          pull(controller) {
            controller.enqueue(bytes('ab'));
            controller.error(new Error('aborted'));
          },
        }),
        { 'Transfer-Encoding': 'chunked' },
      ),
      admin: {},
    },
  ];
}

/** Methods no route answers, sent to the route's address; the made-up one included. */
export const ODD_METHODS = ['PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'FROBNICATE'];

/**
 * A request with any method (TRACE included, which a fetch Request refuses to carry), with the
 * client's cookies and its Origin, straight to the app.
 */
export async function oddMethod(client: Client, method: string, path: string): Promise<Response> {
  const headers = new Headers({ Origin: client.origin });
  if (client.cookies.size) headers.set('Cookie', [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
  const request = new Request(`http://portico.test${path}`, { headers });
  const asked = new Proxy(request, {
    get(target, prop) {
      if (prop === 'method') return method;
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return client.app.fetch(asked);
}
