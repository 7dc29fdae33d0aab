import { DateTime } from 'luxon';
import { NodeOperationError } from '../node-types.ts';

/**
 * How the Date & Time node (v2) of n8n 2.39 reads a date, reproduced (our code, its observable rules):
 *
 * - a Luxon DateTime is taken as it is;
 * - anything `Number()` reads as a number (numbers, numeric strings, `''` and `' '`, which are 0) is a Unix
 *   timestamp: fractional values are seconds and scaled to milliseconds, integers of fewer than 12 digits are
 *   seconds, longer ones milliseconds (numeric strings count as text when `fromFormat` is set);
 * - other text is read with `fromFormat` (Luxon tokens) in the workflow's zone when one is set, else the way
 *   moment.js reads it: ISO 8601 with `T` or a space before the time, then RFC 2822, then JavaScript's own date
 *   parser. A time without an offset, and a date alone, is UTC, the zone of n8n's Docker image, so `2025-07-04` is
 *   midnight UTC, not midnight in the workflow's zone;
 * - the result is then shown in `timezone`; without one, in UTC, or, when the text contains a `+`, in the
 *   whole-hour zone of the two digits after the first `+` (`…+05:30` is shown at +05:00, `…-04:00` in UTC).
 *
 * Only text nothing can read fails ("Invalid date format"); a date that parses into an impossible value (month
 * 13 through `fromFormat`) goes on as Luxon's invalid DateTime, which prints "Invalid DateTime", as in n8n.
 */
export function parseNodeDate(value: unknown, options: { timezone?: string; fromFormat?: string; workflowTimezone: string }): DateTime {
  if (DateTime.isDateTime(value)) return value;
  if (typeof value === 'string' && (options.fromFormat || Number.isNaN(Number(value)))) {
    return inZone(parseText(value, options), options.timezone || offsetZoneOf(value));
  }
  const timestamp = Number(value);
  if (Number.isNaN(timestamp)) throw new NodeOperationError('Invalid date type');
  return inZone(fromTimestamp(timestamp), options.timezone);
}

function fromTimestamp(value: number): DateTime {
  const scaled = Number.isInteger(value) ? value : value * 1000;
  if (!Number.isInteger(scaled)) return DateTime.fromMillis(scaled);
  return String(scaled).length < 12 ? DateTime.fromSeconds(scaled) : DateTime.fromMillis(scaled);
}

function inZone(date: DateTime, zone: string | undefined): DateTime {
  const shown = date.setZone(zone || 'Etc/UTC');
  if (shown.invalidReason === 'unparsable') throw new NodeOperationError('Invalid date format');
  return shown;
}

/** n8n's reading of a `+` in the text: the two characters after the first one, as whole hours east of UTC. */
function offsetZoneOf(text: string): string | undefined {
  if (!text.includes('+')) return undefined;
  return `Etc/GMT-${Number(text.split('+')[1]?.slice(0, 2))}`;
}

function parseText(text: string, options: { fromFormat?: string; workflowTimezone: string }): DateTime {
  if (options.fromFormat) return DateTime.fromFormat(text, options.fromFormat, { zone: options.workflowTimezone });
  const millis = momentInstant(text);
  return millis === undefined ? DateTime.invalid('unparsable') : DateTime.fromMillis(millis);
}

// ISO 8601 as moment.js accepts it: a calendar, week or ordinal date (extended or basic), then optionally `T` or one
// space and a time of the same style (a fraction after `.` or `,`), then optionally `Z` or an offset.
const YEAR = String.raw`(?:[+-]\d{6}|\d{4})`;
const ZONE = String.raw`(\s*Z|[+-]\d\d(?::?\d\d)?)`;
const isoForm = (date: string, time: string) => new RegExp(String.raw`^\s*(${YEAR}${date})(?:[T ](${time})${ZONE}?)?$`);
const ISO_FORMS = [
  isoForm(String.raw`-(?:\d\d-\d\d|W\d\d-\d|W\d\d|\d{3}|\d\d)`, String.raw`\d\d(?::\d\d(?::\d\d(?:[.,]\d+)?)?)?`),
  isoForm(String.raw`(?:\d{4}|W\d{3}|W\d\d|\d{3})`, String.raw`\d\d(?:\d\d(?:\d\d(?:[.,]\d+)?)?)?`),
];

/** The instant moment.js reads from `text` in a process whose zone is UTC, or undefined when it reads none. */
function momentInstant(text: string): number | undefined {
  const iso = ISO_FORMS.map((form) => form.exec(text)).find((match) => match !== null);
  if (iso) {
    const [, date, time, zone] = iso;
    const normalized = `${date}${time ? `T${time.replace(',', '.')}` : ''}${zone ? zone.trim() : ''}`;
    const parsed = DateTime.fromISO(normalized, { zone: 'utc' });
    return parsed.isValid ? parsed.toMillis() : undefined;
  }
  const rfc2822 = DateTime.fromRFC2822(text);
  if (rfc2822.isValid) return rfc2822.toMillis();
  return parseJavaScriptDate(text);
}

// Whether JavaScript's date parser finds a zone in the text: a zone name, or a signed offset after a time.
const NAMES_A_ZONE = /\b(?:GMT|UTC?|Z|[ECMP][SD]T)\b|\d:\d\d(?::\d\d(?:\.\d+)?)?\s*(?:[AP]M\s*)?[+-]\d/i;

/**
 * moment's last resort is `new Date(text)`, which reads a zone-less text in the process's zone; n8n's image runs in
 * UTC, so such text is read as UTC here whatever this server's zone is.
 */
export function parseJavaScriptDate(text: string): number | undefined {
  const millis = NAMES_A_ZONE.test(text) ? Date.parse(text) : Date.parse(`${text} UTC`);
  return Number.isNaN(millis) ? undefined : millis;
}
