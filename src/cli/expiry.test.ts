import { describe, expect, it } from 'vitest';
import { ValidationError } from '../lib/errors.ts';
import { parseExpiry } from './expiry.ts';

const now = Date.parse('2026-03-15T12:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function rejection(value: string): ValidationError {
  try {
    parseExpiry(value, now);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return err as ValidationError;
  }
  expect.fail(`expected ${JSON.stringify(value)} to be rejected`);
}

describe('parseExpiry durations', () => {
  it.each([
    ['30d', 30 * DAY],
    ['12h', 12 * HOUR],
    ['2w', 14 * DAY],
    ['1h', HOUR],
    ['1d', DAY],
    ['1w', 7 * DAY],
    ['365d', 365 * DAY],
    ['0h', 0],
    ['007d', 7 * DAY],
  ])('reads %s relative to now', (value, ms) => {
    expect(parseExpiry(value, now).getTime()).toBe(now + ms);
  });

  it('gives the expected calendar time', () => {
    expect(parseExpiry('30d', now).toISOString()).toBe('2026-04-14T12:00:00.000Z');
    expect(parseExpiry('12h', now).toISOString()).toBe('2026-03-16T00:00:00.000Z');
    expect(parseExpiry('2w', now).toISOString()).toBe('2026-03-29T12:00:00.000Z');
  });

  it('defaults now to the current time', () => {
    const before = Date.now();
    const result = parseExpiry('1d').getTime();
    const after = Date.now();
    expect(result).toBeGreaterThanOrEqual(before + DAY);
    expect(result).toBeLessThanOrEqual(after + DAY);
  });
});

describe('parseExpiry dates', () => {
  it.each([
    ['2027-01-31T00:00:00Z', '2027-01-31T00:00:00.000Z'],
    ['2027-01-31T00:00:00.000Z', '2027-01-31T00:00:00.000Z'],
    ['2027-01-31T10:30:00+02:00', '2027-01-31T08:30:00.000Z'],
    ['2027-01-31', '2027-01-31T00:00:00.000Z'],
  ])('reads the ISO date %s', (value, iso) => {
    expect(parseExpiry(value, now).toISOString()).toBe(iso);
  });

  it('does not depend on now for absolute dates', () => {
    expect(parseExpiry('2027-01-31T00:00:00Z', 0).getTime()).toBe(parseExpiry('2027-01-31T00:00:00Z', now).getTime());
  });
});

describe('parseExpiry rejections', () => {
  it.each([
    'garbage',
    '',
    '30',
    'd',
    '30 d',
    ' 30d',
    '30d ',
    '30D',
    '30m',
    '30s',
    '1y',
    '-1d',
    '1.5d',
    '+30d',
    '2027',
    '2027-13-01',
    '31/01/2027',
    'Jan 31 2027',
    'January 31, 2027 00:00:00 UTC',
    '1767225600000',
    'tomorrow',
  ])('rejects %j with a message naming the value', (value) => {
    const err = rejection(value);
    expect(err.message).toContain(`"${value}"`);
    expect(err.message).toContain('--expires');
    expect(err.statusCode).toBe(400);
  });

  it('explains the accepted forms', () => {
    expect(rejection('garbage').message).toBe(
      '--expires "garbage" is neither a duration (30d, 12h, 2w) nor an ISO date (2027-01-31T00:00:00Z)',
    );
  });

  // Documents a bug: V8 parses a day that does not exist in the month by rolling over (2027-02-30 → 2027-03-02),
  // so an impossible date is silently accepted as a different one.
  it.each(['2027-02-30', '2027-02-29T00:00:00Z', '2027-04-31T12:00:00Z'])('rejects the impossible date %j', (value) => {
    expect(rejection(value).message).toContain(`"${value}"`);
  });
});
