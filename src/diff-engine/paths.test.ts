import { describe, expect, it } from 'vitest';
import { MAX_PATH_LENGTH, MAX_PATH_SEGMENTS } from './limits.ts';
import { applyOne, nodeNamed, onlyError, testDoc } from './ops/test-support.ts';
import { parsePath } from './paths.ts';

// updateNode's paths (paths.ts) and the order of one operation's changes (changes.ts), through the batch.
const update = (changes: Record<string, unknown>) => ({ type: 'updateNode', nodeName: 'Set', changes });

function withParameters(parameters: Record<string, unknown>) {
  const doc = testDoc();
  doc.nodes[2]!.parameters = parameters;
  return doc;
}

const parametersAfter = (parameters: Record<string, unknown>, changes: Record<string, unknown>) => {
  const result = applyOne(withParameters(parameters), update(changes));
  expect(result.errors).toEqual([]);
  return nodeNamed(result.doc, 'Set').parameters;
};

const errorOf = (parameters: Record<string, unknown>, changes: Record<string, unknown>) =>
  onlyError(applyOne(withParameters(parameters), update(changes)));

describe('updateNode paths: an index never creates an array', () => {
  it('indexing into a missing value fails, saying to create the array first', () => {
    expect(errorOf({}, { 'parameters.created[0].value': 'x' })).toEqual({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message:
        'Invalid path "parameters.created[0].value": "created" is not an array (it is missing); create the array first, e.g. {"parameters.created": [...]}',
    });
    expect(errorOf({}, { 'parameters.created[0]': 'x' }).message).toBe(
      'Invalid path "parameters.created[0]": "created" is not an array (it is missing); create the array first, e.g. {"parameters.created": [...]}',
    );
    expect(errorOf({}, { 'parameters.created.0': 'x' }).message).toMatch(/^Invalid path "parameters.created.0": "created" is not an array/);
  });

  it('indexing into a string, a number, null or an object fails, naming what it is', () => {
    const cases: [unknown, string][] = [
      ['abc', 'it is a string); create the array first, e.g. {"parameters.created": [...]}'],
      [5, 'it is a number); create the array first'],
      [null, 'it is null); create the array first'],
      [
        { a: 1 },
        'it is an object); numeric segments address array elements only; set the object whole instead, e.g. {"parameters.created": {...}}',
      ],
    ];
    for (const [created, why] of cases) {
      for (const path of ['parameters.created[0].value', 'parameters.created[0]', 'parameters.created.0']) {
        const { message } = errorOf({ created }, { [path]: 'x' });
        expect(message).toContain(`Invalid path "${path}": "created" is not an array (${why}`);
      }
    }
  });

  it('names the innermost value, an element of a nested array included', () => {
    expect(errorOf({ rules: { values: [{ list: 'x' }] } }, { 'parameters.rules.values[0].list[0]': 1 }).message).toBe(
      'Invalid path "parameters.rules.values[0].list[0]": "list" is not an array (it is a string); create the array first, e.g. {"parameters.rules.values[0].list": [...]}',
    );
    expect(errorOf({ grid: [{}] }, { 'parameters.grid[0][0]': 1 }).message).toBe(
      'Invalid path "parameters.grid[0][0]": "grid[0]" is not an array (it is an object); numeric segments address array elements only; set the object whole instead, e.g. {"parameters.grid[0]": {...}}',
    );
    expect(errorOf({}, { '[0]': 1 }).message).toBe(
      'Invalid path "[0]": a node is not an array; start the path with a field such as "parameters"',
    );
  });

  it('still creates intermediate objects for keys, and the array itself when it is set whole', () => {
    expect(parametersAfter({}, { 'parameters.options.timeout': 5 })).toEqual({ options: { timeout: 5 } });
    expect(parametersAfter({}, { 'parameters.created': [{ value: 'x' }] })).toEqual({ created: [{ value: 'x' }] });
    // Then, in a later operation, its elements by index.
    expect(parametersAfter({ created: [{ value: 'x' }] }, { 'parameters.created[0].value': 'y' })).toEqual({ created: [{ value: 'y' }] });
  });

  it('deleting below a missing or scalar parent is a no-op; deleting an index of an object is an error', () => {
    expect(parametersAfter({ keep: 1 }, { 'parameters.created[0].value': null, 'parameters.keep.x': null })).toEqual({ keep: 1 });
    expect(errorOf({ created: { a: 1 } }, { 'parameters.created[0]': null }).message).toMatch(
      /^Invalid path "parameters.created\[0\]": "created" is not an array \(it is an object\)/,
    );
  });

  it('a bare numeric segment is an index too, refused past the end (no allocation)', () => {
    expect(errorOf({ items: ['a', 'b'] }, { 'parameters.items.5': 'x' }).message).toBe(
      'Invalid path "parameters.items.5": index 5 is out of range for an array of 2 item(s)',
    );
    const huge = errorOf({ items: ['a'] }, { 'parameters.items[1000000000]': 'x' });
    expect(huge.message).toBe('Invalid path "parameters.items[1000000000]": index 1000000000 is out of range for an array of 1 item(s)');
    expect(errorOf({ items: ['a'] }, { 'parameters.items.1000000000.name': 'x' }).message).toBe(
      'Invalid path "parameters.items.1000000000.name": index 1000000000 is out of range for an array of 1 item(s)',
    );
    expect(errorOf({ items: ['a'] }, { [`parameters.items[${'9'.repeat(30)}]`]: 'x' }).message).toMatch(/an array index is too large$/);
  });
});

describe('updateNode paths: bounds', () => {
  it(`refuses a path longer than ${MAX_PATH_LENGTH} characters, quoting only its start`, () => {
    const path = `parameters.${'a'.repeat(MAX_PATH_LENGTH)}`;
    expect(errorOf({}, { [path]: 1 })).toEqual({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message: `Invalid path "${path.slice(0, 40)}…": it has ${path.length} characters; a path may have at most ${MAX_PATH_LENGTH}`,
    });
  });

  it(`refuses a path of more than ${MAX_PATH_SEGMENTS} segments, and accepts one of exactly that many`, () => {
    const deep = (n: number) => ['parameters', ...Array.from({ length: n - 1 }, (_, i) => `k${i}`)].join('.');
    expect(errorOf({}, { [deep(MAX_PATH_SEGMENTS + 1)]: 1 }).message).toBe(
      `Invalid path "${deep(MAX_PATH_SEGMENTS + 1)}": it has ${MAX_PATH_SEGMENTS + 1} segments; a path may have at most ${MAX_PATH_SEGMENTS}`,
    );
    expect(applyOne(testDoc(), update({ [deep(MAX_PATH_SEGMENTS)]: 1 })).ok).toBe(true);
    expect(parsePath('a[0][1].b')).toEqual(['a', 0, 1, 'b']);
  });
});

describe('updateNode: several deletions address the array as it was before the operation', () => {
  it('deleting items[0] and items[1] removes the first two elements, in any request order', () => {
    expect(parametersAfter({ items: ['a', 'b', 'c', 'd'] }, { 'parameters.items[0]': null, 'parameters.items[1]': null })).toEqual({
      items: ['c', 'd'],
    });
    expect(parametersAfter({ items: ['a', 'b', 'c', 'd'] }, { 'parameters.items[1]': null, 'parameters.items[0]': null })).toEqual({
      items: ['c', 'd'],
    });
    expect(
      parametersAfter(
        { items: ['a', 'b', 'c', 'd'] },
        { 'parameters.items[0]': null, 'parameters.items[3]': null, 'parameters.items.2': null },
      ),
    ).toEqual({ items: ['b'] });
  });

  it('the same element named twice (items[1] and items.1) is deleted once', () => {
    expect(parametersAfter({ items: ['a', 'b', 'c'] }, { 'parameters.items[1]': null, 'parameters.items.1': null })).toEqual({
      items: ['a', 'c'],
    });
  });

  it('nested arrays: an inner deletion addresses the element it named, even when an outer deletion shifts it', () => {
    const parameters = { rows: [{ cells: [1, 2] }, { cells: [3, 4, 5] }] };
    expect(parametersAfter(parameters, { 'parameters.rows[0]': null, 'parameters.rows[1].cells[0]': null })).toEqual({
      rows: [{ cells: [4, 5] }],
    });
  });

  it('every deletion is checked before any runs: an index out of range fails the operation and deletes nothing', () => {
    const input = withParameters({ items: ['a', 'b'] });
    const result = applyOne(input, update({ 'parameters.items[0]': null, 'parameters.items[2]': null }), { continueOnError: true });
    expect(result.errors).toEqual([
      {
        operation: 0,
        code: 'VALIDATION_ERROR',
        message: 'Invalid path "parameters.items[2]": index 2 is out of range for an array of 2 item(s)',
      },
    ]);
    expect(result.doc).toBe(input);
  });
});

describe('updateNode: sets run first (request order), then deletions', () => {
  it('a set and a deletion on different elements of one array both address it as it was', () => {
    expect(parametersAfter({ items: ['a', 'b', 'c'] }, { 'parameters.items[0]': null, 'parameters.items[1]': 'B' })).toEqual({
      items: ['B', 'c'],
    });
    // Appending at the old end, then deleting: the new element stays.
    expect(parametersAfter({ items: ['a', 'b'] }, { 'parameters.items[0]': null, 'parameters.items[2]': 'c' })).toEqual({
      items: ['b', 'c'],
    });
    // Object keys alike: the deletion runs after the set whatever the request order.
    expect(parametersAfter({ a: 1, b: 2 }, { 'parameters.a': null, 'parameters.b': 3 })).toEqual({ b: 3 });
  });

  it('refuses a set inside a deleted element, or a deletion inside a set value, whatever the request order', () => {
    const message = (set: string, deleted: string) =>
      `updateNode: "${set}" is set and "${deleted}" is deleted (null) in the same operation, and one lies inside the other, so one change would be lost. Split them into two operations, in the order you mean.`;
    const items = { items: [{ name: 'a' }, { name: 'b' }] };
    expect(errorOf(items, { 'parameters.items[0]': null, 'parameters.items[0].name': 'x' })).toEqual({
      operation: 0,
      code: 'VALIDATION_ERROR',
      message: message('parameters.items[0].name', 'parameters.items[0]'),
    });
    expect(errorOf(items, { 'parameters.items[0].name': 'x', 'parameters.items.0': null }).message).toBe(
      message('parameters.items[0].name', 'parameters.items.0'),
    );
    expect(errorOf(items, { 'parameters.items': [{ name: 'c' }], 'parameters.items[0]': null }).message).toBe(
      message('parameters.items', 'parameters.items[0]'),
    );
    expect(errorOf(items, { parameters: {}, 'parameters.items': null }).message).toBe(message('parameters', 'parameters.items'));
  });

  it('sets keep request order among themselves (the last of overlapping sets wins)', () => {
    expect(parametersAfter({}, { 'parameters.options': { a: 1 }, 'parameters.options.b': 2 })).toEqual({ options: { a: 1, b: 2 } });
    expect(parametersAfter({}, { 'parameters.options.b': 2, 'parameters.options': { a: 1 } })).toEqual({ options: { a: 1 } });
  });
});
