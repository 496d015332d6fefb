/**
 * Checks a webhook signed the way Svix signs (Resend's webhooks are sent by Svix): HMAC-SHA256,
 * keyed with the secret's bytes, of `${svix-id}.${svix-timestamp}.${raw body}`, base64, sent as one
 * or more space-separated `v1,<signature>` entries (more than one while a secret is being rotated).
 * A timestamp more than five minutes from now is refused, so a captured request cannot be replayed
 * later. It only says yes or why not; it never reads the body as anything but bytes.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SVIX_TOLERANCE_MS = 5 * 60_000;

export interface SvixHeaders {
  id: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
}

/** Why a request is not believed; for the log, never for the caller. */
export type SvixRefusal = 'missing headers' | 'malformed headers' | 'stale timestamp' | 'no valid signature';

// Svix's ids are short printable words (msg_…); anything else is not one of its requests.
const ID = /^[\x21-\x7e]{1,256}$/;
const SECONDS = /^\d{1,12}$/;
const ENTRY = /^v1,([A-Za-z0-9+/]{43}=)$/;

/**
 * Null when one of the signatures is the secret's for this id, timestamp and body, sent within
 * five minutes of `now`; otherwise why not.
 * @example verifySvix(key, { id, timestamp, signature }, rawBody) === null
 */
export function verifySvix(
  key: Uint8Array,
  headers: SvixHeaders,
  body: Uint8Array,
  now = Date.now(),
): SvixRefusal | null {
  const { id, timestamp, signature } = headers;
  if (!id || !timestamp || !signature) return 'missing headers';
  if (!ID.test(id) || !SECONDS.test(timestamp)) return 'malformed headers';
  if (Math.abs(now - Number(timestamp) * 1000) > SVIX_TOLERANCE_MS) return 'stale timestamp';
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest();
  // Other versions' entries (a future scheme) are not ours to judge; a v1 entry must be an
  // HMAC-SHA256 (32 bytes). Every entry is compared, in constant time, whether or not one matched.
  let matched = false;
  for (const entry of signature.split(' ')) {
    const given = entry.match(ENTRY)?.[1];
    if (!given) continue;
    if (timingSafeEqual(Buffer.from(given, 'base64'), expected)) matched = true;
  }
  return matched ? null : 'no valid signature';
}
