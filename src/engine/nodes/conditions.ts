import { DateTime } from 'luxon';
import { type NodeContext, NodeOperationError } from '../node-types.ts';

/**
 * n8n's "filter" parameter, the condition builder of IF v2+, Filter v2+ and Switch v3 rules:
 * `{ options: { caseSensitive, typeValidation, version }, conditions: [{ leftValue, rightValue, operator }], combinator }`.
 * Values arrive with expressions resolved; each operand is converted to the operator's type (strictly, or
 * loosely when "Convert types where required" is on) and compared the way n8n-workflow's filter-parameter does,
 * including its error messages.
 */

export type FilterOperatorType = 'string' | 'number' | 'boolean' | 'dateTime' | 'array' | 'object' | 'any';

export interface FilterOperator {
  type: FilterOperatorType;
  operation: string;
  singleValue?: boolean;
  rightType?: FilterOperatorType;
}

export interface FilterCondition {
  id?: string;
  leftValue?: unknown;
  rightValue?: unknown;
  operator?: FilterOperator;
}

export interface FilterOptions {
  caseSensitive?: boolean;
  leftValue?: string;
  typeValidation?: 'strict' | 'loose';
  /** The filter format's own version (not the node's): 2 parses loose booleans properly, 3 treats '' and [] as no number. */
  version?: number;
}

export interface FilterValue {
  options?: FilterOptions;
  conditions?: FilterCondition[];
  combinator?: 'and' | 'or';
}

/** n8n's description for a failed condition when strict type validation is on. */
export const ENABLE_LOOSE_TYPE_VALIDATION =
  "Try changing the type of comparison. Alternatively you can enable 'Convert types where required'.";

const SINGLE_VALUE_OPERATIONS = new Set(['exists', 'notExists', 'empty', 'notEmpty', 'true', 'false']);
const DEFAULT_OPERATOR: FilterOperator = { type: 'string', operation: 'equals' };

type Conversion = { valid: true; value: unknown } | { valid: false };
const invalid: Conversion = { valid: false };
const converted = (value: unknown): Conversion => ({ valid: true, value });

// ---------------------------------------------------------------------------------------------------------------
// Type conversion (n8n's validateFieldType; the Set node converts its fields with it too)
// ---------------------------------------------------------------------------------------------------------------

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

function toBoolean(value: unknown): boolean | undefined {
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

// ---------------------------------------------------------------------------------------------------------------
// Operands
// ---------------------------------------------------------------------------------------------------------------

function withArticle(noun: string): string {
  return `${'aeiou'.includes(noun.charAt(0)) ? 'an' : 'a'} ${noun}`;
}

function convertOperand(value: unknown, type: FilterOperatorType, strict: boolean, version: number): Conversion {
  if (type === 'any' || value === null || value === undefined) return converted(value);
  if (type === 'boolean' && !strict) {
    if (version >= 2) {
      const boolean = toBoolean(value);
      if (boolean !== undefined) return converted(boolean);
    }
    return converted(Boolean(value));
  }
  if (type === 'number') {
    if (typeof value === 'number' && Number.isNaN(value)) return converted(value);
    const blank = (typeof value === 'string' && value.trim() === '') || (Array.isArray(value) && value.length === 0);
    // Number('') and Number([]) are 0, which surprises users: format 3 treats them as "no value"
    if (blank && version >= 3) return converted(null);
  }
  return convertToType(value, type, strict);
}

/** Fills what API-written conditions often leave out (n8n's editor always stores these). */
function completeOperator(operator: FilterOperator | undefined): FilterOperator {
  const complete = { ...DEFAULT_OPERATOR, ...operator };
  if (complete.singleValue === undefined && SINGLE_VALUE_OPERATIONS.has(complete.operation)) complete.singleValue = true;
  if (complete.rightType === undefined && complete.type === 'array') {
    if (complete.operation.startsWith('length')) complete.rightType = 'number';
    if (complete.operation === 'contains' || complete.operation === 'notContains') complete.rightType = 'any';
  }
  return complete;
}

function typeErrorDescription(strict: boolean, expected: string, position: 'first' | 'second'): string {
  const converter = { string: '.toString()', number: '.toNumber()', boolean: '.toBoolean()' }[expected];
  if (strict && converter) {
    return [
      '<p>Try either:</p>',
      '<ol>',
      "  <li>Enabling 'Convert types where required'</li>",
      `  <li>Converting the ${position} field to ${withArticle(expected)} by adding <code>${converter}</code></li>`,
      '</ol>',
    ].join('\n');
  }
  return strict ? ENABLE_LOOSE_TYPE_VALIDATION : 'Try changing the type of the comparison.';
}

function typeError(strict: boolean, expected: string, raw: unknown, position: 'first' | 'second', where: string) {
  const actual = typeof raw;
  const message = strict
    ? `Wrong type: '${String(raw)}' is ${withArticle(actual)} but was expecting ${withArticle(expected)} ${where}`
    : `Conversion error: the ${actual} '${String(raw)}' can't be converted to ${withArticle(expected)} ${where}`;
  return new NodeOperationError(message, { description: typeErrorDescription(strict, expected, position) });
}

function parseOperands(condition: FilterCondition, operator: FilterOperator, options: FilterOptions, where: string) {
  const strict = options.typeValidation !== 'loose';
  const version = options.version ?? 1;
  const rightType = operator.rightType ?? operator.type;
  const left = convertOperand(condition.leftValue, operator.type, strict, version);
  const right = convertOperand(condition.rightValue, rightType, strict, version);
  const rightAcceptable = right.valid || operator.singleValue === true;

  if (!left.valid && !rightAcceptable && typeof condition.leftValue === typeof condition.rightValue) {
    throw new NodeOperationError(
      `Comparison type expects ${withArticle(operator.type)} but both fields are ${withArticle(typeof condition.leftValue)}`,
      { description: strict ? ENABLE_LOOSE_TYPE_VALIDATION : 'Try changing the type of the comparison.' },
    );
  }
  if (!left.valid) throw typeError(strict, operator.type, condition.leftValue, 'first', where);
  if (!rightAcceptable) throw typeError(strict, rightType, condition.rightValue, 'second', where);
  return { left: left.value, right: right.valid ? right.value : undefined };
}

// ---------------------------------------------------------------------------------------------------------------
// Comparison
// ---------------------------------------------------------------------------------------------------------------

/** `/pattern/flags` or a bare pattern (no flags). */
export function parseRegex(pattern: string): RegExp {
  const literal = /^\/(.*?)\/([gimusy]*)$/.exec(pattern);
  if (!literal) return new RegExp(pattern);
  return new RegExp(literal[1] ?? '', literal[2] ?? '');
}

function compareStrings(operation: string, left: string, right: string): boolean | undefined {
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

function compareNumbers(operation: string, left: number, right: number, exists: boolean): boolean | undefined {
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

function compareDates(operation: string, left: DateTime | undefined, right: DateTime | undefined, exists: boolean): boolean | undefined {
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

function compareBooleans(operation: string, left: unknown, right: unknown, exists: boolean): boolean | undefined {
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

function compareArrays(operation: string, left: unknown[], right: unknown, ignoreCase: boolean): boolean | undefined {
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

function compareObjects(operation: string, left: unknown): boolean | undefined {
  const empty = !left || Object.keys(left).length === 0;
  if (operation === 'empty') return empty;
  if (operation === 'notEmpty') return !empty;
  return undefined;
}

function lowerCased(value: unknown): unknown {
  return typeof value === 'string' ? value.toLocaleLowerCase() : value;
}

/** One condition; `index`/`itemIndex` only label error messages (`[condition 0, item 2]`). */
export function evaluateCondition(condition: FilterCondition, options: FilterOptions, index = 0, itemIndex = 0): boolean {
  const operator = completeOperator(condition.operator);
  const { operation } = operator;
  const ignoreCase = options.caseSensitive === false;
  const { left, right } = parseOperands(condition, operator, options, `[condition ${index}, item ${itemIndex}]`);

  const exists = left !== undefined && left !== null && !(typeof left === 'number' && Number.isNaN(left));
  if (operation === 'exists') return exists;
  if (operation === 'notExists') return !exists;

  let result: boolean | undefined;
  switch (operator.type) {
    case 'string': {
      // With ignoreCase n8n lower-cases the value for every operation, the regex pattern included in none: a
      // pattern is used as written, with its own flags only, so `^[A-Z]` never matches under ignoreCase. A bug
      // on n8n's side, kept here for compatibility (workflows built on n8n rely on what it gives).
      const isRegex = operation === 'regex' || operation === 'notRegex';
      const l = (ignoreCase ? lowerCased(left) : left) ?? '';
      const r = (ignoreCase && !isRegex ? lowerCased(right) : right) ?? '';
      result = compareStrings(operation, l as string, r as string);
      break;
    }
    case 'number':
      result = compareNumbers(operation, left as number, right as number, exists);
      break;
    case 'dateTime':
      result = compareDates(operation, left as DateTime | undefined, right as DateTime | undefined, exists);
      break;
    case 'boolean':
      result = compareBooleans(operation, left, right, exists);
      break;
    case 'array':
      result = compareArrays(operation, (left ?? []) as unknown[], right, ignoreCase);
      break;
    case 'object':
      result = compareObjects(operation, left);
      break;
  }
  // n8n treats an operator it does not know as "no match" rather than an error
  return result ?? false;
}

/** The whole filter: every condition (`and`) or any (`or`); no conditions with `and` passes. */
export function evaluateFilter(filter: FilterValue, options: FilterOptions, itemIndex = 0): boolean {
  const conditions = Array.isArray(filter.conditions) ? filter.conditions : [];
  const passes = (condition: FilterCondition, index: number) => evaluateCondition(condition, options, index, itemIndex);
  const combinator = filter.combinator ?? 'and';
  if (combinator === 'and') return conditions.every(passes);
  if (combinator === 'or') return conditions.some(passes);
  return false;
}

/**
 * Evaluates the filter parameter at `path` of the running node for one item. The node's own options win over
 * what the filter stored: `options.ignoreCase` sets case sensitivity, `looseTypeValidation` (or, before it
 * moved, `options.looseTypeValidation`) turns on loose types. The format version is the stored one, else what
 * n8n's editor would store for this node version (`filterVersion`).
 */
export function evaluateNodeFilter(
  ctx: NodeContext,
  path: string,
  itemIndex: number,
  filterVersion: (nodeVersion: number) => number,
): boolean {
  const raw = ctx.getParam<unknown>(path, itemIndex, {});
  const filter: FilterValue = raw !== null && typeof raw === 'object' ? (raw as FilterValue) : {};
  const stored = filter.options ?? {};
  const ignoreCase = ctx.getParam<unknown>('options.ignoreCase', itemIndex);
  const loose =
    ctx.getParam<unknown>('looseTypeValidation', itemIndex) === true ||
    ctx.getParam<unknown>('options.looseTypeValidation', itemIndex) === true;
  const options: FilterOptions = {
    caseSensitive: typeof ignoreCase === 'boolean' ? !ignoreCase : stored.caseSensitive !== false,
    typeValidation: loose || stored.typeValidation === 'loose' ? 'loose' : 'strict',
    version: typeof stored.version === 'number' ? stored.version : filterVersion(ctx.node.typeVersion),
  };
  try {
    return evaluateFilter(filter, options, itemIndex);
  } catch (error) {
    if (error instanceof NodeOperationError) {
      error.itemIndex = itemIndex;
      if (!error.description && options.typeValidation === 'strict') error.description = ENABLE_LOOSE_TYPE_VALIDATION;
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Legacy comparisons (IF v1, Switch v1/v2): plain JavaScript comparisons, no type conversion
// ---------------------------------------------------------------------------------------------------------------

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
