/**
 * SECRET_KEY outside production: made once, on the first start, into DATA_DIR/secret-key (readable
 * by the owner only) and read from there on every later start, so a developer's sign-ins in
 * progress and sealed values survive a restart. Production names its own (src/kernel/config.ts).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { type Config, decodeSecretKey } from './config.js';

export const SECRET_KEY_FILE = 'secret-key';

export async function resolveSecretKey(
  config: Pick<Config, 'secretKey' | 'dataDir' | 'env'>,
): Promise<Uint8Array> {
  if (config.secretKey) return config.secretKey;
  if (config.env === 'production') throw new Error('SECRET_KEY is required when NODE_ENV=production');
  const file = path.join(config.dataDir, SECRET_KEY_FILE);
  await fs.mkdir(config.dataDir, { recursive: true });
  // Written whole under a name of its own, then linked into place: of two processes starting at
  // once, one links and the other finds the file complete and reads it.
  const draft = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  await fs.writeFile(draft, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
  try {
    await fs.link(draft, file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(draft, { force: true });
  }
  const key = decodeSecretKey(await fs.readFile(file, 'utf8'));
  if (!key) throw new Error(`${file} does not hold a key of 32 bytes or more: delete it to make a new one`);
  return key;
}
