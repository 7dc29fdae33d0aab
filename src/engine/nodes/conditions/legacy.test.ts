import { describe, expect, it } from 'vitest';
import { compareLegacy, legacyDateTime } from './legacy.ts';

describe('legacy comparisons (IF v1, Switch v1/v2)', () => {
  it.each([
    ['equal', 1, 1, true],
    ['equal', '1', 1, false],
    ['larger', 3, 2, true],
    ['smallerEqual', 2, 2, true],
    ['contains', 'hello', 'ell', true],
    ['startsWith', 'hello', 'he', true],
    ['notEndsWith', 'hello', 'lo', false],
    ['isEmpty', {}, undefined, true],
    ['isNotEmpty', [1], undefined, true],
    ['isEmpty', '', undefined, true],
    ['regex', 'Hello', '/hello/i', true],
    ['notRegex', 'Hello', 'hello', true],
  ])('%s(%j, %j) is %s', (operation, value1, value2, expected) => {
    expect(compareLegacy(operation, value1, value2)).toBe(expected);
  });

  it('rejects an unknown operation and an invalid date', () => {
    expect(() => compareLegacy('nearly', 1, 2)).toThrow('The operation "nearly" is not known');
    expect(legacyDateTime('2024-01-01T00:00:00Z')).toBe(Date.UTC(2024, 0, 1));
    expect(() => legacyDateTime('soon')).toThrow('The value "soon" is not a valid DateTime.');
  });
});
