/** Speaking tus to the app as a client would: starting an upload, and sending a chunk of it. */
import type { Client } from './app.js';

export const TUS = { 'Tus-Resumable': '1.0.0' };

function metadata(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([key, value]) => `${key} ${Buffer.from(value).toString('base64')}`)
    .join(',');
}

/** Starts an upload of `size` bytes at `endpoint`; its address is the answer's Location. */
export function startUpload(client: Client, endpoint: string, size: number, fields: Record<string, string>) {
  return client.request(endpoint, {
    method: 'POST',
    headers: { ...TUS, 'Upload-Length': String(size), 'Upload-Metadata': metadata(fields) },
  });
}

/** Sends `body` as the chunk at `offset`. */
export function sendChunk(
  client: Client,
  url: string,
  offset: number,
  body: Uint8Array | ReadableStream<Uint8Array>,
) {
  return client.request(url, {
    method: 'PATCH',
    body,
    headers: { ...TUS, 'Upload-Offset': String(offset), 'Content-Type': 'application/offset+octet-stream' },
    duplex: 'half',
  } as RequestInit);
}

/** Uploads `content` whole in one chunk; the upload's address. */
export async function uploadWhole(
  client: Client,
  endpoint: string,
  name: string,
  content: Uint8Array,
): Promise<string> {
  const url = (await startUpload(client, endpoint, content.length, { filename: name })).headers.get(
    'Location',
  )!;
  await sendChunk(client, url, 0, content);
  return url;
}
