/**
 * What SECRET_KEY is for: sealing a value only this installation can read (AES-256-GCM), and
 * signing one only it can have written (HMAC-SHA-256). Each use names its `purpose`, from which a
 * key of its own is derived (HKDF), so a value sealed or signed for one purpose is never accepted
 * for another, and plugins (whose purposes start with their id) cannot read the core's.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';

export interface Secrets {
  /** `plaintext` encrypted and authenticated, as base64url text safe in a cookie or a column. */
  seal(purpose: string, plaintext: string): string;
  /** What `seal` sealed for the same purpose; null for anything else (tampered, other purpose, other key). */
  open(purpose: string, sealed: string): string | null;
  /** `value` with a signature: "value.signature". */
  sign(purpose: string, value: string): string;
  /** The value `sign` signed for the same purpose; null when the signature does not match. */
  verify(purpose: string, signed: string): string | null;
}

const IV_BYTES = 12;
const TAG_BYTES = 16;

export function secretsFrom(secretKey: Uint8Array): Secrets {
  const keys = new Map<string, Buffer>();
  const keyFor = (use: 'seal' | 'sign', purpose: string) => {
    const name = `${use}:${purpose}`;
    let key = keys.get(name);
    if (!key) {
      key = Buffer.from(hkdfSync('sha256', secretKey, Buffer.alloc(0), `portico ${name}`, 32));
      keys.set(name, key);
    }
    return key;
  };
  const mac = (purpose: string, value: string) =>
    createHmac('sha256', keyFor('sign', purpose)).update(value).digest();

  return {
    seal(purpose, plaintext) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', keyFor('seal', purpose), iv);
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
    },
    open(purpose, sealed) {
      const bytes = Buffer.from(sealed, 'base64url');
      if (bytes.length < IV_BYTES + TAG_BYTES) return null;
      try {
        const decipher = createDecipheriv(
          'aes-256-gcm',
          keyFor('seal', purpose),
          bytes.subarray(0, IV_BYTES),
        );
        decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
        return Buffer.concat([
          decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
          decipher.final(),
        ]).toString('utf8');
      } catch {
        return null;
      }
    },
    sign(purpose, value) {
      return `${value}.${mac(purpose, value).toString('base64url')}`;
    },
    verify(purpose, signed) {
      const dot = signed.lastIndexOf('.');
      if (dot < 0) return null;
      const value = signed.slice(0, dot);
      const given = Buffer.from(signed.slice(dot + 1), 'base64url');
      const expected = mac(purpose, value);
      return given.length === expected.length && timingSafeEqual(given, expected) ? value : null;
    },
  };
}
