import { describe, expect, it } from 'vitest';
import { NodeOperationError } from '../node-types.ts';
import {
  ENABLE_LOOSE_TYPE_VALIDATION,
  evaluateCondition,
  evaluateFilter,
  evaluateNodeFilter,
  type FilterCondition,
  type FilterOperator,
  type FilterOptions,
} from './conditions.ts';
import { testContext } from './test-support.ts';

const strict: FilterOptions = { caseSensitive: true, typeValidation: 'strict', version: 2 };
const loose: FilterOptions = { caseSensitive: true, typeValidation: 'loose', version: 2 };

function condition(
  type: FilterOperator['type'],
  operation: string,
  leftValue: unknown,
  rightValue?: unknown,
  extra: Partial<FilterOperator> = {},
): FilterCondition {
  return { id: 'c', leftValue, rightValue, operator: { type, operation, ...extra } };
}

function check(type: FilterOperator['type'], operation: string, left: unknown, right?: unknown, options = strict): boolean {
  return evaluateCondition(condition(type, operation, left, right), options);
}

function errorOf(run: () => unknown): NodeOperationError {
  try {
    run();
  } catch (error) {
    if (error instanceof NodeOperationError) return error;
    throw error;
  }
  throw new Error('expected a NodeOperationError');
}

describe('string operations', () => {
  it.each([
    ['equals', 'abc', 'abc', true],
    ['equals', 'abc', 'abd', false],
    ['notEquals', 'abc', 'abd', true],
    ['contains', 'hello world', 'o w', true],
    ['notContains', 'hello world', 'xyz', true],
    ['startsWith', 'hello', 'he', true],
    ['notStartsWith', 'hello', 'he', false],
    ['endsWith', 'hello', 'llo', true],
    ['notEndsWith', 'hello', 'llo', false],
    ['regex', 'order-123', '^order-\\d+$', true],
    ['regex', 'ORDER', '/order/i', true],
    ['regex', 'ORDER', '/order/', false],
    ['notRegex', 'abc', '\\d', true],
    ['empty', '', undefined, true],
    ['notEmpty', 'x', undefined, true],
    ['exists', 'x', undefined, true],
    ['notExists', undefined, undefined, true],
  ])('%s(%j, %j) is %s', (operation, left, right, expected) => {
    expect(check('string', operation, left, right)).toBe(expected);
  });

  it('treats a null left value as the empty string', () => {
    expect(check('string', 'empty', null)).toBe(true);
    expect(check('string', 'exists', null)).toBe(false);
  });

  it('ignores case when caseSensitive is false', () => {
    const insensitive = { ...strict, caseSensitive: false };
    expect(check('string', 'equals', 'ABC', 'abc', insensitive)).toBe(true);
    expect(check('string', 'equals', 'ABC', 'abc', strict)).toBe(false);
    expect(check('string', 'contains', 'Hello', 'HELL', insensitive)).toBe(true);
  });

  it("regex under ignoreCase, as n8n 2.39 does it: the value is lower-cased, the pattern is not and gets no 'i'", () => {
    const insensitive = { ...strict, caseSensitive: false };
    expect(check('string', 'regex', 'ABC', '^abc$', insensitive)).toBe(true);
    expect(check('string', 'regex', 'Ann', '^[A-Z]', strict)).toBe(true);
    expect(check('string', 'regex', 'Ann', '^[A-Z]', insensitive)).toBe(false);
    expect(check('string', 'notRegex', 'Ann', '^[A-Z]', insensitive)).toBe(true);
    expect(check('string', 'regex', 'ABC', '/^[A-Z]+$/i', insensitive)).toBe(true);
    expect(check('string', 'regex', 'ABC', '/^[A-Z]+$/', insensitive)).toBe(false);
  });
});

describe('number, boolean, dateTime, array and object operations', () => {
  it.each([
    ['equals', 5, 5, true],
    ['notEquals', 5, 6, true],
    ['gt', 6, 5, true],
    ['gt', 5, 5, false],
    ['lt', 4, 5, true],
    ['gte', 5, 5, true],
    ['lte', 6, 5, false],
    ['empty', null, undefined, true],
    ['notEmpty', 0, undefined, true],
  ])('number %s(%j, %j) is %s', (operation, left, right, expected) => {
    expect(check('number', operation, left, right)).toBe(expected);
  });

  it('booleans: true/false/equals', () => {
    expect(check('boolean', 'true', true)).toBe(true);
    expect(check('boolean', 'true', false)).toBe(false);
    expect(check('boolean', 'false', false)).toBe(true);
    expect(check('boolean', 'equals', true, true)).toBe(true);
    expect(check('boolean', 'notEquals', true, false)).toBe(true);
  });

  it.each([
    ['after', '2024-01-02T00:00:00Z', '2024-01-01T00:00:00Z', true],
    ['before', '2024-01-02T00:00:00Z', '2024-01-01T00:00:00Z', false],
    ['afterOrEquals', '2024-01-01T00:00:00Z', '2024-01-01T01:00:00+01:00', true],
    ['beforeOrEquals', '2024-01-01', '2024-01-01', true],
    ['equals', '2024-01-01T00:00:00Z', 'Mon, 01 Jan 2024 00:00:00 GMT', true],
    ['notEquals', '2024-01-01T00:00:00Z', '2024-01-01T00:00:01Z', true],
  ])('dateTime %s(%j, %j) is %s', (operation, left, right, expected) => {
    expect(check('dateTime', operation, left, right)).toBe(expected);
  });

  it('dateTime compares Date objects and is false when a side is missing', () => {
    expect(check('dateTime', 'after', new Date('2024-01-02'), '2024-01-01')).toBe(true);
    expect(check('dateTime', 'after', undefined, '2024-01-01')).toBe(false);
    expect(check('dateTime', 'empty', undefined)).toBe(true);
  });

  it.each([
    ['contains', [1, 'a'], 'a', true],
    ['contains', [1, 2], '1', false],
    ['notContains', [1, 2], 3, true],
    ['lengthEquals', [1, 2], 2, true],
    ['lengthNotEquals', [1, 2], 2, false],
    ['lengthGt', [1, 2], 1, true],
    ['lengthLt', [1, 2], 2, false],
    ['lengthGte', [1, 2], 2, true],
    ['lengthLte', [1, 2, 3], 2, false],
    ['empty', [], undefined, true],
    ['notEmpty', [1], undefined, true],
  ])('array %s(%j, %j) is %s', (operation, left, right, expected) => {
    expect(check('array', operation, left, right)).toBe(expected);
  });

  it('array contains ignores case of strings when asked', () => {
    expect(check('array', 'contains', ['Apple'], 'apple', { ...strict, caseSensitive: false })).toBe(true);
    expect(check('array', 'contains', ['Apple'], 'apple')).toBe(false);
  });

  it('objects: empty/notEmpty', () => {
    expect(check('object', 'empty', {})).toBe(true);
    expect(check('object', 'notEmpty', { a: 1 })).toBe(true);
    expect(check('object', 'empty', null)).toBe(true);
  });

  it('an unknown operation is no match', () => {
    expect(check('string', 'sortsBefore', 'a', 'b')).toBe(false);
  });
});

describe('type validation', () => {
  it('strict: a wrong type is an error with the hint to convert types', () => {
    const error = errorOf(() => evaluateCondition(condition('number', 'gt', '5', 3), strict, 0, 2));
    expect(error.message).toBe("Wrong type: '5' is a string but was expecting a number [condition 0, item 2]");
    expect(error.description).toBe(
      [
        '<p>Try either:</p>',
        '<ol>',
        "  <li>Enabling 'Convert types where required'</li>",
        '  <li>Converting the first field to a number by adding <code>.toNumber()</code></li>',
        '</ol>',
      ].join('\n'),
    );
  });

  it('strict: the right side is reported as the second field', () => {
    const error = errorOf(() => evaluateCondition(condition('string', 'equals', 'a', 7), strict, 3, 0));
    expect(error.message).toBe("Wrong type: '7' is a number but was expecting a string [condition 3, item 0]");
    expect(error.description).toContain('Converting the second field to a string by adding <code>.toString()</code>');
  });

  it('strict: types without a conversion function get the generic hint', () => {
    const error = errorOf(() => check('array', 'notEmpty', 'abc'));
    expect(error.message).toBe("Wrong type: 'abc' is a string but was expecting an array [condition 0, item 0]");
    expect(error.description).toBe(ENABLE_LOOSE_TYPE_VALIDATION);
  });

  it('strict: both sides wrong and of one type', () => {
    const error = errorOf(() => check('number', 'equals', 'a', 'b'));
    expect(error.message).toBe('Comparison type expects a number but both fields are a string');
    expect(error.description).toBe(ENABLE_LOOSE_TYPE_VALIDATION);
  });

  it('strict: exists still validates the type of the left value', () => {
    expect(() => check('string', 'exists', 5)).toThrow("Wrong type: '5' is a number but was expecting a string [condition 0, item 0]");
  });

  it('single-value operations ignore the right value even when the operator does not say singleValue', () => {
    expect(check('boolean', 'true', true, '')).toBe(true);
  });

  it('loose: converts strings to numbers and booleans', () => {
    expect(check('number', 'gt', '10', '9', loose)).toBe(true);
    expect(check('string', 'equals', 5, '5', loose)).toBe(true);
    expect(check('boolean', 'false', 'false', undefined, loose)).toBe(true);
    expect(check('array', 'lengthEquals', '[1,2]', '2', loose)).toBe(true);
  });

  it('loose: filter format 1 casts booleans with Boolean(), so the string "false" is true', () => {
    expect(check('boolean', 'true', 'false', undefined, { ...loose, version: 1 })).toBe(true);
  });

  it('loose: filter format 3 reads an empty string as no number', () => {
    expect(check('number', 'empty', '', undefined, { ...loose, version: 3 })).toBe(true);
    expect(check('number', 'empty', '', undefined, { ...loose, version: 2 })).toBe(false);
  });

  it('loose: a value that cannot be converted is a conversion error', () => {
    const error = errorOf(() => check('number', 'gt', 'abc', 1, loose));
    expect(error.message).toBe("Conversion error: the string 'abc' can't be converted to a number [condition 0, item 0]");
    expect(error.description).toBe('Try changing the type of the comparison.');
  });
});

describe('evaluateFilter', () => {
  const yes = condition('number', 'equals', 1, 1);
  const no = condition('number', 'equals', 1, 2);

  it('combines with and / or', () => {
    expect(evaluateFilter({ combinator: 'and', conditions: [yes, no] }, strict)).toBe(false);
    expect(evaluateFilter({ combinator: 'and', conditions: [yes, yes] }, strict)).toBe(true);
    expect(evaluateFilter({ combinator: 'or', conditions: [no, yes] }, strict)).toBe(true);
    expect(evaluateFilter({ combinator: 'or', conditions: [no, no] }, strict)).toBe(false);
  });

  it('labels errors with the condition and item index', () => {
    const bad = condition('number', 'equals', 'x', 1);
    expect(() => evaluateFilter({ combinator: 'and', conditions: [yes, bad] }, strict, 4)).toThrow(
      "Wrong type: 'x' is a string but was expecting a number [condition 1, item 4]",
    );
  });

  it('no conditions pass with and, fail with or', () => {
    expect(evaluateFilter({ combinator: 'and', conditions: [] }, strict)).toBe(true);
    expect(evaluateFilter({ combinator: 'or', conditions: [] }, strict)).toBe(false);
  });
});

describe('evaluateNodeFilter', () => {
  const filter = (options: FilterOptions, ...conditions: FilterCondition[]) => ({ options, conditions, combinator: 'and' });
  const version = () => 2;

  it('options.ignoreCase overrides the stored caseSensitive', () => {
    const conditions = filter({ caseSensitive: true, typeValidation: 'strict' }, condition('string', 'equals', 'ABC', 'abc'));
    expect(evaluateNodeFilter(testContext({ parameters: { conditions } }), 'conditions', 0, version)).toBe(false);
    expect(evaluateNodeFilter(testContext({ parameters: { conditions, options: { ignoreCase: true } } }), 'conditions', 0, version)).toBe(
      true,
    );
  });

  it('looseTypeValidation (top-level or in options) switches to loose', () => {
    const conditions = filter({ typeValidation: 'strict' }, condition('number', 'gt', '5', 3));
    expect(() => evaluateNodeFilter(testContext({ parameters: { conditions } }), 'conditions', 0, version)).toThrow(/^Wrong type/);
    expect(evaluateNodeFilter(testContext({ parameters: { conditions, looseTypeValidation: true } }), 'conditions', 0, version)).toBe(true);
    expect(
      evaluateNodeFilter(testContext({ parameters: { conditions, options: { looseTypeValidation: true } } }), 'conditions', 0, version),
    ).toBe(true);
  });

  it('uses the stored format version, else the one for the node version', () => {
    const booleanFalse = condition('boolean', 'true', 'false');
    const stored = filter({ typeValidation: 'loose', version: 1 }, booleanFalse);
    const unstored = filter({ typeValidation: 'loose' }, booleanFalse);
    expect(evaluateNodeFilter(testContext({ parameters: { conditions: stored } }), 'conditions', 0, version)).toBe(true);
    expect(evaluateNodeFilter(testContext({ parameters: { conditions: unstored } }), 'conditions', 0, version)).toBe(false);
  });

  it('puts the item index on the error', () => {
    const conditions = filter({}, condition('number', 'gt', 'a', 1));
    const ctx = testContext({ parameters: { conditions }, items: [{ json: {} }, { json: {} }] });
    const error = errorOf(() => evaluateNodeFilter(ctx, 'conditions', 1, version));
    expect(error.itemIndex).toBe(1);
    expect(error.message).toBe("Wrong type: 'a' is a string but was expecting a number [condition 0, item 1]");
  });
});
