import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { type EncryptionKey, encryptionKey } from './credentials.crypto.ts';

export const KEY_FILE = 'encryption-key';

/**
 * N8N_ENCRYPTION_KEY when set; otherwise a random key generated on first start and kept in DATA_DIR with 0600
 * permissions. Several instances must share one key: set N8N_ENCRYPTION_KEY for them (a start-up check refuses
 * to run with a key that cannot read the stored credentials).
 */
export async function loadEncryptionKey(config: { encryptionKey?: string; dataDir: string }): Promise<EncryptionKey> {
  if (config.encryptionKey) return encryptionKey(config.encryptionKey);
  const file = path.join(config.dataDir, KEY_FILE);
  const existing = await readFile(file, 'utf8').catch(() => undefined);
  if (existing?.trim()) {
    await chmod(file, 0o600);
    return encryptionKey(existing.trim());
  }
  await mkdir(config.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    // 'wx': if another process created it meanwhile, use theirs rather than overwrite it.
    await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
    return encryptionKey(secret);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    return encryptionKey((await readFile(file, 'utf8')).trim());
  }
}
