import { afterEach, describe, expect, it } from 'vitest';
import type { Item, JsonObject } from '../types.ts';
import { aggregateNode } from './aggregate.ts';
import { mergeNode } from './merge.ts';
import { setNode } from './set.ts';
import { sortNode } from './sort.ts';
import { splitOutNode } from './split-out.ts';
import { jsonOf, runNode } from './test-support.ts';

/**
 * Paths in node parameters can be expressions over webhook input, and item data can carry an own `__proto__`
 * key (JSON.parse of an HTTP response makes one). Neither may reach a prototype shared by the whole server.
 */
const flat = Array.prototype.flat;
const objectKeys = Object.getOwnPropertyNames(Object.prototype).sort();
const arrayKeys = Object.getOwnPropertyNames(Array.prototype).sort();

afterEach(() => {
  // Restore before asserting, so one failure does not break every later test of the run.
  const broken = Array.prototype.flat !== flat;
  if (broken) Object.defineProperty(Array.prototype, 'flat', { value: flat, writable: true, configurable: true });
  const extraObject = Object.getOwnPropertyNames(Object.prototype).filter((k) => !objectKeys.includes(k));
  for (const key of extraObject) delete (Object.prototype as Record<string, unknown>)[key];
  expect(broken, 'Array.prototype.flat was deleted').toBe(false);
  expect(extraObject, 'keys written into Object.prototype').toEqual([]);
  expect(Object.getOwnPropertyNames(Array.prototype).sort()).toEqual(arrayKeys);
});

const items = (...jsons: JsonObject[]): Item[] => jsons.map((json) => ({ json }));
const withOwnProto = (): JsonObject => JSON.parse('{"name":"x","__proto__":{"polluted":"yes","flat":null}}');

describe('Set', () => {
  it('cannot delete a built-in through excludeFields (the reported attack)', async () => {
    const { result } = await runNode(setNode, {
      node: { typeVersion: 3.4 },
      parameters: { includeOtherFields: true, include: 'except', excludeFields: 'arr.__proto__.flat', assignments: { assignments: [] } },
      items: items({ arr: [1, 2] }),
    });
    expect(jsonOf(result)).toEqual([{ arr: [1, 2] }]);
    expect([[1], [2]].flat()).toEqual([1, 2]);
  });

  it('cannot write through __proto__, constructor or prototype, with or without dot notation', async () => {
    for (const name of [
      '__proto__.polluted',
      'a.constructor.prototype.polluted',
      'constructor.prototype.polluted',
      '["__proto__"].polluted',
    ]) {
      const { result } = await runNode(setNode, {
        node: { typeVersion: 3.4 },
        parameters: { assignments: { assignments: [{ id: '1', name, value: 'yes', type: 'string' }] } },
        items: items({ a: {} }),
      });
      expect(jsonOf(result)).toEqual([{}]);
    }
    const literal = await runNode(setNode, {
      node: { typeVersion: 3.4 },
      parameters: {
        assignments: { assignments: [{ id: '1', name: '__proto__', value: 'kept', type: 'string' }] },
        options: { dotNotation: false },
      },
    });
    const out = jsonOf(literal.result)[0]!;
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(out, '__proto__')?.value).toBe('kept');
  });

  it('reads no inherited value: constructor is not a field', async () => {
    const { result } = await runNode(setNode, {
      node: { typeVersion: 3.4 },
      parameters: { includeOtherFields: true, include: 'selected', includeFields: 'constructor, name', assignments: { assignments: [] } },
      items: items({ name: 'n' }),
    });
    expect(jsonOf(result)).toEqual([{ name: 'n' }]);
  });

  it('refuses an index far past the end of a list instead of making a huge sparse array', async () => {
    await expect(
      runNode(setNode, {
        node: { typeVersion: 3.4 },
        parameters: { assignments: { assignments: [{ id: '1', name: 'list[1000000000]', value: 'x', type: 'string' }] } },
      }),
    ).rejects.toThrow(/writes index 1000000000 of a list of 0: at most 10000 past its end/);
  });
});

describe('Split Out', () => {
  it('cannot delete through a path when keeping the other fields, nor split a prototype', async () => {
    const removed = await runNode(splitOutNode, {
      parameters: { fieldToSplitOut: 'list, arr.__proto__.flat', include: 'allOtherFields' },
      items: items({ list: [1], arr: [1] }),
    });
    expect(jsonOf(removed.result)).toEqual([{ arr: [1], list: 1 }]);
    const split = await runNode(splitOutNode, { parameters: { fieldToSplitOut: '__proto__' }, items: items({ a: 1 }) });
    expect(jsonOf(split.result)).toEqual([]);
    const literal = await runNode(splitOutNode, {
      parameters: { fieldToSplitOut: 'constructor', options: { disableDotNotation: true } },
      items: items({ a: 1 }),
    });
    expect(jsonOf(literal.result)).toEqual([]);
  });

  it('cannot delete or split through a prototype in bracket notation', async () => {
    const { result } = await runNode(splitOutNode, {
      parameters: { fieldToSplitOut: 'list, arr["__proto__"]["flat"], ["constructor"]["prototype"]', include: 'allOtherFields' },
      items: items({ list: [1], arr: [1] }),
    });
    expect(jsonOf(result)).toEqual([{ arr: [1], list: 1 }]);
    expect([[1], [2]].flat()).toEqual([1, 2]);
  });

  it('writes a destination named __proto__ as an ordinary field', async () => {
    const { result } = await runNode(splitOutNode, {
      parameters: { fieldToSplitOut: 'list', options: { destinationFieldName: '__proto__' } },
      items: items({ list: [{ polluted: 'yes' }, 2] }),
    });
    const [first] = jsonOf(result);
    expect(Object.getPrototypeOf(first)).toBe(Object.prototype);
    expect(Object.keys(first!)).toEqual(['__proto__']);
  });
});

describe('Aggregate', () => {
  it('cannot read or write through prototypes with its field names', async () => {
    const { result } = await runNode(aggregateNode, {
      parameters: {
        aggregate: 'aggregateIndividualFields',
        fieldsToAggregate: {
          fieldToAggregate: [
            { fieldToAggregate: 'constructor.prototype', renameField: true, outputFieldName: '__proto__.polluted' },
            { fieldToAggregate: 'name' },
          ],
        },
      },
      items: items({ name: 'a' }, { name: 'b' }),
    });
    expect(jsonOf(result)).toEqual([{ name: ['a', 'b'] }]);
  });

  it('cannot read or write through prototypes with bracket field names', async () => {
    const { result } = await runNode(aggregateNode, {
      parameters: {
        aggregate: 'aggregateIndividualFields',
        fieldsToAggregate: {
          fieldToAggregate: [
            { fieldToAggregate: '["constructor"]["prototype"]', renameField: true, outputFieldName: '["__proto__"].polluted' },
            { fieldToAggregate: 'name', renameField: true, outputFieldName: 'list[0]["constructor"]["prototype"].polluted' },
          ],
        },
      },
      items: items({ name: 'a' }),
    });
    expect(jsonOf(result)).toEqual([{}]);
  });

  it('groups by a field named __proto__ without touching the prototype', async () => {
    const { result } = await runNode(aggregateNode, {
      parameters: { aggregate: 'aggregateAllItemData', destinationFieldName: '__proto__' },
      items: items({ polluted: 'yes' }),
    });
    const [out] = jsonOf(result);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
  });
});

describe('Merge', () => {
  it('merges items that carry an own __proto__ key (deep and shallow) without polluting', async () => {
    for (const mergeMode of ['deepMerge', 'shallowMerge']) {
      const { result } = await runNode(mergeNode, {
        node: { typeVersion: 3 },
        parameters: { mode: 'combine', combineBy: 'combineByPosition', options: { clashHandling: { values: { mergeMode } } } },
        inputs: [[{ json: withOwnProto() }], [{ json: withOwnProto() }]],
      });
      const [out] = jsonOf(result);
      expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
      expect(({} as JsonObject).polluted).toBeUndefined();
    }
  });

  it('matches fields by own properties only', async () => {
    const { result } = await runNode(mergeNode, {
      node: { typeVersion: 3 },
      parameters: {
        mode: 'combine',
        combineBy: 'combineByFields',
        fieldsToMatchString: 'constructor',
        joinMode: 'keepMatches',
      },
      inputs: [items({ a: 1 }), items({ b: 2 })],
    });
    expect(jsonOf(result)).toEqual([]);
  });

  it('matches bracket paths by own properties only', async () => {
    const { result } = await runNode(mergeNode, {
      node: { typeVersion: 3 },
      parameters: {
        mode: 'combine',
        combineBy: 'combineByFields',
        fieldsToMatchString: '["constructor"]["name"]',
        joinMode: 'keepMatches',
      },
      inputs: [items({ a: 1 }), items({ b: 2 })],
    });
    expect(jsonOf(result)).toEqual([]);
  });
});

describe('Sort', () => {
  it("treats a field named constructor.prototype as missing, with n8n's error", async () => {
    await expect(
      runNode(sortNode, {
        parameters: { sortFieldsUi: { sortField: [{ fieldName: 'constructor.prototype', order: 'ascending' }] } },
        items: items({ n: 2 }, { n: 1 }),
      }),
    ).rejects.toThrow("Couldn't find the field 'constructor.prototype' in the input data");
  });

  it('treats a bracket path through constructor as missing', async () => {
    await expect(
      runNode(sortNode, {
        parameters: { sortFieldsUi: { sortField: [{ fieldName: 'n["constructor"]["name"]', order: 'ascending' }] } },
        items: items({ n: 2 }, { n: 1 }),
      }),
    ).rejects.toThrow(`Couldn't find the field 'n["constructor"]["name"]' in the input data`);
  });
});
