import type { DateTime } from 'luxon';
import { type NodeContext, NodeOperationError } from '../node-types.ts';
import {
  compareArrays,
  compareBooleans,
  compareDates,
  compareNumbers,
  compareObjects,
  compareStrings,
  lowerCased,
} from './conditions/comparison.ts';
import { type Conversion, converted, convertToType, toBoolean } from './conditions/type-conversion.ts';

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
// Evaluation
// ---------------------------------------------------------------------------------------------------------------

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
