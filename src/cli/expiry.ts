import { ValidationError } from '../lib/errors.ts';

const UNITS_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `30d`, `12h`, `2w`, or an ISO 8601 date-time. */
export function parseExpiry(value: string, now = Date.now()): Date {
  const relative = /^(\d+)([hdw])$/.exec(value);
  if (relative) return new Date(now + Number(relative[1]) * (UNITS_MS[relative[2]!] ?? 0));
  const date = new Date(value);
  const day = /^(\d{4}-\d{2}-\d{2})/.exec(value)?.[1];
  // Date() rolls impossible days over (2027-02-30 becomes March 2nd): insist the day survives parsing.
  if (Number.isNaN(date.getTime()) || !day || new Date(`${day}T00:00:00Z`).toISOString().slice(0, 10) !== day) {
    throw new ValidationError(`--expires "${value}" is neither a duration (30d, 12h, 2w) nor an ISO date (2027-01-31T00:00:00Z)`);
  }
  return date;
}
