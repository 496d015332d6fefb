/**
 * SECRET_KEY's uses: a sealed or signed value comes back only for the purpose and key it was made
 * with, and tampering is refused; outside production the key is made once into DATA_DIR and kept.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { resolveSecretKey, SECRET_KEY_FILE } from '../../src/kernel/secret-key.js';
import { secretsFrom } from '../../src/kernel/secrets.js';

const key = (fill: number) => new Uint8Array(32).fill(fill);

describe('sealing and signing with SECRET_KEY', () => {
  const secrets = secretsFrom(key(1));

  it('opens what it sealed, for the same purpose and key only', () => {
    const sealed = secrets.seal('oidc:token', 'refresh-token-𝄞');
    expect(sealed).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain('refresh');
    expect(secrets.open('oidc:token', sealed)).toBe('refresh-token-𝄞');
    expect(secrets.seal('oidc:token', 'same')).not.toBe(secrets.seal('oidc:token', 'same'));
    expect(secrets.open('oidc:flow', sealed)).toBeNull();
    expect(secretsFrom(key(2)).open('oidc:token', sealed)).toBeNull();
    const bytes = Buffer.from(sealed, 'base64url');
    for (const at of [0, 13, bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      tampered[at]! ^= 1;
      expect(secrets.open('oidc:token', tampered.toString('base64url'))).toBeNull();
    }
    expect(secrets.open('oidc:token', '')).toBeNull();
    expect(secrets.open('oidc:token', 'short')).toBeNull();
  });

  it('keeps the same keys from release to release: what an earlier version sealed or signed still opens', () => {
    // Made once with this code: a change to how keys are derived would strand every sealed token.
    expect(secrets.sign('oidc:browser', 'flow-123')).toBe(
      'flow-123.ApYPNl49WNwKAlXutFOqW8TE6LZF2Qy_89oIHcfPd-k',
    );
    expect(secrets.open('oidc:token', 'hjbe_7VSOUgDbi2Mup2vdD6I4FRwbvPKLPh6aKaHoVUSl8J0xQ')).toBe(
      'refresh-1',
    );
  });

  it('seals and signs an empty value too', () => {
    expect(secrets.open('p', secrets.seal('p', ''))).toBe('');
    expect(secrets.verify('p', secrets.sign('p', ''))).toBe('');
  });

  it('verifies what it signed, for the same purpose and key only', () => {
    const signed = secrets.sign('oidc:browser', 'flow-123');
    expect(signed).toMatch(/^flow-123\.[A-Za-z0-9_-]{43}$/);
    expect(secrets.verify('oidc:browser', signed)).toBe('flow-123');
    expect(secrets.verify('oidc:other', signed)).toBeNull();
    expect(secretsFrom(key(2)).verify('oidc:browser', signed)).toBeNull();
    expect(secrets.verify('oidc:browser', signed.replace('flow-123', 'flow-124'))).toBeNull();
    expect(secrets.verify('oidc:browser', `${signed.slice(0, -1)}A`)).toBeNull();
    expect(secrets.verify('oidc:browser', 'flow-123')).toBeNull();
    expect(secrets.verify('oidc:browser', 'flow-123.')).toBeNull();
  });
});

describe('SECRET_KEY outside production', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'portico-key-'));
    dirs.push(dir);
    return path.join(dir, 'data');
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is made once into DATA_DIR, readable by its owner only, and read back on every later start', async () => {
    const dir = dataDir();
    const first = await resolveSecretKey({ dataDir: dir, env: 'development' });
    expect(first.length).toBe(32);
    const file = path.join(dir, SECRET_KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const [again, concurrent] = await Promise.all([
      resolveSecretKey({ dataDir: dir, env: 'development' }),
      resolveSecretKey({ dataDir: dir, env: 'test' }),
    ]);
    expect(again).toEqual(first);
    expect(concurrent).toEqual(first);
    expect(fs.readdirSync(dir)).toEqual([SECRET_KEY_FILE]);
  });

  it('prefers SECRET_KEY, refuses to make one in production, and names a damaged file', async () => {
    const dir = dataDir();
    expect(await resolveSecretKey({ dataDir: dir, env: 'production', secretKey: key(3) })).toEqual(key(3));
    await expect(resolveSecretKey({ dataDir: dir, env: 'production' })).rejects.toThrow(
      'SECRET_KEY is required when NODE_ENV=production',
    );
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, SECRET_KEY_FILE), 'too short\n');
    await expect(resolveSecretKey({ dataDir: dir, env: 'development' })).rejects.toThrow(
      /secret-key does not hold a key of 32 bytes or more: delete it to make a new one$/,
    );
  });
});
