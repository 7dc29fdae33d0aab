import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Credential data at rest: AES-256-GCM with a random 96-bit IV per write and the 128-bit authentication tag,
 * stored as `v1:<iv>:<tag>:<ciphertext>` (base64). Any string works as N8N_ENCRYPTION_KEY: it is hashed to the
 * 32-byte key, and the first bytes of a second hash identify the key a row was written with (never the key).
 */
export interface EncryptionKey {
  key: Buffer;
  /** 12 hex characters identifying the key; stored with each row. */
  id: string;
}

const FORMAT = 'v1';

export function encryptionKey(secret: string): EncryptionKey {
  const key = createHash('sha256').update(secret, 'utf8').digest();
  const id = createHash('sha256').update('flowgate-key-id:').update(key).digest('hex').slice(0, 12);
  return { key, id };
}

export function encryptData(data: Record<string, unknown>, { key }: EncryptionKey): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const ciphertext = Buffer.concat([cipher.update(JSON.stringify(data), 'utf8'), cipher.final()]);
  return [FORMAT, iv.toString('base64'), cipher.getAuthTag().toString('base64'), ciphertext.toString('base64')].join(':');
}

export class DecryptionError extends Error {}

/** Throws DecryptionError for a wrong key or tampered data: GCM authenticates, so nothing garbled comes back. */
export function decryptData(payload: string, { key }: EncryptionKey): Record<string, unknown> {
  const [format, iv, tag, ciphertext] = payload.split(':');
  if (format !== FORMAT || !iv || !tag || ciphertext === undefined) throw new DecryptionError('unknown credential data format');
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    const plaintext = Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]);
    return JSON.parse(plaintext.toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new DecryptionError('credential data cannot be decrypted with this key');
  }
}
