import { beforeEach, describe, expect, it, vi } from 'vitest';

// randomBytes passes through to node:crypto unless a test queues bytes for it.
const queued: Buffer[] = [];
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    randomBytes: (size: number) => queued.shift() ?? actual.randomBytes(size),
  };
});

const { newId } = await import('./ids.ts');

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

beforeEach(() => {
  queued.length = 0;
});

describe('newId', () => {
  it('is 16 characters from [0-9A-Za-z] by default', () => {
    for (let i = 0; i < 100; i++) expect(newId()).toMatch(/^[0-9A-Za-z]{16}$/);
  });

  it.each([1, 8, 21, 40, 64, 200])('has a custom length of %i', (length) => {
    const id = newId(length);
    expect(id).toHaveLength(length);
    expect(id).toMatch(/^[0-9A-Za-z]+$/);
  });

  it('is empty for length 0', () => {
    expect(newId(0)).toBe('');
  });

  it('has no duplicates over 10k ids', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId()));
    expect(ids.size).toBe(10_000);
  });

  it('uses every character roughly equally often', () => {
    const counts = new Map<string, number>();
    const ids = 10_000;
    for (let i = 0; i < ids; i++) for (const ch of newId()) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    expect(counts.size).toBe(62);
    const expected = (ids * 16) / 62; // ~2581, standard deviation ~50
    let chiSquare = 0;
    for (const ch of ALPHABET) {
      const count = counts.get(ch) ?? 0;
      // A plain `byte % 62` would make the first 8 characters ~25% more frequent; allow 12%, about 6 standard deviations.
      expect(Math.abs(count - expected) / expected).toBeLessThan(0.12);
      chiSquare += (count - expected) ** 2 / expected;
    }
    // 61 degrees of freedom: the 99.9999th percentile is about 133.
    expect(chiSquare).toBeLessThan(140);
  });

  it('maps bytes below 248 to ALPHABET[byte % 62]', () => {
    queued.push(Buffer.from([0, 9, 10, 35, 36, 61, 62, 123, 124, 185, 186, 247, 0, 0, 0, 0]));
    expect(newId(12)).toBe('09AZaz0z0z0z');
  });

  it('skips bytes from 248 up (rejection sampling) and draws more bytes when it runs out', () => {
    queued.push(Buffer.from([248, 1, 255, 250, 2, 249]), Buffer.from([252, 3, 253, 4, 5, 6]));
    expect(newId(3)).toBe('123');
  });

  it('stops at the requested length even when bytes remain', () => {
    queued.push(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8]));
    expect(newId(4)).toBe('1234');
  });
});
