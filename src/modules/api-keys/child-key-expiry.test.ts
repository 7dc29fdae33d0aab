import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../lib/errors.ts';
import { childKeyExpiry } from './child-key-expiry.ts';

const PARENT = new Date('2027-01-01T00:00:00.000Z');

describe('childKeyExpiry', () => {
  it('leaves the request alone when the parent never expires', () => {
    expect(childKeyExpiry(null, undefined)).toBeUndefined();
    expect(childKeyExpiry(undefined, undefined)).toBeUndefined();
    const asked = new Date('2999-01-01T00:00:00Z');
    expect(childKeyExpiry(null, asked)).toBe(asked);
  });

  it('gives the parent’s expiry when none is asked for', () => {
    expect(childKeyExpiry(PARENT, undefined)).toEqual(PARENT);
  });

  it('accepts the parent’s expiry itself and anything earlier', () => {
    expect(childKeyExpiry(PARENT, new Date(PARENT))).toEqual(PARENT);
    const earlier = new Date(PARENT.getTime() - 1);
    expect(childKeyExpiry(PARENT, earlier)).toBe(earlier);
  });

  it('refuses anything later, even by a millisecond, naming the limit and how to fix the request', () => {
    const attempt = () => childKeyExpiry(PARENT, new Date(PARENT.getTime() + 1));
    expect(attempt).toThrow(ValidationError);
    expect(attempt).toThrow(
      "expiresAt must not be later than this key's own expiry, 2027-01-01T00:00:00.000Z. Pick an earlier time, or omit expiresAt to give the new key the same expiry.",
    );
    try {
      attempt();
    } catch (err) {
      expect(err).toMatchObject({ statusCode: 400, code: 'VALIDATION_ERROR', details: { maxExpiresAt: '2027-01-01T00:00:00.000Z' } });
    }
  });
});
