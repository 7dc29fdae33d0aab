import { DateTime } from 'luxon';
import { NodeOperationError } from '../../node-types.ts';
import { parseRegex } from './comparison.ts';

/** Legacy comparisons (IF v1, Switch v1/v2): plain JavaScript comparisons, no type conversion. */

function isEmptyLegacy(value: unknown): boolean {
  if (value === undefined || value === null || value === '' || (typeof value === 'number' && Number.isNaN(value))) return true;
  if (value instanceof Date) return Number.isNaN(value.getTime());
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** IF v1 / Switch v1–v2 operations; an unknown operation is a NodeOperationError. */
export function compareLegacy(operation: string, value1: unknown, value2: unknown): boolean {
  const [n1, n2] = [(value1 || 0) as number, (value2 || 0) as number];
  const [s1, s2] = [String(value1 || ''), String(value2 || '')];
  switch (operation) {
    case 'after':
    case 'larger':
      return n1 > n2;
    case 'before':
    case 'smaller':
      return n1 < n2;
    case 'largerEqual':
      return n1 >= n2;
    case 'smallerEqual':
      return n1 <= n2;
    case 'equal':
      return value1 === value2;
    case 'notEqual':
      return value1 !== value2;
    case 'contains':
      return s1.includes(s2);
    case 'notContains':
      return !s1.includes(s2);
    case 'startsWith':
      return String(value1).startsWith(String(value2));
    case 'notStartsWith':
      return !String(value1).startsWith(String(value2));
    case 'endsWith':
      return String(value1).endsWith(String(value2));
    case 'notEndsWith':
      return !String(value1).endsWith(String(value2));
    case 'isEmpty':
      return isEmptyLegacy(value1);
    case 'isNotEmpty':
      return !isEmptyLegacy(value1);
    case 'regex':
      return parseRegex(s2).test(s1);
    case 'notRegex':
      return !parseRegex(s2).test(s1);
  }
  throw new NodeOperationError(`The operation "${operation}" is not known`);
}

/** Legacy dateTime operands as epoch milliseconds (n8n v1: `new Date(string)`, numbers as they are). */
export function legacyDateTime(value: unknown): number {
  let millis: number | undefined;
  if (typeof value === 'string') millis = new Date(value).getTime();
  else if (typeof value === 'number') millis = value;
  else if (value instanceof Date) millis = value.getTime();
  else if (DateTime.isDateTime(value)) millis = value.toMillis();
  if (millis === undefined || Number.isNaN(millis)) throw new NodeOperationError(`The value "${String(value)}" is not a valid DateTime.`);
  return millis;
}
