import { DateTime } from 'luxon';

/** n8n's validateFieldType: converting a value to a field type (the filter's operands and the Set node's fields). */

export type Conversion = { valid: true; value: unknown } | { valid: false };
const invalid: Conversion = { valid: false };
export const converted = (value: unknown): Conversion => ({ valid: true, value });

/** Converts `value` to `type` the way n8n's validateFieldType does; strict refuses any value not already of that type. */
export function convertToType(value: unknown, type: string, strict = false): Conversion {
  if (value === null || value === undefined) return converted(undefined);
  switch (type) {
    case 'string':
      if (strict && typeof value !== 'string') return invalid;
      return converted(typeof value === 'object' ? JSON.stringify(value) : String(value));
    case 'number': {
      if (strict && typeof value !== 'number') return invalid;
      const number = Number(value);
      return Number.isNaN(number) ? invalid : converted(number);
    }
    case 'boolean': {
      if (strict && typeof value !== 'boolean') return invalid;
      const boolean = toBoolean(value);
      return boolean === undefined ? invalid : converted(boolean);
    }
    case 'dateTime': {
      const date = toDateTime(value);
      return date ? converted(date) : invalid;
    }
    case 'object': {
      if (strict && typeof value !== 'object' && typeof value !== 'function') return invalid;
      const object = toObject(value);
      return object ? converted(object) : invalid;
    }
    case 'array': {
      if (strict && !Array.isArray(value)) return invalid;
      const array = toArray(value);
      return array ? converted(array) : invalid;
    }
    default:
      return converted(value);
  }
}

export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'true' || lower === 'false') return lower === 'true';
    if (value.trim() === '') return undefined;
  }
  const number = Number(value);
  if (number === 0) return false;
  if (number === 1) return true;
  return undefined;
}

function toDateTime(value: unknown): DateTime | undefined {
  if (DateTime.isDateTime(value) && value.isValid) return value;
  if (value instanceof Date) {
    const fromDate = DateTime.fromJSDate(value);
    if (fromDate.isValid) return fromDate;
  }
  const text = String(value).trim();
  const parsers = [DateTime.fromISO, DateTime.fromHTTP, DateTime.fromRFC2822, DateTime.fromSQL];
  for (const parse of parsers) {
    const parsed = parse(text, { setZone: true });
    if (parsed.isValid) return parsed;
  }
  const millis = Date.parse(text);
  return Number.isNaN(millis) ? undefined : DateTime.fromMillis(millis);
}

function toObject(value: unknown): object | undefined {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value;
  try {
    const parsed = parseJsonLeniently(String(value));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function toArray(value: unknown): unknown[] | undefined {
  if (Array.isArray(value)) return value;
  const text = String(value);
  for (const candidate of [text, text.replace(/'/g, '"')]) {
    try {
      const parsed: unknown = JSON.parse(candidate);
      return Array.isArray(parsed) ? parsed : undefined;
    } catch {
      // try the next spelling
    }
  }
  return undefined;
}

/**
 * JSON.parse, then (like n8n) a second chance for JavaScript-ish object text: single quotes, unquoted keys,
 * trailing commas. Throws when neither parses.
 */
export function parseJsonLeniently(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const repaired = text
      .replace(/'/g, '"')
      .replace(/(['"])?([a-zA-Z0-9_]+)(['"])?:/g, '"$2":')
      .replace(/,\s*([\]}])/g, '$1')
      .replace(/,+$/, '');
    if (repaired === text) throw error;
    return JSON.parse(repaired);
  }
}
