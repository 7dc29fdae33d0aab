import type { DateTime } from 'luxon';

/** The filter's comparisons per operator type, on operands already converted; undefined for an unknown operation. */

/** `/pattern/flags` or a bare pattern (no flags). */
export function parseRegex(pattern: string): RegExp {
  const literal = /^\/(.*?)\/([gimusy]*)$/.exec(pattern);
  if (!literal) return new RegExp(pattern);
  return new RegExp(literal[1] ?? '', literal[2] ?? '');
}

export function compareStrings(operation: string, left: string, right: string): boolean | undefined {
  switch (operation) {
    case 'empty':
      return left.length === 0;
    case 'notEmpty':
      return left.length !== 0;
    case 'equals':
      return left === right;
    case 'notEquals':
      return left !== right;
    case 'contains':
      return left.includes(right);
    case 'notContains':
      return !left.includes(right);
    case 'startsWith':
      return left.startsWith(right);
    case 'notStartsWith':
      return !left.startsWith(right);
    case 'endsWith':
      return left.endsWith(right);
    case 'notEndsWith':
      return !left.endsWith(right);
    case 'regex':
      return parseRegex(right).test(left);
    case 'notRegex':
      return !parseRegex(right).test(left);
  }
  return undefined;
}

export function compareNumbers(operation: string, left: number, right: number, exists: boolean): boolean | undefined {
  switch (operation) {
    case 'empty':
      return !exists;
    case 'notEmpty':
      return exists;
    case 'equals':
      return left === right;
    case 'notEquals':
      return left !== right;
    case 'gt':
      return left > right;
    case 'lt':
      return left < right;
    case 'gte':
      return left >= right;
    case 'lte':
      return left <= right;
  }
  return undefined;
}

export function compareDates(
  operation: string,
  left: DateTime | undefined,
  right: DateTime | undefined,
  exists: boolean,
): boolean | undefined {
  if (operation === 'empty') return !exists;
  if (operation === 'notEmpty') return exists;
  if (!left || !right) return false;
  const [l, r] = [left.toMillis(), right.toMillis()];
  switch (operation) {
    case 'equals':
      return l === r;
    case 'notEquals':
      return l !== r;
    case 'after':
      return l > r;
    case 'before':
      return l < r;
    case 'afterOrEquals':
      return l >= r;
    case 'beforeOrEquals':
      return l <= r;
  }
  return undefined;
}

export function compareBooleans(operation: string, left: unknown, right: unknown, exists: boolean): boolean | undefined {
  switch (operation) {
    case 'empty':
      return !exists;
    case 'notEmpty':
      return exists;
    case 'true':
      return left === true;
    case 'false':
      return !left;
    case 'equals':
      return left === right;
    case 'notEquals':
      return left !== right;
  }
  return undefined;
}

function arrayContains(array: unknown[], value: unknown, ignoreCase: boolean): boolean {
  if (ignoreCase && typeof value === 'string') {
    const wanted = value.toLocaleLowerCase();
    return array.some((entry) => typeof entry === 'string' && entry.toLocaleLowerCase() === wanted);
  }
  return array.includes(value);
}

export function compareArrays(operation: string, left: unknown[], right: unknown, ignoreCase: boolean): boolean | undefined {
  const length = right as number;
  switch (operation) {
    case 'contains':
      return arrayContains(left, right, ignoreCase);
    case 'notContains':
      return !arrayContains(left, right, ignoreCase);
    case 'lengthEquals':
      return left.length === length;
    case 'lengthNotEquals':
      return left.length !== length;
    case 'lengthGt':
      return left.length > length;
    case 'lengthLt':
      return left.length < length;
    case 'lengthGte':
      return left.length >= length;
    case 'lengthLte':
      return left.length <= length;
    case 'empty':
      return left.length === 0;
    case 'notEmpty':
      return left.length !== 0;
  }
  return undefined;
}

export function compareObjects(operation: string, left: unknown): boolean | undefined {
  const empty = !left || Object.keys(left).length === 0;
  if (operation === 'empty') return empty;
  if (operation === 'notEmpty') return !empty;
  return undefined;
}

export function lowerCased(value: unknown): unknown {
  return typeof value === 'string' ? value.toLocaleLowerCase() : value;
}
