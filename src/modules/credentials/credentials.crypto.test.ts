import { describe, expect, it } from 'vitest';
import { DecryptionError, decryptData, encryptData, encryptionKey } from './credentials.crypto.ts';

describe('credential encryption', () => {
  const key = encryptionKey('correct horse battery staple');

  it('round-trips and never stores the plaintext', () => {
    const data = { user: 'alice', password: 's3cr3t-value' };
    const sealed = encryptData(data, key);
    expect(sealed).toMatch(/^v1:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$/);
    expect(sealed).not.toContain('s3cr3t');
    expect(decryptData(sealed, key)).toEqual(data);
  });

  it('uses a fresh IV per write', () => {
    expect(encryptData({ a: 1 }, key)).not.toBe(encryptData({ a: 1 }, key));
  });

  it('refuses a wrong key and tampered data', () => {
    const sealed = encryptData({ token: 'x' }, key);
    expect(() => decryptData(sealed, encryptionKey('another key'))).toThrow(DecryptionError);
    const parts = sealed.split(':');
    const flipped = Buffer.from(parts[3]!, 'base64');
    flipped[0] = flipped[0]! ^ 1;
    expect(() => decryptData([parts[0], parts[1], parts[2], flipped.toString('base64')].join(':'), key)).toThrow(DecryptionError);
    expect(() => decryptData('plain text', key)).toThrow(DecryptionError);
  });

  it('identifies keys without revealing them', () => {
    expect(key.id).toMatch(/^[0-9a-f]{12}$/);
    expect(encryptionKey('correct horse battery staple').id).toBe(key.id);
    expect(encryptionKey('other').id).not.toBe(key.id);
  });
});
