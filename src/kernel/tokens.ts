/**
 * Random secrets and their stored form. A secret is shown once (cookie, link, console) and only
 * its SHA-256 is kept, so a copy of the database signs nobody in.
 */
import { hash, timingSafeEqual } from 'node:crypto';
import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';

/** 160 bits of randomness, base32: for session tokens, setup tokens and one-time links. */
export function generateToken(): string {
  const bytes = new Uint8Array(20);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** 128 bits, base32 (26 characters): for emailed sign-in links, which must stay short enough to click. */
export function generateLinkToken(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** 80 bits: unguessable row ids that do not reveal how many rows exist. */
export function generateId(): string {
  const bytes = new Uint8Array(10);
  crypto.getRandomValues(bytes);
  return encodeBase32LowerCaseNoPadding(bytes);
}

/** Node's one-shot native SHA-256: the same hex digest as Lucia's guide, at a fraction of the pure-JS cost. */
export function hashToken(token: string): string {
  return hash('sha256', token, 'hex');
}

export function constantTimeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
