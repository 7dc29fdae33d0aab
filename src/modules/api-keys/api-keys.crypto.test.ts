import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { displayKeyHint, generateApiKey, hashApiKey, keyHint } from './api-keys.crypto.ts';

describe('generateApiKey', () => {
  it('is n8n_api_ followed by 40 characters from [0-9A-Za-z]', () => {
    for (let i = 0; i < 50; i++) {
      const key = generateApiKey();
      expect(key).toMatch(/^n8n_api_[0-9A-Za-z]{40}$/);
      expect(key).toHaveLength(48);
    }
  });

  it('is different every time', () => {
    const keys = new Set(Array.from({ length: 1000 }, () => generateApiKey()));
    expect(keys.size).toBe(1000);
  });
});

describe('hashApiKey', () => {
  it('is a 64-character lowercase hex SHA-256', () => {
    expect(hashApiKey(generateApiKey())).toMatch(/^[0-9a-f]{64}$/);
  });

  it('matches the SHA-256 test vectors', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashApiKey('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('is deterministic', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toBe(hashApiKey(key));
    expect(hashApiKey(key)).toBe(createHash('sha256').update(key).digest('hex'));
  });

  it('differs for different keys, even by one character', () => {
    const key = generateApiKey();
    const other = `${key.slice(0, -1)}${key.endsWith('a') ? 'b' : 'a'}`;
    expect(hashApiKey(key)).not.toBe(hashApiKey(other));
  });

  it('hashes the UTF-8 bytes of the key', () => {
    expect(hashApiKey('é')).toBe(createHash('sha256').update(Buffer.from('é', 'utf8')).digest('hex'));
  });

  it('does not contain the key', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).not.toContain(key.slice(8));
  });
});

describe('keyHint', () => {
  it('is the last 4 characters of the key', () => {
    expect(keyHint('n8n_api_abcdefghijklmnopqrstuvwxyz0123456789ABCD')).toBe('ABCD');
    const key = generateApiKey();
    expect(keyHint(key)).toBe(key.slice(-4));
    expect(keyHint(key)).toHaveLength(4);
  });

  it('is the whole string for strings shorter than 4 characters', () => {
    expect(keyHint('abc')).toBe('abc');
    expect(keyHint('')).toBe('');
  });
});

describe('displayKeyHint', () => {
  it('shows the stored hint after the key prefix, so the API and the CLI show a key the same way', () => {
    const key = generateApiKey();
    expect(displayKeyHint(keyHint(key))).toBe(`n8n_api_…${key.slice(-4)}`);
    expect(key.startsWith(displayKeyHint('').slice(0, -1))).toBe(true);
  });
});
